// Internal helper for kernels: run independent tasks on threadCount() threads.
//
// A persistent pool is used rather than a std::thread per call because MobileNet-sized networks run a hundred
// small operations per inference, and starting threads for each would cost a measurable share of the time.
// The calling thread always works too, so threadCount() == 1 means "no extra threads at all".
#pragma once

#include <cstddef>
#include <functional>

namespace nnapi_host::kernels {

// Calls task(i) for every i in [0, taskCount), possibly concurrently, and returns when all calls have finished.
// Tasks are handed out dynamically (the next free thread takes the next index), so uneven tasks balance out.
// Nested calls, and calls made while another thread already uses the pool, run their tasks on the calling thread:
// they never wait for the pool and never deadlock. The first exception thrown by a task is rethrown here after
// the remaining tasks have finished.
void parallelFor(std::size_t taskCount, const std::function<void(std::size_t task)>& task);

// Splits [0, itemCount) into contiguous ranges of at least minItemsPerTask items (a few per thread, for
// balance) and calls body(begin, end) for each through parallelFor.
void parallelForRanges(std::size_t itemCount, std::size_t minItemsPerTask,
                       const std::function<void(std::size_t begin, std::size_t end)>& body);

}  // namespace nnapi_host::kernels
