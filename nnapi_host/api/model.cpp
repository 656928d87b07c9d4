// ANeuralNetworksModel_*: building a model (reference §3, §12.1–12.4). Every operand and operation is validated
// when added, with the shared rules (validation/operation_rules.h) the converter also uses, at the feature level
// this library emulates (api/emulated_level.h).
#include <sys/mman.h>

#include <cmath>
#include <cstring>

#include "api/api_util.h"
#include "api/emulated_level.h"
#include "api/injected_failure.h"
#include "api/objects.h"
#include "validation/op_params.h"

using nnapi_host::emulatedFeatureLevel;
using nnapi_host::explainVerdict;
using nnapi_host::fail;
using nnapi_rules::Lifetime;
using nnapi_rules::OperandDesc;

namespace {

std::string operandLabel(int32_t index) { return "operand " + std::to_string(index); }

// Common preconditions of the calls that modify a model; returns NO_ERROR or the failure (already reported).
int checkModifiable(const ANeuralNetworksModel* model, const char* function) {
  if (model->finished) return fail(ANEURALNETWORKS_BAD_STATE, function, "the model is already finished");
  return ANEURALNETWORKS_NO_ERROR;
}

int checkOperandIndex(const ANeuralNetworksModel* model, int32_t index, const char* function) {
  if (index < 0 || size_t(index) >= model->graph.operands.size())
    return fail(ANEURALNETWORKS_BAD_DATA, function,
                "operand index " + std::to_string(index) + " is out of range (the model has " +
                    std::to_string(model->graph.operands.size()) + " operands)");
  return ANEURALNETWORKS_NO_ERROR;
}

// Applies a change to both the declared and the refined view of an operand.
template <typename Change>
void updateOperand(ANeuralNetworksModel* model, uint32_t index, Change change) {
  change(model->graph.operands[index]);
  change(model->refined[index]);
}

// Checks a constant's operand and length before its value is set (§12.1).
int checkValueTarget(ANeuralNetworksModel* model, int32_t index, size_t length, const char* function) {
  if (int rc = checkModifiable(model, function)) return rc;
  if (int rc = checkOperandIndex(model, index, function)) return rc;
  const OperandDesc& d = model->graph.operands[size_t(index)];
  if (model->valueSet[size_t(index)])
    return fail(ANEURALNETWORKS_BAD_DATA, function, operandLabel(index) + ": value already set");
  if (d.type == ANEURALNETWORKS_MODEL)
    return fail(ANEURALNETWORKS_BAD_DATA, function,
                operandLabel(index) + ": MODEL operands take setOperandValueFromModel");
  const bool scalar =
      d.dims.empty() && nnapi_rules::elementSize(d.type) != 0 &&
      (d.type <= ANEURALNETWORKS_UINT32 || d.type == ANEURALNETWORKS_BOOL || d.type == ANEURALNETWORKS_FLOAT16);
  bool fullySpecified = scalar || !d.dims.empty();
  for (uint32_t x : d.dims) fullySpecified = fullySpecified && x != 0;
  if (!fullySpecified)
    return fail(ANEURALNETWORKS_BAD_DATA, function,
                operandLabel(index) + ": a constant needs a fully specified shape, got " +
                    nnapi_rules::operandTypeName(d.type) + " " + std::to_string(d.dims.size()) +
                    "-D with unknown extents");
  const size_t expected = nnapi_rules::byteSize(d);
  if (length != expected)
    return fail(ANEURALNETWORKS_BAD_DATA, function,
                operandLabel(index) + ": length is " + std::to_string(length) + " bytes, the operand (" +
                    nnapi_rules::operandTypeName(d.type) + ") needs exactly " + std::to_string(expected));
  return ANEURALNETWORKS_NO_ERROR;
}

void setConstant(ANeuralNetworksModel* model, uint32_t index, const void* value, size_t length) {
  model->valueSet[index] = true;
  updateOperand(model, index, [&](OperandDesc& d) {
    d.lifetime = Lifetime::Constant;
    d.value = value;
    d.length = length;
  });
}

int addOperation(ANeuralNetworksModel* model, ANeuralNetworksOperationType type, uint32_t inputCount,
                 const uint32_t* inputs, uint32_t outputCount, const uint32_t* outputs, const char* function) {
  const std::vector<uint32_t> in(inputs, inputs + inputCount), out(outputs, outputs + outputCount);
  if (type < 0 || type > ANEURALNETWORKS_REVERSE)
    return fail(ANEURALNETWORKS_BAD_DATA, function,
                "operation code " + std::to_string(type) + " is not an OperationCode (0..105)");
  std::vector<OperandDesc> inferred;
  const nnapi_rules::Verdict verdict =
      nnapi_rules::validateOperation(type, in, out, model->refined, emulatedFeatureLevel(), &inferred);
  if (!verdict.ok) return fail(ANEURALNETWORKS_BAD_DATA, function, explainVerdict(verdict));
  for (uint32_t o : out) {
    if (model->refined[o].lifetime != Lifetime::Temporary)
      return fail(ANEURALNETWORKS_BAD_DATA, function,
                  nnapi_rules::operationName(type) + " output " + operandLabel(int32_t(o)) +
                      " is a constant or omitted operand");
  }
  for (size_t k = 0; k < out.size(); ++k) model->refined[out[k]].dims = inferred[k].dims;
  model->graph.operations.push_back({type, in, out});
  return ANEURALNETWORKS_NO_ERROR;
}

int identify(ANeuralNetworksModel* model, const std::vector<uint32_t>& inputs, const std::vector<uint32_t>& outputs,
             const char* function) {
  const size_t n = model->graph.operands.size();
  std::vector<int> role(n, 0);  // 1 input, 2 output
  for (int pass = 0; pass < 2; ++pass) {
    const std::vector<uint32_t>& list = pass == 0 ? inputs : outputs;
    const char* what = pass == 0 ? "input" : "output";
    for (uint32_t index : list) {
      if (index >= n)
        return fail(ANEURALNETWORKS_BAD_DATA, function,
                    std::string(what) + " operand index " + std::to_string(index) + " is out of range");
      const Lifetime lifetime = model->graph.operands[index].lifetime;
      if (lifetime == Lifetime::Constant || lifetime == Lifetime::NoValue)
        return fail(ANEURALNETWORKS_BAD_DATA, function,
                    std::string(what) + " " + operandLabel(int32_t(index)) + " is a constant or omitted operand");
      if (role[index] != 0)
        return fail(ANEURALNETWORKS_BAD_DATA, function,
                    operandLabel(int32_t(index)) +
                        (role[index] == pass + 1 ? " is listed twice" : " is both a model input and output"));
      role[index] = pass + 1;
    }
  }
  if (inputs.empty() || outputs.empty())
    return fail(ANEURALNETWORKS_BAD_DATA, function, "a model needs at least one input and one output");
  // A repeated call replaces the earlier lists.
  for (uint32_t old : model->graph.inputs)
    updateOperand(model, old, [](OperandDesc& d) { d.lifetime = Lifetime::Temporary; });
  for (uint32_t index : inputs) updateOperand(model, index, [](OperandDesc& d) { d.lifetime = Lifetime::ModelInput; });
  model->graph.inputs = inputs;
  model->graph.outputs = outputs;
  return ANEURALNETWORKS_NO_ERROR;
}

bool readsPerChannelOperand(const ANeuralNetworksModel* model, const nnapi_host::Operation& operation) {
  for (uint32_t i : operation.inputs)
    if (model->graph.operands[i].type == ANEURALNETWORKS_TENSOR_QUANT8_SYMM_PER_CHANNEL) return true;
  return false;
}

int finish(ANeuralNetworksModel* model, const char* function) {
  model->finished = true;
  if (const std::string refused = nnapi_host::injectedFailure(nnapi_host::InjectedFailure::Model); !refused.empty()) {
    model->invalid = true;
    return fail(ANEURALNETWORKS_OP_FAILED, function, refused);
  }
  for (size_t i = 0; i < model->graph.operands.size(); ++i) {
    const OperandDesc& d = model->graph.operands[i];
    if (d.type == ANEURALNETWORKS_TENSOR_QUANT8_SYMM_PER_CHANNEL && d.channelScales.empty()) {
      model->invalid = true;
      return fail(ANEURALNETWORKS_BAD_DATA, function,
                  operandLabel(int32_t(i)) +
                      ": TENSOR_QUANT8_SYMM_PER_CHANNEL without "
                      "setOperandSymmPerChannelQuantParams");
    }
  }
  // Per-channel parameters may be set after the operation reading them was added, when addOperation could not
  // check them (e.g. the channel axis a convolution needs): check those operations again now.
  for (size_t k = 0; k < model->graph.operations.size(); ++k) {
    const nnapi_host::Operation& operation = model->graph.operations[k];
    if (!readsPerChannelOperand(model, operation)) continue;
    const nnapi_rules::Verdict verdict = nnapi_rules::validateOperation(
        operation.type, operation.inputs, operation.outputs, model->refined, emulatedFeatureLevel(), nullptr);
    if (!verdict.ok) {
      model->invalid = true;
      return fail(ANEURALNETWORKS_BAD_DATA, function,
                  "operation " + std::to_string(k) + ": " + explainVerdict(verdict));
    }
  }
  const std::string problem = nnapi_host::sortOperations(model->graph);
  if (!problem.empty()) {
    model->invalid = true;
    return fail(ANEURALNETWORKS_BAD_DATA, function, problem);
  }
  return ANEURALNETWORKS_NO_ERROR;
}

}  // namespace

