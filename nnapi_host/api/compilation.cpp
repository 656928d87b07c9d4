// ANeuralNetworksCompilation_*, bursts and getSupportedOperationsForDevices. Compiling checks that every operation
// can execute here and, when all model input shapes are known, plans the execution once for all runs; with
// setCaching, that plan is written to the cache directory and a later compilation of the same model and token
// reads it instead of compiling (api/compilation_cache.h).
#include <algorithm>

#include "api/api_util.h"
#include "api/compilation_cache.h"
#include "api/injected_failure.h"
#include "api/objects.h"
#include "executor/op_context.h"

using nnapi_host::fail;

namespace {

// "" when operation `op` of the model can execute on this host.
std::string operationSupport(const ANeuralNetworksModel* model, const nnapi_host::Operation& op) {
  const int32_t inputType = op.inputs.empty() ? -1 : model->refined[op.inputs[0]].type;
  return nnapi_host::executionSupport(op.type, inputType);
}

// A TENSOR_INT32 model input may be a RESHAPE's shape or a TRANSPOSE's permutation: such a model is planned at
// each execution, with the values (execution.cpp).
bool hasInt32Input(const nnapi_host::Graph& graph) {
  for (uint32_t i : graph.inputs)
    if (graph.operands[i].type == ANEURALNETWORKS_TENSOR_INT32) return true;
  return false;
}

bool allInputShapesKnown(const nnapi_host::Graph& graph) {
  for (uint32_t i : graph.inputs) {
    const auto& dims = graph.operands[i].dims;
    if (dims.empty() || std::find(dims.begin(), dims.end(), 0u) != dims.end()) return false;
  }
  return true;
}

int createCompilation(ANeuralNetworksModel* model, bool forSingleDevice, ANeuralNetworksCompilation** compilation,
                      const char* function) {
  *compilation = nullptr;
  if (!model->finished) return fail(ANEURALNETWORKS_BAD_STATE, function, "the model is not finished");
  if (model->invalid) return fail(ANEURALNETWORKS_BAD_STATE, function, "the model failed ANeuralNetworksModel_finish");
  return nnapi_host::guarded(function, [&](const char* fn) {
    auto c = nnapi_host::createShared<ANeuralNetworksCompilation>();
    c->model = model->clientRef;
    c->forSingleDevice = forSingleDevice;
    *compilation = c;
    return int(ANEURALNETWORKS_NO_ERROR);
  });
}

int finishCompilation(ANeuralNetworksCompilation* compilation, const char* function) {
  const std::string refused = nnapi_host::injectedFailure(nnapi_host::InjectedFailure::Compilation);
  if (!refused.empty()) return fail(ANEURALNETWORKS_OP_FAILED, function, refused);
  const ANeuralNetworksModel* model = compilation->model.get();
  const nnapi_host::Graph& graph = model->graph;
  // Only a plan made at finish can be cached: with unknown input shapes each execution plans for its own.
  const bool caching = !compilation->cacheDir.empty() && allInputShapesKnown(graph);
  if (caching) {
    compilation->plan = nnapi_host::readCachedPlan(compilation->cacheDir, compilation->cacheToken, graph, function);
    if (compilation->plan) {
      nnapi_host::countCompilation(true);
      compilation->finished = true;
      return ANEURALNETWORKS_NO_ERROR;
    }
  }
  for (size_t i = 0; i < graph.operations.size(); ++i) {
    const std::string problem = operationSupport(model, graph.operations[i]);
    if (!problem.empty())
      return fail(ANEURALNETWORKS_OP_FAILED, function, "operation " + std::to_string(i) + ": " + problem);
  }
  if (allInputShapesKnown(graph) && !hasInt32Input(graph)) {
    auto plan = std::make_shared<nnapi_host::Plan>();
    const std::string problem = nnapi_host::buildPlan(graph, graph.operands, plan.get());
    if (!problem.empty()) return fail(ANEURALNETWORKS_BAD_DATA, function, problem);
    if (caching) nnapi_host::writeCachedPlan(compilation->cacheDir, compilation->cacheToken, graph, *plan, function);
    compilation->plan = std::move(plan);
  }
  nnapi_host::countCompilation(false);
  compilation->finished = true;
  return ANEURALNETWORKS_NO_ERROR;
}

int checkDevices(const ANeuralNetworksDevice* const* devices, uint32_t numDevices, const char* function) {
  if (numDevices == 0) return fail(ANEURALNETWORKS_BAD_DATA, function, "numDevices is 0");
  for (uint32_t i = 0; i < numDevices; ++i) {
    if (devices[i] == nullptr)
      return fail(ANEURALNETWORKS_UNEXPECTED_NULL, function, "devices[" + std::to_string(i) + "] is NULL");
    if (devices[i] != &nnapi_host::cpuDevice())
      return fail(ANEURALNETWORKS_BAD_DATA, function,
                  "devices[" + std::to_string(i) + "] is not a device of this library");
    if (i > 0) return fail(ANEURALNETWORKS_BAD_DATA, function, "the same device is listed twice");
  }
  return ANEURALNETWORKS_NO_ERROR;
}

int checkModifiable(const ANeuralNetworksCompilation* compilation, const char* function) {
  if (compilation->finished) return fail(ANEURALNETWORKS_BAD_STATE, function, "the compilation is already finished");
  return ANEURALNETWORKS_NO_ERROR;
}

}  // namespace

