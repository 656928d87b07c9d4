// threadCount() and the worker pool behind parallelFor().
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include <unistd.h>

#include "kernels/compute_f32.h"
#include "kernels/parallel_for.h"

namespace nnapi_host::kernels {
namespace {

int threadCountFromEnvironment() {
  const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
  const char* text = std::getenv("NNAPI_HOST_THREADS");
  if (text == nullptr || *text == '\0') return static_cast<int>(hardware);
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (*end != '\0' || value < 1 || value > 1024) {
    std::fprintf(stderr,
                 "nnapi_host: NNAPI_HOST_THREADS='%s' is not a thread count in [1, 1024]; using %u (the "
                 "hardware's)\n",
                 text, hardware);
    return static_cast<int>(hardware);
  }
  return static_cast<int>(value);
}

// Runs one job at a time on `workers` threads plus the submitting thread.
class WorkerPool {
 public:
  explicit WorkerPool(int workers) {
    for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { workerLoop(); });
  }

  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(state_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& thread : threads_) thread.join();
  }

  // Returns false without running anything when another thread's job occupies the pool, or in a child
  // process forked after the pool started (fork copies only the calling thread: the workers are not there).
  bool tryRun(std::size_t taskCount, const std::function<void(std::size_t)>& task) {
    if (getpid() != creatorProcess_) return false;
    std::unique_lock<std::mutex> submitting(submit_, std::try_to_lock);
    if (!submitting.owns_lock()) return false;
    {
      std::lock_guard<std::mutex> lock(state_);
      task_ = &task;
      taskCount_ = taskCount;
      nextTask_.store(0);
      error_ = nullptr;
      // Every worker must check in before we return: `task` lives on our caller's stack, so no worker may still
      // be about to read it once this job is over.
      workersInJob_ = static_cast<int>(threads_.size());
      ++generation_;
    }
    wake_.notify_all();
    runClaimedTasks();
    std::unique_lock<std::mutex> lock(state_);
    jobDone_.wait(lock, [this] { return workersInJob_ == 0; });
    task_ = nullptr;
    if (error_) std::rethrow_exception(error_);
    return true;
  }

 private:
  void workerLoop() {
    uint64_t seenGeneration = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(state_);
        wake_.wait(lock, [&] { return stopping_ || generation_ != seenGeneration; });
        if (stopping_) return;
        seenGeneration = generation_;
      }
      runClaimedTasks();
      std::lock_guard<std::mutex> lock(state_);
      if (--workersInJob_ == 0) jobDone_.notify_one();
    }
  }

  void runClaimedTasks() {
    for (std::size_t i = nextTask_.fetch_add(1); i < taskCount_; i = nextTask_.fetch_add(1)) {
      try {
        (*task_)(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(state_);
        if (!error_) error_ = std::current_exception();
      }
    }
  }

  std::mutex submit_;  // held for the whole of one job
  std::mutex state_;   // guards everything below except nextTask_
  std::condition_variable wake_, jobDone_;
  const std::function<void(std::size_t)>* task_ = nullptr;
  std::size_t taskCount_ = 0;
  std::atomic<std::size_t> nextTask_{0};
  uint64_t generation_ = 0;
  int workersInJob_ = 0;
  bool stopping_ = false;
  std::exception_ptr error_;
  std::vector<std::thread> threads_;
  const pid_t creatorProcess_ = getpid();
};

// True on a thread that is currently running parallelFor tasks: a nested call must not submit to the pool,
// whose submit mutex that same thread may already hold.
thread_local bool insideParallelFor = false;

struct NestingMark {
  bool outer = insideParallelFor;
  NestingMark() { insideParallelFor = true; }
  ~NestingMark() { insideParallelFor = outer; }
};

// Same contract as the pool: every task runs even if an earlier one threw.
void runInline(std::size_t taskCount, const std::function<void(std::size_t)>& task) {
  std::exception_ptr error;
  for (std::size_t i = 0; i < taskCount; ++i) {
    try {
      task(i);
    } catch (...) {
      if (!error) error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace

int threadCount() {
  // Read once: the pool is sized from it, and changing it mid-run would make the two disagree.
  static const int count = threadCountFromEnvironment();
  return count;
}

void parallelFor(std::size_t taskCount, const std::function<void(std::size_t task)>& task) {
  if (taskCount == 0) return;
  if (taskCount == 1 || threadCount() == 1 || insideParallelFor) return runInline(taskCount, task);
  static WorkerPool pool(threadCount() - 1);
  const std::function<void(std::size_t)> marked = [&task](std::size_t i) {
    NestingMark mark;
    task(i);
  };
  if (!pool.tryRun(taskCount, marked)) runInline(taskCount, task);
}

void parallelForRanges(std::size_t itemCount, std::size_t minItemsPerTask,
                       const std::function<void(std::size_t begin, std::size_t end)>& body) {
  if (itemCount == 0) return;
  // A few ranges per thread let a thread that is slowed down (the machine is shared) hand work to the others.
  constexpr std::size_t kRangesPerThread = 4;
  const std::size_t wanted = static_cast<std::size_t>(threadCount()) * kRangesPerThread;
  const std::size_t byMinimum = std::max<std::size_t>(1, itemCount / std::max<std::size_t>(1, minItemsPerTask));
  const std::size_t ranges = std::min(wanted, byMinimum);
  const std::size_t perRange = (itemCount + ranges - 1) / ranges;
  const std::size_t rangeCount = (itemCount + perRange - 1) / perRange;
  parallelFor(rangeCount, [&](std::size_t r) {
    const std::size_t begin = r * perRange;
    body(begin, std::min(itemCount, begin + perRange));
  });
}

}  // namespace nnapi_host::kernels
