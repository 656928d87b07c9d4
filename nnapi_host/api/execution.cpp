// ANeuralNetworksExecution_*: binding inputs/outputs (§3, §12.5), running (synchronously, also for startCompute
// and bursts), output shapes, timing and timeouts.
#include <sys/mman.h>

#include <chrono>

#include "api/api_util.h"
#include "api/emulated_level.h"
#include "api/objects.h"

using nnapi_host::fail;
using Execution = ANeuralNetworksExecution;

namespace {

constexpr uint64_t kDefaultLoopTimeoutNs = 2'000'000'000ull;   // 2 s, as AOSP
constexpr uint64_t kMaximumLoopTimeoutNs = 15'000'000'000ull;  // 15 s, as AOSP

int checkPreparing(const Execution* execution, const char* function) {
  if (execution->state != Execution::State::Preparing)
    return fail(ANEURALNETWORKS_BAD_STATE, function, "the execution has already run (executions run once)");
  return ANEURALNETWORKS_NO_ERROR;
}

// Resolves the shape of model input/output `slot` from the declared operand and an optional type (which may only
// fill extents the model left unknown).
int resolveType(const nnapi_rules::OperandDesc& declared, const ANeuralNetworksOperandType* type,
                std::vector<uint32_t>* dims, const std::string& label, const char* function) {
  *dims = declared.dims;
  if (type == nullptr) return ANEURALNETWORKS_NO_ERROR;
  if (type->type != declared.type || type->scale != declared.scale || type->zeroPoint != declared.zeroPoint)
    return fail(ANEURALNETWORKS_BAD_DATA, function,
                label + ": type " + nnapi_rules::operandTypeName(type->type) + " (scale " +
                    std::to_string(type->scale) + ", zeroPoint " + std::to_string(type->zeroPoint) +
                    ") differs from the model's " + nnapi_rules::operandTypeName(declared.type) + " (scale " +
                    std::to_string(declared.scale) + ", zeroPoint " + std::to_string(declared.zeroPoint) + ")");
  if (type->dimensionCount > 0 && type->dimensions == nullptr)
    return fail(ANEURALNETWORKS_BAD_DATA, function, label + ": dimensionCount > 0 with NULL dimensions");
  if (type->dimensionCount == 0) return ANEURALNETWORKS_NO_ERROR;
  const std::vector<uint32_t> given(type->dimensions, type->dimensions + type->dimensionCount);
  if (!declared.dims.empty() && given.size() != declared.dims.size())
    return fail(ANEURALNETWORKS_BAD_DATA, function,
                label + ": rank " + std::to_string(given.size()) + " differs from the model's " +
                    std::to_string(declared.dims.size()));
  if (declared.dims.empty()) {
    *dims = given;
    return ANEURALNETWORKS_NO_ERROR;
  }
  for (size_t k = 0; k < given.size(); ++k) {
    if (declared.dims[k] != 0 && given[k] != 0 && given[k] != declared.dims[k])
      return fail(ANEURALNETWORKS_BAD_DATA, function,
                  label + ": dimension " + std::to_string(k) + " is " + std::to_string(given[k]) +
                      ", the model fixes it to " + std::to_string(declared.dims[k]));
    if (declared.dims[k] == 0) (*dims)[k] = given[k];
  }
  return ANEURALNETWORKS_NO_ERROR;
}

bool fullyKnown(const std::vector<uint32_t>& dims) {
  if (dims.empty()) return false;
  for (uint32_t d : dims)
    if (d == 0) return false;
  return true;
}

int bind(Execution* execution, bool input, int32_t index, const ANeuralNetworksOperandType* type, void* data,
         size_t length, const char* function) {
  if (int rc = checkPreparing(execution, function)) return rc;
  std::vector<Execution::Slot>& slots = input ? execution->inputs : execution->outputs;
  const std::string label = std::string(input ? "input " : "output ") + std::to_string(index);
  if (index < 0 || size_t(index) >= slots.size())
    return fail(ANEURALNETWORKS_BAD_DATA, function,
                label + " does not exist (the model has " + std::to_string(slots.size()) + ")");
  Execution::Slot& slot = slots[size_t(index)];
  if (slot.set) return fail(ANEURALNETWORKS_BAD_STATE, function, label + " is already set");
  if (data == nullptr && length != 0)
    return fail(ANEURALNETWORKS_UNEXPECTED_NULL, function,
                label + ": buffer is NULL with length " + std::to_string(length));
  if (data == nullptr && input)  // optional parameters must be constants on this host, so inputs are required
    return fail(ANEURALNETWORKS_BAD_DATA, function, label + ": cannot be omitted (no model input is optional here)");
  const nnapi_host::Graph& graph = execution->compilation->model->graph;
  const nnapi_rules::OperandDesc& declared = graph.operands[(input ? graph.inputs : graph.outputs)[size_t(index)]];
  std::vector<uint32_t> dims;
  if (int rc = resolveType(declared, type, &dims, label, function)) return rc;
  if (data != nullptr) {
    if (fullyKnown(dims)) {
      nnapi_rules::OperandDesc resolved = declared;
      resolved.dims = dims;
      const size_t bytes = nnapi_rules::byteSize(resolved);
      if (length != bytes)
        return fail(ANEURALNETWORKS_BAD_DATA, function,
                    label + ": length is " + std::to_string(length) + " bytes, the shape " +
                        std::to_string(dims.size()) + "-D needs exactly " + std::to_string(bytes));
    } else if (input) {
      return fail(ANEURALNETWORKS_BAD_DATA, function,
                  label + ": the shape is not fully known; pass a type with all dimensions");
    } else if (const int needed = nnapi_rules::featureLevel(nnapi_rules::Feature::DynamicOutputShape);
               nnapi_host::emulatedFeatureLevel() < needed) {
      // Before outputs could be sized at execution, setOutput had to complete their shape.
      nnapi_rules::Verdict verdict = nnapi_rules::Verdict::fail(
          label + ": the shape is not fully known (pass a type with all dimensions); an output sized at execution "
                  "needs " + nnapi_rules::describeLevel(needed));
      verdict.neededLevel = needed;
      return fail(ANEURALNETWORKS_BAD_DATA, function, nnapi_host::explainVerdict(verdict));
    }
  }
  slot.set = true;
  slot.data = data;
  slot.length = length;
  slot.dimsOverridden = dims != declared.dims;
  slot.dims = std::move(dims);
  return ANEURALNETWORKS_NO_ERROR;
}

int bindMemory(Execution* execution, bool input, int32_t index, const ANeuralNetworksOperandType* type,
               const ANeuralNetworksMemory* memory, size_t offset, size_t length, const char* function) {
  const int needed = input ? PROT_READ : PROT_WRITE;
  if (!(memory->protect & needed))
    return fail(ANEURALNETWORKS_BAD_DATA, function,
                std::string("the memory is not ") + (input ? "readable" : "writable"));
  if (offset > memory->size || length > memory->size - offset)
    return fail(ANEURALNETWORKS_BAD_DATA, function,
                "region [" + std::to_string(offset) + ", +" + std::to_string(length) + ") exceeds the memory's " +
                    std::to_string(memory->size) + " bytes");
  return bind(execution, input, index, type, memory->data + offset, length, function);
}

// Runs the model; the caller has checked the execution is still preparing.
int run(Execution* execution, const char* function) {
  for (size_t i = 0; i < execution->inputs.size(); ++i)
    if (!execution->inputs[i].set)
      return fail(ANEURALNETWORKS_BAD_DATA, function, "input " + std::to_string(i) + " is not set");
  for (size_t i = 0; i < execution->outputs.size(); ++i)
    if (!execution->outputs[i].set)
      return fail(ANEURALNETWORKS_BAD_DATA, function, "output " + std::to_string(i) + " is not set");
  const auto start = std::chrono::steady_clock::now();
  execution->state = Execution::State::Completed;
  const ANeuralNetworksCompilation* compilation = execution->compilation.get();
  const nnapi_host::Graph& graph = compilation->model->graph;

  // The compiled plan serves every run whose input shapes are the model's; other shapes are planned here.
  std::shared_ptr<const nnapi_host::Plan> plan = compilation->plan;
  bool inputsOverridden = false;
  for (const auto& slot : execution->inputs) inputsOverridden = inputsOverridden || slot.dimsOverridden;
  if (!plan || inputsOverridden) {
    std::vector<nnapi_rules::OperandDesc> operands = graph.operands;
    for (size_t i = 0; i < graph.inputs.size(); ++i) {
      nnapi_rules::OperandDesc& input = operands[graph.inputs[i]];
      input.dims = execution->inputs[i].dims;
      // The rules read a RESHAPE's shape or a TRANSPOSE's permutation given as an input from its value, as from
      // a constant's; runPlan still binds the input's buffer like any other input.
      if (input.type == ANEURALNETWORKS_TENSOR_INT32) {
        input.lifetime = nnapi_rules::Lifetime::Constant;
        input.value = execution->inputs[i].data;
        input.length = execution->inputs[i].length;
      }
    }
    auto fresh = std::make_shared<nnapi_host::Plan>();
    const std::string problem = nnapi_host::buildPlan(graph, std::move(operands), fresh.get());
    if (!problem.empty()) return execution->result = fail(ANEURALNETWORKS_OP_FAILED, function, problem);
    plan = std::move(fresh);
  }
  // Shapes given to setOutput must agree with what the model computes.
  for (size_t o = 0; o < graph.outputs.size(); ++o) {
    const auto& given = execution->outputs[o].dims;
    const auto& computed = plan->operands[graph.outputs[o]].dims;
    bool agree = given.empty() || given.size() == computed.size();
    for (size_t k = 0; agree && k < given.size(); ++k) agree = given[k] == 0 || given[k] == computed[k];
    if (!agree)
      return execution->result = fail(ANEURALNETWORKS_OP_FAILED, function,
                                      "output " + std::to_string(o) +
                                          ": the shape given to setOutput differs from "
                                          "the computed one");
  }
  std::vector<nnapi_host::Binding> inputs, outputs;
  for (const auto& slot : execution->inputs) inputs.push_back({slot.data, slot.length});
  for (const auto& slot : execution->outputs) outputs.push_back({slot.data, slot.length});
  nnapi_host::RunResult result = nnapi_host::runPlan(graph, *plan, inputs, outputs);
  execution->durationNs =
      uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
  execution->outputDims = std::move(result.outputDims);
  execution->outputSufficient = std::move(result.outputSufficient);
  execution->result = result.code;
  if (result.code == ANEURALNETWORKS_OUTPUT_INSUFFICIENT_SIZE) {
    for (size_t o = 0; o < execution->outputSufficient.size(); ++o)
      if (!execution->outputSufficient[o])
        fail(result.code, function,
             "output " + std::to_string(o) + ": buffer of " + std::to_string(execution->outputs[o].length) +
                 " bytes is too small");
  } else if (result.code != ANEURALNETWORKS_NO_ERROR) {
    fail(result.code, function, result.message);
  }
  return result.code;
}

int checkCompleted(const Execution* execution, int32_t index, const char* function) {
  if (execution->state != Execution::State::Completed)
    return fail(ANEURALNETWORKS_BAD_STATE, function, "the execution has not completed");
  if (execution->result != ANEURALNETWORKS_NO_ERROR && execution->result != ANEURALNETWORKS_OUTPUT_INSUFFICIENT_SIZE)
    return fail(ANEURALNETWORKS_BAD_STATE, function, "the execution failed");
  if (index < 0 || size_t(index) >= execution->outputDims.size())
    return fail(ANEURALNETWORKS_BAD_DATA, function, "output " + std::to_string(index) + " does not exist");
  return ANEURALNETWORKS_NO_ERROR;
}

}  // namespace

