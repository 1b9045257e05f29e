// OrderedWork: every item taken is finished once, in the order taken, whatever the threads and
// however long each item takes; no more than `window` items wait; the first exception stops the
// work and reaches the caller.
#include <catch2/catch.hpp>
#include <algorithm>
#include <atomic>
#include <mutex>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "runtime/exec/ordered_work.h"

using credo::exec::OrderedWork;

namespace {

// Items 0..n-1, each processed for a varying time; returns the items in the order finished.
std::vector<int> Run(size_t threads, size_t window, int n, size_t* most_waiting = nullptr) {
  int next = 0;
  std::atomic<int> taken{0}, done{0};
  size_t most = 0;
  std::vector<int> finished;
  OrderedWork<int>(
      threads, window,
      [&](int& item) {
        if (next == n) return false;
        item = next++;
        ++taken;
        return true;
      },
      [&](int& item) {
        std::this_thread::sleep_for(std::chrono::microseconds((item * 7919) % 13 * 50));
        return item * 10;
      },
      [&](int result) {
        most = std::max(most, size_t(taken - done));
        finished.push_back(result / 10);
        ++done;
      });
  if (most_waiting) *most_waiting = most;
  return finished;
}

}  // namespace

TEST_CASE("ordered work: every item is finished once, in order, on any number of threads", "[ordered]") {
  std::vector<int> expected;
  for (int i = 0; i < 300; ++i) expected.push_back(i);
  for (size_t threads : {1, 2, 3, 8}) {
    size_t most = 0;
    CHECK(Run(threads, 2 * threads, 300, &most) == expected);
    CHECK(most <= 2 * threads);
  }
  CHECK(Run(4, 4, 0).empty());
}

TEST_CASE("ordered work: the first exception stops the work and reaches the caller", "[ordered]") {
  for (size_t threads : {1, 2, 4}) {
    int next = 0;
    std::atomic<int> finished{0};
    auto run = [&](int fail_at, bool in_take) {
      next = 0;
      OrderedWork<int>(
          threads, 2 * threads,
          [&](int& item) {
            if (in_take && next == fail_at) throw std::runtime_error("take");
            item = next++;
            return true;  // never ends on its own
          },
          [&](int& item) {
            if (!in_take && item == fail_at) throw std::runtime_error("process");
            return item;
          },
          [&](int) { ++finished; });
    };
    CHECK_THROWS_WITH(run(50, false), "process");
    CHECK(finished <= 50);  // nothing after the failed item is finished
    CHECK_THROWS_WITH(run(70, true), "take");
  }
}

TEST_CASE("for each on threads: every item runs once, on at most the threads asked for", "[ordered]") {
  for (size_t threads : {1, 2, 3, 8}) {
    for (size_t count : {0, 1, 5, 1000}) {
      INFO(threads << " threads, " << count << " items");
      std::vector<std::atomic<int>> runs(count);
      std::mutex mutex;
      std::vector<std::thread::id> ids;
      credo::exec::ForEachOnThreads(threads, count, [&](size_t i) {
        runs[i].fetch_add(1);
        std::lock_guard<std::mutex> lock(mutex);
        if (std::find(ids.begin(), ids.end(), std::this_thread::get_id()) == ids.end())
          ids.push_back(std::this_thread::get_id());
      });
      size_t once = 0;
      for (auto& r : runs) once += r.load() == 1;
      CHECK(once == count);
      CHECK(ids.size() <= std::max<size_t>(1, std::min(threads, count)));
      if (count > 0 && threads == 1) CHECK(ids.front() == std::this_thread::get_id());
    }
  }
  // An exception from an item reaches the caller once the other threads are done.
  CHECK_THROWS_AS(credo::exec::ForEachOnThreads(2, 100, [](size_t i) {
                    if (i == 50) throw std::runtime_error("item 50");
                  }),
                  std::runtime_error);
}
