#include "lowering_harness.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <numeric>

#include "nnapi/NeuralNetworks.h"
#include "ops/registry.h"

namespace nnc::test {

std::vector<float> iota(size_t n) {
  std::vector<float> v(n);
  std::iota(v.begin(), v.end(), 0.0f);
  return v;
}

LoweringHarness::LoweringHarness(int feature_level) : state(feature_level), model(state.openPartition().model) {}

ValueId LoweringHarness::addValue(Value value) {
  if (value.name.empty()) value.name = "v" + std::to_string(state.values.size());
  state.values.push_back(std::move(value));
  return state.values.size() - 1;
}

ValueId LoweringHarness::tensorValue(const std::vector<int64_t>& torch_shape, ir::Layout layout,
                                     std::vector<uint32_t> flattened_chw, bool in_partition, int32_t type,
                                     float scale, int32_t zero_point) {
  Value value;
  value.kind = Value::Kind::Tensor;
  value.name = "input" + std::to_string(state.values.size());
  value.tensor.type = type;
  value.tensor.scale = scale;
  value.tensor.zero_point = zero_point;
  value.tensor.dims = physicalDims(torch_shape, layout);
  value.tensor.layout = layout;
  value.tensor.flattened_chw = std::move(flattened_chw);
  value.tensor.name = value.name;
  if (in_partition) {
    value.partition = state.open;
    value.partition_operand = model.addInput(value.tensor.type, value.tensor.dims, layout, value.name, scale,
                                             zero_point);
    model.mutableOperand(value.partition_operand).flattened_chw = value.tensor.flattened_chw;
  }
  return addValue(std::move(value));
}

ValueId LoweringHarness::tensor(const std::vector<int64_t>& torch_shape, ir::Layout layout,
                                std::vector<uint32_t> flattened_chw) {
  return tensorValue(torch_shape, layout, std::move(flattened_chw), true);
}

ValueId LoweringHarness::cpuTensor(const std::vector<int64_t>& torch_shape, ir::Layout layout,
                                   std::vector<uint32_t> flattened_chw) {
  return tensorValue(torch_shape, layout, std::move(flattened_chw), false);
}

ValueId LoweringHarness::quantTensor(const std::vector<int64_t>& torch_shape, float scale, int32_t zero_point,
                                     ir::Layout layout, std::vector<uint32_t> flattened_chw) {
  return tensorValue(torch_shape, layout, std::move(flattened_chw), true, ANEURALNETWORKS_TENSOR_QUANT8_ASYMM, scale,
                     zero_point);
}

ConstTensor LoweringHarness::qint8Weight(std::vector<int64_t> shape, const std::vector<int8_t>& values, double scale,
                                         int64_t zero_point) {
  ConstTensor tensor;
  tensor.dtype = DType::QInt8;
  tensor.shape = std::move(shape);
  REQUIRE(tensor.numel() == static_cast<int64_t>(values.size()));
  tensor.bytes = ConstBytes(std::vector<uint8_t>(reinterpret_cast<const uint8_t*>(values.data()),
                                                 reinterpret_cast<const uint8_t*>(values.data()) + values.size()));
  tensor.scale = scale;
  tensor.zero_point = zero_point;
  return tensor;
}

ConstTensor LoweringHarness::qint8PerChannelWeight(std::vector<int64_t> shape, const std::vector<int8_t>& values,
                                                   std::vector<double> scales, int64_t axis,
                                                   std::vector<int64_t> zero_points) {
  ConstTensor tensor = qint8Weight(std::move(shape), values, 0.0);
  if (zero_points.empty()) zero_points.assign(scales.size(), 0);
  tensor.channel_scales = std::move(scales);
  tensor.channel_zero_points = std::move(zero_points);
  tensor.channel_axis = axis;
  return tensor;
}

ConstTensor LoweringHarness::floatConst(std::vector<int64_t> shape, const std::vector<float>& values) {
  ConstTensor tensor;
  tensor.dtype = DType::Float32;
  tensor.shape = std::move(shape);
  REQUIRE(tensor.numel() == static_cast<int64_t>(values.size()));
  std::vector<uint8_t> bytes(values.size() * sizeof(float));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  tensor.bytes = ConstBytes(std::move(bytes));
  return tensor;
}

ValueId LoweringHarness::int32Tensor(const std::vector<int64_t>& shape) {
  return tensorValue(shape, ir::Layout::Contiguous, {}, true, ANEURALNETWORKS_TENSOR_INT32);
}

ValueId LoweringHarness::constant(Constant c) {
  Value value;
  value.kind = Value::Kind::Constant;
  value.constant = std::move(c);
  return addValue(std::move(value));
}

ValueId LoweringHarness::floatTensor(std::vector<int64_t> shape, const std::vector<float>& values) {
  return constant(floatConst(std::move(shape), values));
}

ValueId LoweringHarness::list(std::vector<ValueId> elements) {
  Value value;
  value.kind = Value::Kind::List;
  value.elements = std::move(elements);
  return addValue(std::move(value));
}

LoweringHarness::IrSize LoweringHarness::irSize() const {
  const PartitionState& partition = state.partitions.at(0);
  return {state.partitions.size(),           partition.model.operands().size(), partition.model.operations().size(),
          partition.model.inputs().size(),   partition.model.buffers().size(),  partition.imports.size()};
}

void LoweringHarness::checkUnchanged(const IrSize& before, const std::string& kind) const {
  INFO("the support question for " << kind << " changed the IR");
  const IrSize after = irSize();
  CHECK(after.partitions == before.partitions);
  CHECK(after.operands == before.operands);
  CHECK(after.operations == before.operations);
  CHECK(after.inputs == before.inputs);
  CHECK(after.buffers == before.buffers);
  CHECK(after.imports == before.imports);
}

LoweringContext LoweringHarness::contextFor(const std::string& kind, std::vector<ValueId> inputs,
                                            size_t output_count) {
  INFO("node kind " << kind);
  REQUIRE(registry().find(kind) != nullptr);
  Node node;
  node.kind = kind;
  node.inputs = std::move(inputs);
  for (size_t i = 0; i < output_count; ++i) {
    Value out;
    out.name = "out" + std::to_string(i);
    node.outputs.push_back(addValue(std::move(out)));
  }
  node.output_used = output_used;
  node.rewritable_inputs = rewritable_inputs;
  nodes_.push_back(std::move(node));
  return LoweringContext(state, nodes_.back());
}

void LoweringHarness::lower(const std::string& kind, std::vector<ValueId> inputs, size_t output_count) {
  LoweringContext ctx = contextFor(kind, std::move(inputs), output_count);
  const IrSize before = irSize();
  const Support support = supports(ctx);
  checkUnchanged(before, kind);
  if (!support.ok) throw Unsupported(support.reason);
  try {
    support.emit(ctx);
  } catch (const Unsupported& e) {
    FAIL(kind << " was supported, then its emission threw Unsupported: " << e.what());
  }
}

std::string LoweringHarness::unsupportedReason(const std::string& kind, std::vector<ValueId> inputs) {
  LoweringContext ctx = contextFor(kind, std::move(inputs), 1);
  const IrSize before = irSize();
  const Support support = supports(ctx);
  checkUnchanged(before, kind);
  if (support.ok) {
    FAIL_CHECK(kind << " is supported, expected it to be rejected");
    return "";
  }
  return support.reason;
}

const Value& LoweringHarness::output(size_t i) const { return state.values.at(nodes_.back().outputs.at(i)); }

ValueId LoweringHarness::outputValue(size_t i) {
  const Value value = output(i);
  const ValueId id = none();
  state.values[id] = value;
  return id;
}

uint32_t LoweringHarness::outputOperand(size_t i) const {
  REQUIRE(output(i).kind == Value::Kind::Tensor);
  REQUIRE(output(i).partition == 0);
  return output(i).partition_operand;
}

uint32_t LoweringHarness::operandOf(ValueId id) const {
  const Value& value = state.values.at(id);
  REQUIRE(value.kind == Value::Kind::Tensor);
  if (value.partition == 0) return value.partition_operand;
  return importOf(id, value.tensor.layout);
}

uint32_t LoweringHarness::importOf(ValueId id, ir::Layout layout) const {
  const auto& imports = state.partitions.at(0).imports;
  const auto found = imports.find({id, layout});
  INFO("value " << state.values.at(id).name << " imported in layout " << ir::layoutName(layout));
  REQUIRE(found != imports.end());
  return found->second;
}

std::vector<int32_t> LoweringHarness::operationCodes() const {
  std::vector<int32_t> codes;
  for (const ir::Operation& op : model.operations()) codes.push_back(op.type);
  return codes;
}

namespace {
template <typename T>
std::vector<T> constantValues(const ir::Model& model, uint32_t operand, int32_t type) {
  INFO("operand " << operand << " ('" << model.operands().at(operand).name << "')");
  REQUIRE(model.isConstant(operand));
  REQUIRE(model.operands().at(operand).type == type);
  const ConstBytes& bytes = model.buffers().at(model.operands()[operand].buffer);
  std::vector<T> values(bytes.size() / sizeof(T));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(T));
  return values;
}
}  // namespace

