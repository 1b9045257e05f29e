// thread_pool.h — a fixed set of worker threads running submitted tasks in FIFO order.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace credo::exec {

class ThreadPool {
 public:
  // How a worker is started: std::thread by default; tests pass one that fails.
  using Starter = std::thread (*)(std::function<void()> body);
  static std::thread StartThread(std::function<void()> body) { return std::thread(std::move(body)); }

  // Throws std::system_error when a thread cannot be created (a process or memory limit),
  // after stopping the workers already started.
  explicit ThreadPool(size_t threads, Starter start = StartThread) {
    workers_.reserve(threads);
    try {
      for (size_t i = 0; i < threads; ++i) workers_.push_back(start([this] { Work(); }));
    } catch (...) {
      Stop();
      throw;
    }
  }
  ~ThreadPool() { Stop(); }

  template <typename F>
  auto Submit(F task) -> std::future<decltype(task())> {
    auto job = std::make_shared<std::packaged_task<decltype(task())()>>(std::move(task));
    auto result = job->get_future();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.push_back([job] { (*job)(); });
    }
    wake_.notify_one();
    return result;
  }

 private:
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
  }

  void Work() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      job();
    }
  }

  std::vector<std::thread> workers_;
  std::deque<std::function<void()>> queue_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

// Runs work(t) for t = 0 .. threads - 1, t = 0 on the calling thread and the others on a pool of
// threads - 1; returns when all have returned. Rethrows an exception: the caller's own, else the
// first of t = 1, 2, ...
template <typename Work>
void RunOnThreads(size_t threads, Work work) {
  ThreadPool pool(threads > 1 ? threads - 1 : 0);
  std::vector<std::future<void>> done;
  for (size_t t = 1; t < threads; ++t) done.push_back(pool.Submit([&work, t] { work(t); }));
  work(size_t{0});
  for (auto& d : done) d.get();
}

// Runs each(i) for i = 0 .. count - 1 on up to `threads` threads (the calling thread among them:
// RunOnThreads), each taking the next i until none is left; returns when all are done.
template <typename Each>
void ForEachOnThreads(size_t threads, size_t count, Each each) {
  std::atomic<size_t> next{0};
  RunOnThreads(std::max<size_t>(1, std::min(threads, count)), [&](size_t) {
    for (size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < count;) each(i);
  });
}

}  // namespace credo::exec
