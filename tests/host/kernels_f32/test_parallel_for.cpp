// parallelFor / parallelForRanges: every task runs exactly once, nesting and exceptions are safe.
#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "kernels/compute_f32.h"
#include "kernels/parallel_for.h"

using namespace nnapi_host::kernels;

TEST_CASE("threadCount is at least one", "[threads]") { CHECK(threadCount() >= 1); }

TEST_CASE("parallelFor runs every task exactly once", "[threads]") {
  for (std::size_t count : {0u, 1u, 2u, 3u, 17u, 1000u}) {
    INFO("tasks: " << count);
    std::vector<std::atomic<int>> runs(count);
    parallelFor(count, [&](std::size_t i) { runs[i].fetch_add(1); });
    for (std::size_t i = 0; i < count; ++i) CHECK(runs[i].load() == 1);
  }
}

TEST_CASE("parallelForRanges covers every item once in ranges of at least the minimum size", "[threads]") {
  for (std::size_t count : {1u, 5u, 64u, 1001u}) {
    for (std::size_t minimum : {1u, 10u, 2000u}) {
      INFO("items: " << count << ", minimum per task: " << minimum);
      std::vector<std::atomic<int>> hits(count);
      std::atomic<bool> tooSmall{false};
      parallelForRanges(count, minimum, [&](std::size_t begin, std::size_t end) {
        // Only the final range may be shorter than the minimum (when the items run out).
        if (end - begin < minimum && end != count) tooSmall = true;
        for (std::size_t i = begin; i < end; ++i) hits[i].fetch_add(1);
      });
      CHECK_FALSE(tooSmall.load());
      for (std::size_t i = 0; i < count; ++i) CHECK(hits[i].load() == 1);
    }
  }
}

TEST_CASE("parallelFor can be nested and used from several threads at once", "[threads]") {
  std::atomic<int> total{0};
  auto nested = [&] {
    parallelFor(8, [&](std::size_t) { parallelFor(8, [&](std::size_t) { total.fetch_add(1); }); });
  };
  std::thread other(nested);
  nested();
  other.join();
  CHECK(total.load() == 2 * 8 * 8);
}

TEST_CASE("parallelFor rethrows the exception of a task after all tasks finished", "[threads]") {
  std::atomic<int> finished{0};
  CHECK_THROWS_WITH(parallelFor(50,
                                [&](std::size_t i) {
                                  if (i == 7) throw std::runtime_error("task 7 failed");
                                  finished.fetch_add(1);
                                }),
                    "task 7 failed");
  CHECK(finished.load() == 49);
  // The pool is still usable afterwards.
  std::atomic<int> after{0};
  parallelFor(10, [&](std::size_t) { after.fetch_add(1); });
  CHECK(after.load() == 10);
}

TEST_CASE("parallelFor still works in a child forked after the pool started", "[threads]") {
  std::atomic<int> parentRuns{0};
  parallelFor(4, [&](std::size_t) { parentRuns.fetch_add(1); });  // make sure the pool exists
  REQUIRE(parentRuns.load() == 4);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    alarm(10);  // a child waiting for workers that fork did not copy would hang; SIGALRM ends it instead
    std::atomic<int> runs{0};
    parallelFor(16, [&](std::size_t) { runs.fetch_add(1); });
    _exit(runs.load() == 16 ? 0 : 1);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