int32_t LoweringHarness::scalarInt(uint32_t operand) const {
  return constantValues<int32_t>(model, operand, ANEURALNETWORKS_INT32).at(0);
}
float LoweringHarness::scalarFloat(uint32_t operand) const {
  return constantValues<float>(model, operand, ANEURALNETWORKS_FLOAT32).at(0);
}
std::vector<int32_t> LoweringHarness::intValues(uint32_t operand) const {
  return constantValues<int32_t>(model, operand, ANEURALNETWORKS_TENSOR_INT32);
}
std::vector<float> LoweringHarness::floatValues(uint32_t operand) const {
  return constantValues<float>(model, operand, ANEURALNETWORKS_TENSOR_FLOAT32);
}

std::vector<uint8_t> LoweringHarness::bytes(uint32_t operand) const {
  INFO("operand " << operand << " ('" << model.operands().at(operand).name << "')");
  REQUIRE(model.isConstant(operand));
  const ConstBytes& bytes = model.buffers().at(model.operands()[operand].buffer);
  return {bytes.begin(), bytes.end()};
}

std::vector<int32_t> LoweringHarness::scalarInts(const ir::Operation& op, size_t first, size_t count) const {
  REQUIRE(op.inputs.size() >= first + count);
  std::vector<int32_t> values;
  for (size_t i = first; i < first + count; ++i) values.push_back(scalarInt(op.inputs[i]));
  return values;
}

}  // namespace nnc::test
