// watcher.cc — inotify, or a polling loop, on the policy folder.
#include "serve/watcher.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace credo::serve {
namespace {

constexpr int kPollMillis = 200;
// After an event, wait this long for more (an editor writes, renames and chmods in a burst).
constexpr int kSettleMillis = 30;

}  // namespace

void Watcher::Start(const std::vector<std::string>& dirs, WatchMode mode, std::function<void()> on_change) {
  mode_ = mode;
  if (mode == WatchMode::off) return;
  if (::pipe2(stop_pipe_, O_CLOEXEC) != 0) {
    std::fprintf(stderr, "credo serve: cannot watch %s: %s\n", dirs[0].c_str(), std::strerror(errno));
    mode_ = WatchMode::off;
    return;
  }
  int fd = -1;
  if (mode == WatchMode::inotify) {
    fd = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    uint32_t events = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | IN_ATTRIB;
    const std::string* failed = fd < 0 ? &dirs[0] : nullptr;
    for (const std::string& dir : dirs)
      if (!failed && ::inotify_add_watch(fd, dir.c_str(), events) < 0) failed = &dir;
    if (failed) {
      std::fprintf(stderr, "credo serve: inotify unavailable for %s (%s); polling every %d ms instead\n",
                   failed->c_str(), std::strerror(errno), kPollMillis);
      if (fd >= 0) ::close(fd);
      fd = -1;
      mode_ = WatchMode::poll;
    }
  }
  thread_ = std::thread([this, fd, on_change = std::move(on_change)] {
    if (fd >= 0)
      InotifyLoop(fd, on_change);
    else
      PollLoop(on_change);
  });
}

void Watcher::InotifyLoop(int fd, const std::function<void()>& on_change) {
  char buffer[16384];
  for (;;) {
    pollfd fds[2] = {{stop_pipe_[0], POLLIN, 0}, {fd, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0 && errno != EINTR) break;
    if (fds[0].revents) break;
    if (!(fds[1].revents & POLLIN)) continue;
    // Drain this burst of events, then look at the folder once.
    do {
      while (::read(fd, buffer, sizeof buffer) > 0) {
      }
      fds[1].revents = 0;
    } while (::poll(&fds[1], 1, kSettleMillis) > 0);
    on_change();
  }
  ::close(fd);
}

void Watcher::PollLoop(const std::function<void()>& on_change) {
  for (;;) {
    pollfd stop = {stop_pipe_[0], POLLIN, 0};
    int n = ::poll(&stop, 1, kPollMillis);
    if (n > 0) break;
    on_change();
  }
}

void Watcher::Stop() {
  if (!thread_.joinable()) return;
  char byte = 1;
  (void)!::write(stop_pipe_[1], &byte, 1);
  thread_.join();
  ::close(stop_pipe_[0]);
  ::close(stop_pipe_[1]);
}

}  // namespace credo::serve
