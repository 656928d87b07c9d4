// ANeuralNetworksExecution_startCompute* and events. This host runs executions synchronously: startCompute runs
// the model and returns an already signalled event holding the result, which Event_wait returns.
#include "api/api_util.h"
#include "api/objects.h"

using nnapi_host::fail;

namespace {

int startCompute(ANeuralNetworksExecution* execution, ANeuralNetworksEvent** event, const char* function) {
  *event = nullptr;
  return nnapi_host::guarded(function, [&](const char* fn) {
    auto signalled = std::make_unique<ANeuralNetworksEvent>();
    signalled->result = nnapi_host::runExecution(execution, function);
    // Refused before running (state, unset inputs): report directly, no event.
    if (execution->state == ANeuralNetworksExecution::State::Preparing ||
        signalled->result == ANEURALNETWORKS_BAD_STATE)
      return signalled->result;
    *event = signalled.release();
    return int(ANEURALNETWORKS_NO_ERROR);
  });
}

}  // namespace

extern "C" {

int ANeuralNetworksExecution_startCompute(ANeuralNetworksExecution* execution, ANeuralNetworksEvent** event) {
  NNAPI_REQUIRE_NONNULL(execution);
  NNAPI_REQUIRE_NONNULL(event);
  return startCompute(execution, event, __func__);
}

int ANeuralNetworksExecution_startComputeWithDependencies(ANeuralNetworksExecution* execution,
                                                          const ANeuralNetworksEvent* const* dependencies,
                                                          uint32_t num_dependencies, uint64_t duration,
                                                          ANeuralNetworksEvent** event) {
  NNAPI_REQUIRE_NONNULL(execution);
  NNAPI_REQUIRE_NONNULL(event);
  if (num_dependencies > 0) NNAPI_REQUIRE_NONNULL(dependencies);
  *event = nullptr;
  // Every event of this host is already signalled; a failed dependency fails the execution.
  for (uint32_t i = 0; i < num_dependencies; ++i) {
    if (dependencies[i] == nullptr)
      return fail(ANEURALNETWORKS_UNEXPECTED_NULL, __func__, "dependencies[" + std::to_string(i) + "] is NULL");
    if (dependencies[i]->result != ANEURALNETWORKS_NO_ERROR)
      return fail(ANEURALNETWORKS_OP_FAILED, __func__, "dependency " + std::to_string(i) + " failed");
  }
  return startCompute(execution, event, __func__);
}

int ANeuralNetworksEvent_wait(ANeuralNetworksEvent* event) {
  NNAPI_REQUIRE_NONNULL(event);
  return event->result;
}

void ANeuralNetworksEvent_free(ANeuralNetworksEvent* event) { delete event; }

int ANeuralNetworksEvent_createFromSyncFenceFd(int sync_fence_fd, ANeuralNetworksEvent** event) {
  NNAPI_REQUIRE_NONNULL(event);
  *event = nullptr;
  return fail(ANEURALNETWORKS_BAD_DATA, __func__,
              "sync fences exist only on Android (fd " + std::to_string(sync_fence_fd) + ")");
}

int ANeuralNetworksEvent_getSyncFenceFd(const ANeuralNetworksEvent* event, int* sync_fence_fd) {
  NNAPI_REQUIRE_NONNULL(event);
  NNAPI_REQUIRE_NONNULL(sync_fence_fd);
  *sync_fence_fd = -1;
  return fail(ANEURALNETWORKS_BAD_DATA, __func__, "the event has no sync fence (executions run synchronously)");
}

}  // extern "C"