namespace nnapi_host {

int runExecution(ANeuralNetworksExecution* execution, const char* function) {
  if (int rc = checkPreparing(execution, function)) return rc;
  return guarded(function, [&](const char* fn) { return run(execution, fn); });
}

}  // namespace nnapi_host

extern "C" {

int ANeuralNetworksExecution_create(ANeuralNetworksCompilation* compilation, ANeuralNetworksExecution** execution) {
  NNAPI_REQUIRE_NONNULL(compilation);
  NNAPI_REQUIRE_NONNULL(execution);
  *execution = nullptr;
  if (!compilation->finished) return fail(ANEURALNETWORKS_BAD_STATE, __func__, "the compilation is not finished");
  return nnapi_host::guarded(__func__, [&](const char* fn) {
    auto e = new Execution();
    e->compilation = compilation->clientRef;
    e->inputs.resize(compilation->model->graph.inputs.size());
    e->outputs.resize(compilation->model->graph.outputs.size());
    *execution = e;
    return int(ANEURALNETWORKS_NO_ERROR);
  });
}

void ANeuralNetworksExecution_free(ANeuralNetworksExecution* execution) { delete execution; }

int ANeuralNetworksExecution_setInput(ANeuralNetworksExecution* execution, int32_t index,
                                      const ANeuralNetworksOperandType* type, const void* buffer, size_t length) {
  NNAPI_REQUIRE_NONNULL(execution);
  return nnapi_host::guarded(__func__, [&](const char* fn) {
    return bind(execution, true, index, type, const_cast<void*>(buffer), length, fn);
  });
}

int ANeuralNetworksExecution_setInputFromMemory(ANeuralNetworksExecution* execution, int32_t index,
                                                const ANeuralNetworksOperandType* type,
                                                const ANeuralNetworksMemory* memory, size_t offset, size_t length) {
  NNAPI_REQUIRE_NONNULL(execution);
  NNAPI_REQUIRE_NONNULL(memory);
  return nnapi_host::guarded(
      __func__, [&](const char* fn) { return bindMemory(execution, true, index, type, memory, offset, length, fn); });
}

int ANeuralNetworksExecution_setOutput(ANeuralNetworksExecution* execution, int32_t index,
                                       const ANeuralNetworksOperandType* type, void* buffer, size_t length) {
  NNAPI_REQUIRE_NONNULL(execution);
  return nnapi_host::guarded(__func__,
                             [&](const char* fn) { return bind(execution, false, index, type, buffer, length, fn); });
}

int ANeuralNetworksExecution_setOutputFromMemory(ANeuralNetworksExecution* execution, int32_t index,
                                                 const ANeuralNetworksOperandType* type,
                                                 const ANeuralNetworksMemory* memory, size_t offset, size_t length) {
  NNAPI_REQUIRE_NONNULL(execution);
  NNAPI_REQUIRE_NONNULL(memory);
  return nnapi_host::guarded(
      __func__, [&](const char* fn) { return bindMemory(execution, false, index, type, memory, offset, length, fn); });
}

int ANeuralNetworksExecution_compute(ANeuralNetworksExecution* execution) {
  NNAPI_REQUIRE_NONNULL(execution);
  return nnapi_host::runExecution(execution, __func__);
}

int ANeuralNetworksExecution_burstCompute(ANeuralNetworksExecution* execution, ANeuralNetworksBurst* burst) {
  NNAPI_REQUIRE_NONNULL(execution);
  NNAPI_REQUIRE_NONNULL(burst);
  if (burst->compilation != execution->compilation)
    return fail(ANEURALNETWORKS_BAD_DATA, __func__, "the burst belongs to another compilation");
  return nnapi_host::runExecution(execution, __func__);
}

int ANeuralNetworksExecution_getOutputOperandRank(ANeuralNetworksExecution* execution, int32_t index, uint32_t* rank) {
  NNAPI_REQUIRE_NONNULL(execution);
  NNAPI_REQUIRE_NONNULL(rank);
  if (int rc = checkCompleted(execution, index, __func__)) return rc;
  *rank = uint32_t(execution->outputDims[size_t(index)].size());
  return execution->outputSufficient[size_t(index)] ? ANEURALNETWORKS_NO_ERROR
                                                    : ANEURALNETWORKS_OUTPUT_INSUFFICIENT_SIZE;
}

int ANeuralNetworksExecution_getOutputOperandDimensions(ANeuralNetworksExecution* execution, int32_t index,
                                                        uint32_t* dimensions) {
  NNAPI_REQUIRE_NONNULL(execution);
  NNAPI_REQUIRE_NONNULL(dimensions);
  if (int rc = checkCompleted(execution, index, __func__)) return rc;
  const std::vector<uint32_t>& dims = execution->outputDims[size_t(index)];
  if (dims.empty()) return fail(ANEURALNETWORKS_BAD_DATA, __func__, "output " + std::to_string(index) + " is a scalar");
  std::copy(dims.begin(), dims.end(), dimensions);
  return execution->outputSufficient[size_t(index)] ? ANEURALNETWORKS_NO_ERROR
                                                    : ANEURALNETWORKS_OUTPUT_INSUFFICIENT_SIZE;
}

int ANeuralNetworksExecution_setMeasureTiming(ANeuralNetworksExecution* execution, bool measure) {
  NNAPI_REQUIRE_NONNULL(execution);
  if (int rc = checkPreparing(execution, __func__)) return rc;
  if (!execution->compilation->forSingleDevice)
    return fail(ANEURALNETWORKS_BAD_DATA, __func__, "timing needs a createForDevices compilation with one device");
  execution->measureTiming = measure;
  return ANEURALNETWORKS_NO_ERROR;
}

int ANeuralNetworksExecution_getDuration(const ANeuralNetworksExecution* execution, int32_t durationCode,
                                         uint64_t* duration) {
  NNAPI_REQUIRE_NONNULL(execution);
  NNAPI_REQUIRE_NONNULL(duration);
  if (execution->state != Execution::State::Completed)
    return fail(ANEURALNETWORKS_BAD_STATE, __func__, "the execution has not completed");
  if (durationCode < ANEURALNETWORKS_DURATION_ON_HARDWARE || durationCode > ANEURALNETWORKS_FENCED_DURATION_IN_DRIVER)
    return fail(ANEURALNETWORKS_BAD_DATA, __func__, "duration code " + std::to_string(durationCode) + " is not 0..3");
  // The whole run happens on the CPU inside this call, so all four durations are the same measurement.
  const bool available = execution->measureTiming && execution->result == ANEURALNETWORKS_NO_ERROR;
  *duration = available ? execution->durationNs : UINT64_MAX;
  return ANEURALNETWORKS_NO_ERROR;
}

int ANeuralNetworksExecution_setTimeout(ANeuralNetworksExecution* execution, uint64_t duration) {
  NNAPI_REQUIRE_NONNULL(execution);
  if (int rc = checkPreparing(execution, __func__)) return rc;
  if (!execution->compilation->forSingleDevice)
    return fail(ANEURALNETWORKS_BAD_DATA, __func__, "timeouts need a createForDevices compilation with one device");
  return ANEURALNETWORKS_NO_ERROR;  // runs are not interrupted
}

int ANeuralNetworksExecution_setLoopTimeout(ANeuralNetworksExecution* execution, uint64_t duration) {
  NNAPI_REQUIRE_NONNULL(execution);
  if (int rc = checkPreparing(execution, __func__)) return rc;
  return ANEURALNETWORKS_NO_ERROR;  // no WHILE loops on this host
}

uint64_t ANeuralNetworks_getDefaultLoopTimeout(void) { return kDefaultLoopTimeoutNs; }

uint64_t ANeuralNetworks_getMaximumLoopTimeout(void) { return kMaximumLoopTimeoutNs; }

}  // extern "C"