extern "C" {

int ANeuralNetworksModel_getSupportedOperationsForDevices(const ANeuralNetworksModel* model,
                                                          const ANeuralNetworksDevice* const* devices,
                                                          uint32_t numDevices, bool* supportedOps) {
  NNAPI_REQUIRE_NONNULL(model);
  NNAPI_REQUIRE_NONNULL(devices);
  NNAPI_REQUIRE_NONNULL(supportedOps);
  if (!model->finished || model->invalid)
    return fail(ANEURALNETWORKS_BAD_STATE, __func__, "the model is not (successfully) finished");
  if (int rc = checkDevices(devices, numDevices, __func__)) return rc;
  return nnapi_host::guarded(__func__, [&](const char* fn) {
    const auto& ops = model->graph.operations;
    for (size_t i = 0; i < ops.size(); ++i) supportedOps[i] = operationSupport(model, ops[i]).empty();
    return int(ANEURALNETWORKS_NO_ERROR);
  });
}

int ANeuralNetworksCompilation_create(ANeuralNetworksModel* model, ANeuralNetworksCompilation** compilation) {
  NNAPI_REQUIRE_NONNULL(model);
  NNAPI_REQUIRE_NONNULL(compilation);
  return createCompilation(model, false, compilation, __func__);
}

int ANeuralNetworksCompilation_createForDevices(ANeuralNetworksModel* model,
                                                const ANeuralNetworksDevice* const* devices, uint32_t numDevices,
                                                ANeuralNetworksCompilation** compilation) {
  NNAPI_REQUIRE_NONNULL(model);
  NNAPI_REQUIRE_NONNULL(devices);
  NNAPI_REQUIRE_NONNULL(compilation);
  *compilation = nullptr;
  if (int rc = checkDevices(devices, numDevices, __func__)) return rc;
  return createCompilation(model, true, compilation, __func__);
}

void ANeuralNetworksCompilation_free(ANeuralNetworksCompilation* compilation) {
  nnapi_host::releaseClientRef(compilation);
}

int ANeuralNetworksCompilation_setPreference(ANeuralNetworksCompilation* compilation, int32_t preference) {
  NNAPI_REQUIRE_NONNULL(compilation);
  if (int rc = checkModifiable(compilation, __func__)) return rc;
  if (preference < ANEURALNETWORKS_PREFER_LOW_POWER || preference > ANEURALNETWORKS_PREFER_SUSTAINED_SPEED)
    return fail(ANEURALNETWORKS_BAD_DATA, __func__, "preference " + std::to_string(preference) + " is not 0..2");
  compilation->preference = preference;
  return ANEURALNETWORKS_NO_ERROR;
}

int ANeuralNetworksCompilation_setCaching(ANeuralNetworksCompilation* compilation, const char* cacheDir,
                                          const uint8_t* token) {
  NNAPI_REQUIRE_NONNULL(compilation);
  NNAPI_REQUIRE_NONNULL(cacheDir);
  NNAPI_REQUIRE_NONNULL(token);
  if (int rc = checkModifiable(compilation, __func__)) return rc;
  return nnapi_host::guarded(__func__, [&](const char* fn) {
    compilation->cacheDir = cacheDir;
    std::copy(token, token + ANEURALNETWORKS_BYTE_SIZE_OF_CACHE_TOKEN, compilation->cacheToken.begin());
    return int(ANEURALNETWORKS_NO_ERROR);
  });
}

int ANeuralNetworksCompilation_setPriority(ANeuralNetworksCompilation* compilation, int priority) {
  NNAPI_REQUIRE_NONNULL(compilation);
  if (int rc = checkModifiable(compilation, __func__)) return rc;
  if (priority != ANEURALNETWORKS_PRIORITY_LOW && priority != ANEURALNETWORKS_PRIORITY_MEDIUM &&
      priority != ANEURALNETWORKS_PRIORITY_HIGH)
    return fail(ANEURALNETWORKS_BAD_DATA, __func__, "priority " + std::to_string(priority) + " is not 90, 100 or 110");
  compilation->priority = priority;
  return ANEURALNETWORKS_NO_ERROR;
}

int ANeuralNetworksCompilation_setTimeout(ANeuralNetworksCompilation* compilation, uint64_t duration) {
  NNAPI_REQUIRE_NONNULL(compilation);
  if (int rc = checkModifiable(compilation, __func__)) return rc;
  if (!compilation->forSingleDevice)
    return fail(ANEURALNETWORKS_BAD_DATA, __func__, "timeouts need a createForDevices compilation with one device");
  return ANEURALNETWORKS_NO_ERROR;  // compiling never takes long enough to matter
}

int ANeuralNetworksCompilation_finish(ANeuralNetworksCompilation* compilation) {
  NNAPI_REQUIRE_NONNULL(compilation);
  if (int rc = checkModifiable(compilation, __func__)) return rc;
  return nnapi_host::guarded(__func__, [&](const char* fn) { return finishCompilation(compilation, fn); });
}

int ANeuralNetworksBurst_create(ANeuralNetworksCompilation* compilation, ANeuralNetworksBurst** burst) {
  NNAPI_REQUIRE_NONNULL(compilation);
  NNAPI_REQUIRE_NONNULL(burst);
  *burst = nullptr;
  if (!compilation->finished) return fail(ANEURALNETWORKS_BAD_STATE, __func__, "the compilation is not finished");
  return nnapi_host::guarded(__func__, [&](const char* fn) {
    *burst = new ANeuralNetworksBurst{compilation->clientRef};
    return int(ANEURALNETWORKS_NO_ERROR);
  });
}

void ANeuralNetworksBurst_free(ANeuralNetworksBurst* burst) { delete burst; }

}  // extern "C"
