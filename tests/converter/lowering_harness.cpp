#include "lowering_harness.h"

#include <catch2/catch.hpp>
#include <cstring>

#include "nnapi/NeuralNetworks.h"
#include "ops/registry.h"

namespace nnc::test {

ValueId LoweringHarness::addValue(Value value) {
  if (value.name.empty()) value.name = "v" + std::to_string(state.values.size());
  state.values.push_back(std::move(value));
  return state.values.size() - 1;
}

ValueId LoweringHarness::tensor(const std::vector<int64_t>& torch_shape, ir::Layout layout,
                                std::vector<uint32_t> flattened_chw) {
  Value value;
  value.kind = Value::Kind::Tensor;
  value.name = "input" + std::to_string(model.inputs().size());
  value.operand = model.addInput(ANEURALNETWORKS_TENSOR_FLOAT32, physicalDims(torch_shape, layout), layout,
                                 value.name);
  model.mutableOperand(value.operand).flattened_chw = std::move(flattened_chw);
  return addValue(std::move(value));
}

ValueId LoweringHarness::constant(Constant c) {
  Value value;
  value.kind = Value::Kind::Constant;
  value.constant = std::move(c);
  return addValue(std::move(value));
}

ValueId LoweringHarness::floatTensor(std::vector<int64_t> shape, const std::vector<float>& values) {
  ConstTensor tensor;
  tensor.dtype = DType::Float32;
  tensor.shape = std::move(shape);
  REQUIRE(tensor.numel() == static_cast<int64_t>(values.size()));
  tensor.bytes.resize(values.size() * sizeof(float));
  std::memcpy(tensor.bytes.data(), values.data(), tensor.bytes.size());
  return constant(std::move(tensor));
}

ValueId LoweringHarness::list(std::vector<ValueId> elements) {
  Value value;
  value.kind = Value::Kind::List;
  value.elements = std::move(elements);
  return addValue(std::move(value));
}

void LoweringHarness::lower(const std::string& kind, std::vector<ValueId> inputs, size_t output_count) {
  const LowerFn lowering = registry().find(kind);
  INFO("node kind " << kind);
  REQUIRE(lowering != nullptr);
  Node node;
  node.kind = kind;
  node.inputs = std::move(inputs);
  for (size_t i = 0; i < output_count; ++i) {
    Value out;
    out.name = "out" + std::to_string(i);
    node.outputs.push_back(addValue(std::move(out)));
  }
  nodes_.push_back(std::move(node));
  LoweringContext ctx(state, nodes_.back());
  lowering(ctx);
}

std::string LoweringHarness::unsupportedReason(const std::string& kind, std::vector<ValueId> inputs) {
  try {
    lower(kind, std::move(inputs));
  } catch (const Unsupported& e) {
    return e.what();
  }
  FAIL_CHECK(kind << " was lowered, expected it to be rejected as unsupported");
  return "";
}

const Value& LoweringHarness::output(size_t i) const { return state.values.at(nodes_.back().outputs.at(i)); }

uint32_t LoweringHarness::outputOperand(size_t i) const {
  REQUIRE(output(i).kind == Value::Kind::Tensor);
  return output(i).operand;
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
  const std::vector<uint8_t>& bytes = model.buffers().at(model.operands()[operand].buffer);
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

std::vector<int32_t> LoweringHarness::scalarInts(const ir::Operation& op, size_t first, size_t count) const {
  REQUIRE(op.inputs.size() >= first + count);
  std::vector<int32_t> values;
  for (size_t i = first; i < first + count; ++i) values.push_back(scalarInt(op.inputs[i]));
  return values;
}

}  // namespace nnc::test
