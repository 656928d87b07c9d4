#include "ir/model.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <sstream>

#include "nnapi/NeuralNetworks.h"
#include "validation/feature_levels.h"
#include "validation/operation_rules.h"

namespace nnc::ir {
namespace {

nnapi_rules::OperandDesc describe(const Model& model, uint32_t index) {
  const Operand& operand = model.operands()[index];
  nnapi_rules::OperandDesc desc;
  desc.type = operand.type;
  desc.dims = operand.dims;
  desc.scale = operand.scale;
  desc.zeroPoint = operand.zero_point;
  if (operand.per_channel) {
    desc.channelDim = operand.per_channel->channel_dim;
    desc.channelScales = operand.per_channel->scales;
  }
  if (model.isConstant(index)) {
    desc.lifetime = nnapi_rules::Lifetime::Constant;
    desc.value = model.constantData(index);
    desc.length = model.buffers()[operand.buffer].size();
  }
  if (model.isOmitted(index)) desc.lifetime = nnapi_rules::Lifetime::NoValue;
  return desc;
}

std::vector<nnapi_rules::OperandDesc> describeAll(const Model& model) {
  std::vector<nnapi_rules::OperandDesc> all;
  all.reserve(model.operands().size());
  for (uint32_t i = 0; i < model.operands().size(); ++i) all.push_back(describe(model, i));
  return all;
}

void checkOperand(const Operand& operand) {
  nnapi_rules::OperandDesc desc;
  desc.type = operand.type;
  desc.dims = operand.dims;
  desc.scale = operand.scale;
  desc.zeroPoint = operand.zero_point;
  auto verdict = nnapi_rules::validateOperandType(desc);
  if (!verdict.ok) throw InvalidModel("invalid operand '" + operand.name + "': " + verdict.message);
}

bool hasUnspecifiedExtent(const std::vector<uint32_t>& dims) {
  return std::find(dims.begin(), dims.end(), 0u) != dims.end();
}

}  // namespace

size_t byteSize(const Operand& operand) {
  size_t count = 1;
  for (uint32_t d : operand.dims) count *= d;
  return count * nnapi_rules::elementSize(operand.type);
}

std::string operationName(int32_t op) { return nnapi_rules::operationName(op); }
std::string operandTypeName(int32_t type) { return nnapi_rules::operandTypeName(type); }

const char* layoutName(Layout layout) {
  switch (layout) {
    case Layout::Contiguous: return "contiguous";
    case Layout::ChannelsLast: return "channels_last";
    case Layout::ChannelsLastFlattened: return "channels_last_flattened";
    case Layout::ChannelsLast1d: return "channels_last_1d";
  }
  return "?";
}

uint32_t Model::addInput(int32_t type, std::vector<uint32_t> dims, Layout layout, std::string name, float scale,
                         int32_t zero_point) {
  // A model input left unspecified makes the outputs' shapes known only after execution, which NNAPI can report
  // from feature level 3 on.
  const int needed = nnapi_rules::featureLevel(nnapi_rules::Feature::DynamicOutputShape);
  if (hasUnspecifiedExtent(dims) && feature_level_ < needed) {
    throw InvalidModel("model input '" + name + "' has a dimension fixed only at execution (0), which needs " +
                       nnapi_rules::describeLevel(needed) + "; the target is " + nnapi_rules::describeLevel(feature_level_));
  }
  Operand operand;
  operand.type = type;
  operand.dims = std::move(dims);
  operand.layout = layout;
  operand.name = std::move(name);
  operand.scale = scale;
  operand.zero_point = zero_point;
  checkOperand(operand);
  operands_.push_back(std::move(operand));
  inputs_.push_back(static_cast<uint32_t>(operands_.size() - 1));
  return inputs_.back();
}

uint32_t Model::addConstant(Operand operand, const void* bytes, size_t length) {
  const auto* begin = static_cast<const uint8_t*>(bytes);
  return addConstant(std::move(operand), ConstBytes(std::vector<uint8_t>(begin, begin + length)));
}

uint32_t Model::addConstant(Operand operand, ConstBytes bytes) {
  checkOperand(operand);
  if (hasUnspecifiedExtent(operand.dims)) {
    throw InvalidModel("constant '" + operand.name + "' has an unspecified dimension (0): NNAPI constants are fully "
                       "specified");
  }
  if (bytes.size() != byteSize(operand)) {
    std::ostringstream message;
    message << "constant '" << operand.name << "' has " << bytes.size() << " bytes, its type needs "
            << byteSize(operand);
    throw InvalidModel(message.str());
  }
  buffers_.push_back(std::move(bytes));
  operand.buffer = static_cast<int32_t>(buffers_.size() - 1);
  operands_.push_back(std::move(operand));
  return static_cast<uint32_t>(operands_.size() - 1);
}

uint32_t Model::addScalarInt32(int32_t value) {
  Operand operand;
  operand.type = ANEURALNETWORKS_INT32;
  return addConstant(std::move(operand), &value, sizeof value);
}

uint32_t Model::addScalarFloat32(float value) {
  Operand operand;
  operand.type = ANEURALNETWORKS_FLOAT32;
  return addConstant(std::move(operand), &value, sizeof value);
}

uint32_t Model::addScalarBool(bool value) {
  Operand operand;
  operand.type = ANEURALNETWORKS_BOOL;
  const uint8_t byte = value ? 1 : 0;
  return addConstant(std::move(operand), &byte, 1);
}

uint32_t Model::addTensorInt32(const std::vector<int32_t>& values) {
  Operand operand;
  operand.type = ANEURALNETWORKS_TENSOR_INT32;
  operand.dims = {static_cast<uint32_t>(values.size())};
  return addConstant(std::move(operand), values.data(), values.size() * sizeof(int32_t));
}

uint32_t Model::addTensorFloat32(std::vector<uint32_t> dims, std::vector<float> values, Layout layout,
                                 std::string name) {
  return addTensorFloat32(std::move(dims), ConstBytes(std::move(values)), layout, std::move(name));
}

uint32_t Model::addTensorFloat32(std::vector<uint32_t> dims, ConstBytes values, Layout layout,
                                 std::string name) {
  Operand operand;
  operand.type = ANEURALNETWORKS_TENSOR_FLOAT32;
  operand.dims = std::move(dims);
  operand.layout = layout;
  operand.name = std::move(name);
  return addConstant(std::move(operand), std::move(values));
}

uint32_t Model::addOmitted(int32_t type, std::vector<uint32_t> dims) {
  Operand operand;
  operand.type = type;
  operand.dims = std::move(dims);
  operand.name = "omitted";
  checkOperand(operand);
  operand.buffer = kOmitted;
  operands_.push_back(std::move(operand));
  return static_cast<uint32_t>(operands_.size() - 1);
}

void Model::releaseConstantBytes() {
  for (ConstBytes& buffer : buffers_) buffer = ConstBytes();
}

const uint8_t* Model::constantData(uint32_t operand) const {
  const int32_t buffer = operands_.at(operand).buffer;
  return buffer >= 0 ? buffers_.at(buffer).data() : nullptr;
}

uint32_t Model::addLayoutAlias(uint32_t source, Layout layout, std::string name) {
  source = resolveAlias(source);
  if (isConstant(source)) throw InvalidModel("a layout alias of constant '" + operands_[source].name + "'");
  Operand operand = operands_[source];
  operand.layout = layout;
  operand.flattened_chw.clear();
  operand.buffer = -1;
  operand.name = std::move(name);
  operands_.push_back(std::move(operand));
  const uint32_t alias = static_cast<uint32_t>(operands_.size() - 1);
  aliases_.emplace_back(alias, source);
  return alias;
}

uint32_t Model::resolveAlias(uint32_t operand) const {
  for (const auto& [alias, source] : aliases_) {
    if (alias == operand) return source;
  }
  return operand;
}

void Model::setOutputs(std::vector<uint32_t> outputs) {
  for (uint32_t& output : outputs) output = resolveAlias(output);
  outputs_ = std::move(outputs);
}

std::vector<uint32_t> Model::addOperation(int32_t op, std::vector<uint32_t> inputs, std::vector<OutputSpec> outputs,
                                          const std::string& origin) {
  for (uint32_t& input : inputs) {
    if (input >= operands_.size()) {
      throw InvalidModel(operationName(op) + " (" + origin + "): input operand " + std::to_string(input) +
                         " does not exist");
    }
    input = resolveAlias(input);
  }
  // Outputs start with unknown shape; the rules infer it from the inputs.
  // A copy, not a pointer into operands_: adding the outputs moves it (SPLIT's several outputs read freed memory).
  const std::optional<Operand> first = inputs.empty() ? std::nullopt : std::optional<Operand>(operands_[inputs[0]]);
  std::vector<uint32_t> output_indices;
  for (const OutputSpec& spec : outputs) {
    Operand operand;
    operand.type = spec.type.value_or(first ? first->type : ANEURALNETWORKS_TENSOR_FLOAT32);
    if (spec.quant) {
      operand.scale = spec.quant->first;
      operand.zero_point = spec.quant->second;
    } else if (first && first->type == operand.type && !first->per_channel) {
      operand.scale = first->scale;
      operand.zero_point = first->zero_point;
    }
    operand.layout = spec.layout;
    operand.name = spec.name;
    operands_.push_back(std::move(operand));
    output_indices.push_back(static_cast<uint32_t>(operands_.size() - 1));
  }

  std::vector<nnapi_rules::OperandDesc> inferred;
  const auto verdict = nnapi_rules::validateOperation(op, inputs, output_indices, describeAll(*this), feature_level_,
                                                      &inferred);
  if (!verdict.ok) {
    operands_.resize(operands_.size() - outputs.size());
    throw InvalidModel(operationName(op) + " lowered from " + origin + " is invalid: " + verdict.message);
  }
  for (size_t i = 0; i < output_indices.size() && i < inferred.size(); ++i) {
    Operand& operand = operands_[output_indices[i]];
    operand.dims = inferred[i].dims;
    if (!outputs[i].type) operand.type = inferred[i].type;
    if (!outputs[i].quant) {
      operand.scale = inferred[i].scale;
      operand.zero_point = inferred[i].zeroPoint;
    }
  }
  operations_.push_back(Operation{op, std::move(inputs), output_indices, origin});
  return output_indices;
}

void Model::removeUnusedOperands() {
  std::vector<bool> used(operands_.size(), false);
  for (const Operation& operation : operations_) {
    for (uint32_t i : operation.inputs) used[i] = true;
    for (uint32_t i : operation.outputs) used[i] = true;
  }
  for (uint32_t i : inputs_) used[i] = true;
  for (uint32_t i : outputs_) used[i] = true;

  std::vector<uint32_t> renumber(operands_.size(), UINT32_MAX);
  std::vector<Operand> kept;
  std::vector<ConstBytes> kept_buffers;
  for (uint32_t i = 0; i < operands_.size(); ++i) {
    if (!used[i]) continue;
    renumber[i] = static_cast<uint32_t>(kept.size());
    Operand operand = std::move(operands_[i]);
    if (operand.buffer >= 0) {
      kept_buffers.push_back(std::move(buffers_[operand.buffer]));
      operand.buffer = static_cast<int32_t>(kept_buffers.size() - 1);
    }
    kept.push_back(std::move(operand));
  }
  auto remap = [&](std::vector<uint32_t>& indices) {
    for (uint32_t& i : indices) i = renumber[i];
  };
  for (Operation& operation : operations_) {
    remap(operation.inputs);
    remap(operation.outputs);
  }
  remap(inputs_);
  remap(outputs_);
  aliases_.clear();  // no operation or output refers to an alias: none is kept
  operands_ = std::move(kept);
  buffers_ = std::move(kept_buffers);
}

int Model::minimumFeatureLevel() const {
  const auto all = describeAll(*this);
  int level = 27;
  for (const Operation& operation : operations_) {
    level = std::max(level, nnapi_rules::minimumFeatureLevel(operation.type, operation.inputs, operation.outputs, all));
  }
  for (uint32_t input : inputs_) {
    if (hasUnspecifiedExtent(operands_[input].dims)) {
      level = std::max(level, nnapi_rules::featureLevel(nnapi_rules::Feature::DynamicOutputShape));
    }
  }
  return level;
}

}  // namespace nnc::ir
