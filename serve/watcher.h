// watcher.h — calls back when the policy folder changes: inotify on Linux (a file closed after
// writing, moved in or out, deleted), or polling every 200 ms where inotify is unavailable or
// when asked. The callback (Registry::Rescan) decides what actually changed.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace credo::serve {

enum class WatchMode { inotify, poll, off };

class Watcher {
 public:
  // Starts the watching thread on `dirs` (the policy folder, then the reference files' folders).
  // With inotify requested but unavailable, it polls (and says so).
  void Start(const std::vector<std::string>& dirs, WatchMode mode, std::function<void()> on_change);
  void Stop();
  ~Watcher() { Stop(); }
  WatchMode mode() const { return mode_; }

 private:
  void InotifyLoop(int inotify_fd, const std::function<void()>& on_change);
  void PollLoop(const std::function<void()>& on_change);

  WatchMode mode_ = WatchMode::off;
  int stop_pipe_[2] = {-1, -1};
  std::thread thread_;
};

}  // namespace credo::serve
