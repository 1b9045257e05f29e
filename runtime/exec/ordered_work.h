// ordered_work.h — `threads` threads (the caller and threads - 1 pool workers) take numbered
// items one at a time, process them in parallel, and finish them one at a time in item order.
//
// No thread only hands out work: with as many threads as cores, each core reads, processes and,
// when its item is next, finishes, so no core is shared between a reader and two workers. The
// thread that deposits the next item to finish finishes it, and any that became ready behind it,
// while the other threads go on processing.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <map>
#include <mutex>
#include <utility>

#include "runtime/exec/thread_pool.h"

namespace credo::exec {

// take(Slot&) -> bool: the next item into the thread's own slot (false: no more), one thread at
// a time, in item order. process(Slot&) -> Result: in parallel. finish(Result): in item order,
// one at a time. At most `window` items are taken and not yet finished. The first exception
// thrown by any of them stops the work and is rethrown here once every thread has stopped.
template <typename Slot, typename Take, typename Process, typename Finish>
void OrderedWork(size_t threads, size_t window, Take take, Process process, Finish finish) {
  using Result = decltype(process(std::declval<Slot&>()));
  std::mutex take_mutex, mutex;  // take_mutex, then mutex: never the other way round
  std::condition_variable room;
  uint64_t taken = 0, finished = 0;
  bool no_more = false, failed = false, finishing = false;
  std::exception_ptr error;
  std::map<uint64_t, Result> ready;

  auto work = [&] {
    Slot slot;
    try {
      for (;;) {
        uint64_t item;
        {
          std::lock_guard<std::mutex> taking(take_mutex);
          {
            std::unique_lock<std::mutex> lock(mutex);
            room.wait(lock, [&] { return failed || no_more || taken - finished < window; });
            if (failed || no_more) return;
          }
          if (!take(slot)) {
            std::lock_guard<std::mutex> lock(mutex);
            no_more = true;
            room.notify_all();
            return;
          }
          std::lock_guard<std::mutex> lock(mutex);
          item = taken++;
        }
        Result result = process(slot);
        {
          std::lock_guard<std::mutex> lock(mutex);
          ready.emplace(item, std::move(result));
          if (finishing) continue;  // that thread will finish this one too
          finishing = true;
        }
        for (;;) {
          Result next;
          {
            std::lock_guard<std::mutex> lock(mutex);
            auto it = ready.find(finished);
            if (failed || it == ready.end()) {
              finishing = false;
              break;
            }
            next = std::move(it->second);
            ready.erase(it);
          }
          finish(std::move(next));
          std::lock_guard<std::mutex> lock(mutex);
          ++finished;
          room.notify_all();
        }
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex);
      if (!error) error = std::current_exception();
      failed = true;
      room.notify_all();
    }
  };

  RunOnThreads(threads, [&](size_t) { work(); });  // (work catches its own exceptions)
  if (error) std::rethrow_exception(error);
}

}  // namespace credo::exec