extern "C" {

int ANeuralNetworksModel_create(ANeuralNetworksModel** model) {
  NNAPI_REQUIRE_NONNULL(model);
  return nnapi_host::guarded(__func__, [&](const char* fn) {
    *model = nnapi_host::createShared<ANeuralNetworksModel>();
    return int(ANEURALNETWORKS_NO_ERROR);
  });
}

void ANeuralNetworksModel_free(ANeuralNetworksModel* model) { nnapi_host::releaseClientRef(model); }

int ANeuralNetworksModel_finish(ANeuralNetworksModel* model) {
  NNAPI_REQUIRE_NONNULL(model);
  if (int rc = checkModifiable(model, __func__)) return rc;
  return nnapi_host::guarded(__func__, [&](const char* fn) { return finish(model, fn); });
}

int ANeuralNetworksModel_addOperand(ANeuralNetworksModel* model, const ANeuralNetworksOperandType* type) {
  NNAPI_REQUIRE_NONNULL(model);
  NNAPI_REQUIRE_NONNULL(type);
  if (int rc = checkModifiable(model, __func__)) return rc;
  if (type->dimensionCount > 0 && type->dimensions == nullptr)
    return fail(ANEURALNETWORKS_BAD_DATA, __func__,
                "dimensionCount is " + std::to_string(type->dimensionCount) + " but dimensions is NULL");
  return nnapi_host::guarded(__func__, [&](const char* fn) {
    OperandDesc d;
    d.type = type->type;
    d.dims.assign(type->dimensions, type->dimensions + type->dimensionCount);
    d.scale = type->scale;
    d.zeroPoint = type->zeroPoint;
    const nnapi_rules::Verdict verdict = nnapi_rules::validateOperandType(d, emulatedFeatureLevel());
    if (!verdict.ok)
      return fail(ANEURALNETWORKS_BAD_DATA, fn,
                  operandLabel(int32_t(model->graph.operands.size())) + ": " + explainVerdict(verdict));
    model->graph.operands.push_back(d);
    model->refined.push_back(d);
    model->valueSet.push_back(false);
    return int(ANEURALNETWORKS_NO_ERROR);
  });
}

int ANeuralNetworksModel_setOperandValue(ANeuralNetworksModel* model, int32_t index, const void* buffer,
                                         size_t length) {
  NNAPI_REQUIRE_NONNULL(model);
  return nnapi_host::guarded(__func__, [&](const char* fn) {
    if (buffer == nullptr) {
      if (length != 0)
        return fail(ANEURALNETWORKS_BAD_DATA, fn,
                    operandLabel(index) + ": buffer is NULL with length " + std::to_string(length));
      if (int rc = checkModifiable(model, fn)) return rc;
      if (int rc = checkOperandIndex(model, index, fn)) return rc;
      // (NULL, 0): an omitted optional operand.
      model->valueSet[size_t(index)] = true;
      updateOperand(model, uint32_t(index), [](OperandDesc& d) { d.lifetime = Lifetime::NoValue; });
      return int(ANEURALNETWORKS_NO_ERROR);
    }
    if (int rc = checkValueTarget(model, index, length, fn)) return rc;
    const void* value = buffer;
    if (length <= ANEURALNETWORKS_MAX_SIZE_OF_IMMEDIATELY_COPIED_VALUES) {  // small: copied; large: referenced
      const uint8_t* bytes = static_cast<const uint8_t*>(buffer);
      model->copiedValues.emplace_back(bytes, bytes + length);
      value = model->copiedValues.back().data();
    }
    setConstant(model, uint32_t(index), value, length);
    return int(ANEURALNETWORKS_NO_ERROR);
  });
}

int ANeuralNetworksModel_setOperandValueFromMemory(ANeuralNetworksModel* model, int32_t index,
                                                   const ANeuralNetworksMemory* memory, size_t offset, size_t length) {
  NNAPI_REQUIRE_NONNULL(model);
  NNAPI_REQUIRE_NONNULL(memory);
  return nnapi_host::guarded(__func__, [&](const char* fn) {
    if (int rc = checkValueTarget(model, index, length, fn)) return rc;
    if (!(memory->protect & PROT_READ))
      return fail(ANEURALNETWORKS_BAD_DATA, fn, operandLabel(index) + ": the memory is not readable");
    if (offset > memory->size || length > memory->size - offset)
      return fail(ANEURALNETWORKS_BAD_DATA, fn,
                  operandLabel(index) + ": region [" + std::to_string(offset) + ", +" + std::to_string(length) +
                      ") exceeds the memory's " + std::to_string(memory->size) + " bytes");
    const size_t align = nnapi_rules::elementSize(model->graph.operands[size_t(index)].type);
    if (align > 1 && (reinterpret_cast<uintptr_t>(memory->data + offset) % align) != 0)
      return fail(ANEURALNETWORKS_BAD_DATA, fn,
                  operandLabel(index) + ": offset " + std::to_string(offset) + " is not aligned to the element size " +
                      std::to_string(align));
    setConstant(model, uint32_t(index), memory->data + offset, length);
    return int(ANEURALNETWORKS_NO_ERROR);
  });
}

int ANeuralNetworksModel_setOperandSymmPerChannelQuantParams(
    ANeuralNetworksModel* model, int32_t index, const ANeuralNetworksSymmPerChannelQuantParams* channelQuant) {
  NNAPI_REQUIRE_NONNULL(model);
  NNAPI_REQUIRE_NONNULL(channelQuant);
  if (int rc = checkModifiable(model, __func__)) return rc;
  if (int rc = checkOperandIndex(model, index, __func__)) return rc;
  return nnapi_host::guarded(__func__, [&](const char* fn) {
    const OperandDesc& d = model->graph.operands[size_t(index)];
    const std::string label = operandLabel(index) + ": ";
    if (d.type != ANEURALNETWORKS_TENSOR_QUANT8_SYMM_PER_CHANNEL)
      return fail(ANEURALNETWORKS_BAD_DATA, fn,
                  label + "type is " + nnapi_rules::operandTypeName(d.type) + ", not TENSOR_QUANT8_SYMM_PER_CHANNEL");
    if (!d.channelScales.empty())
      return fail(ANEURALNETWORKS_BAD_DATA, fn, label + "per-channel parameters already set");
    if (channelQuant->channelDim >= d.dims.size())
      return fail(ANEURALNETWORKS_BAD_DATA, fn,
                  label + "channelDim " + std::to_string(channelQuant->channelDim) + " >= rank " +
                      std::to_string(d.dims.size()));
    const uint32_t channels = d.dims[channelQuant->channelDim];
    if (channels == 0 || channelQuant->scaleCount != channels)
      return fail(ANEURALNETWORKS_BAD_DATA, fn,
                  label + "scaleCount " + std::to_string(channelQuant->scaleCount) + " must equal dimension " +
                      std::to_string(channelQuant->channelDim) + " (" + std::to_string(channels) + ")");
    // An invalid struct, not a missing argument: AOSP answers BAD_DATA here (UNEXPECTED_NULL is for channelQuant).
    if (channelQuant->scales == nullptr) return fail(ANEURALNETWORKS_BAD_DATA, fn, label + "scales is NULL");
    std::vector<float> scales(channelQuant->scales, channelQuant->scales + channels);
    for (size_t c = 0; c < scales.size(); ++c)
      if (!(scales[c] > 0.0f && std::isfinite(scales[c])))
        return fail(ANEURALNETWORKS_BAD_DATA, fn,
                    label + "scale " + std::to_string(c) + " is " + std::to_string(scales[c]) + ", must be > 0");
    updateOperand(model, uint32_t(index), [&](OperandDesc& o) {
      o.channelDim = channelQuant->channelDim;
      o.channelScales = scales;
    });
    return int(ANEURALNETWORKS_NO_ERROR);
  });
}

int ANeuralNetworksModel_setOperandValueFromModel(ANeuralNetworksModel* model, int32_t index,
                                                  const ANeuralNetworksModel* value) {
  NNAPI_REQUIRE_NONNULL(model);
  NNAPI_REQUIRE_NONNULL(value);
  if (int rc = checkModifiable(model, __func__)) return rc;
  if (int rc = checkOperandIndex(model, index, __func__)) return rc;
  if (model->graph.operands[size_t(index)].type != ANEURALNETWORKS_MODEL)
    return fail(ANEURALNETWORKS_BAD_DATA, __func__, operandLabel(index) + ": not a MODEL operand");
  if (!value->finished || value->invalid)
    return fail(ANEURALNETWORKS_BAD_DATA, __func__, operandLabel(index) + ": the referenced model is not finished");
  if (model->valueSet[size_t(index)])
    return fail(ANEURALNETWORKS_BAD_DATA, __func__, operandLabel(index) + ": value already set");
  return nnapi_host::guarded(__func__, [&](const char* fn) {
    setConstant(model, uint32_t(index), value, 0);
    return int(ANEURALNETWORKS_NO_ERROR);
  });
}

int ANeuralNetworksModel_addOperation(ANeuralNetworksModel* model, ANeuralNetworksOperationType type,
                                      uint32_t inputCount, const uint32_t* inputs, uint32_t outputCount,
                                      const uint32_t* outputs) {
  NNAPI_REQUIRE_NONNULL(model);
  if (inputCount > 0) NNAPI_REQUIRE_NONNULL(inputs);
  if (outputCount > 0) NNAPI_REQUIRE_NONNULL(outputs);
  if (int rc = checkModifiable(model, __func__)) return rc;
  return nnapi_host::guarded(__func__, [&](const char* fn) {
    return addOperation(model, type, inputCount, inputs, outputCount, outputs, fn);
  });
}

int ANeuralNetworksModel_identifyInputsAndOutputs(ANeuralNetworksModel* model, uint32_t inputCount,
                                                  const uint32_t* inputs, uint32_t outputCount,
                                                  const uint32_t* outputs) {
  NNAPI_REQUIRE_NONNULL(model);
  if (inputCount > 0) NNAPI_REQUIRE_NONNULL(inputs);
  if (outputCount > 0) NNAPI_REQUIRE_NONNULL(outputs);
  if (int rc = checkModifiable(model, __func__)) return rc;
  return nnapi_host::guarded(__func__, [&](const char* fn) {
    return identify(model, std::vector<uint32_t>(inputs, inputs + inputCount),
                    std::vector<uint32_t>(outputs, outputs + outputCount), fn);
  });
}

int ANeuralNetworksModel_relaxComputationFloat32toFloat16(ANeuralNetworksModel* model, bool allow) {
  NNAPI_REQUIRE_NONNULL(model);
  if (int rc = checkModifiable(model, __func__)) return rc;
  model->graph.relaxed = allow;
  return ANEURALNETWORKS_NO_ERROR;
}

}  // extern "C"
