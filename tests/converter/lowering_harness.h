// A tiny graph for one node, lowered through the converter's registry, and accessors for what it emitted.
//
//   LoweringHarness h;
//   ValueId x = h.tensor({1, 3, 8, 8}, ir::Layout::ChannelsLast);
//   h.lower("aten::max_pool2d", {x, h.ints({2, 2}), h.ints({}), h.ints({0, 0}), h.ints({1, 1}), h.boolean(false)});
//   CHECK(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MAX_POOL_2D});
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "ir/model.h"
#include "ops/graph.h"
#include "ops/lowering.h"

namespace nnc::test {

class LoweringHarness {
 public:
  explicit LoweringHarness(int feature_level = 30) : model(feature_level), state(model) {}

  // ---- graph inputs ----
  // A float32 model input with PyTorch shape `torch_shape`, stored in `layout` (`flattened_chw` for
  // ChannelsLastFlattened).
  ValueId tensor(const std::vector<int64_t>& torch_shape, ir::Layout layout = ir::Layout::Contiguous,
                 std::vector<uint32_t> flattened_chw = {});
  ValueId constant(Constant value);
  ValueId none() { return constant(NoneValue{}); }
  ValueId integer(int64_t v) { return constant(v); }
  ValueId number(double v) { return constant(v); }
  ValueId boolean(bool v) { return constant(v); }
  ValueId ints(std::vector<int64_t> v) { return constant(std::move(v)); }
  ValueId floatTensor(std::vector<int64_t> shape, const std::vector<float>& values);
  ValueId list(std::vector<ValueId> elements);

  // ---- lowering ----
  // Lowers one node of `kind` with these inputs through registry(); fails the test if the kind is not registered.
  // Throws whatever the lowering throws (Unsupported, ir::InvalidModel).
  void lower(const std::string& kind, std::vector<ValueId> inputs, size_t output_count = 1);
  // Lowers a node that must be rejected: returns the Unsupported message (a failed check and "" if it was
  // accepted). Other exceptions propagate and fail the test.
  std::string unsupportedReason(const std::string& kind, std::vector<ValueId> inputs);

  // ---- results ----
  const Value& output(size_t i = 0) const;
  uint32_t outputOperand(size_t i = 0) const;  // fails unless output i is a tensor
  const ir::Operand& operand(uint32_t index) const { return model.operands().at(index); }
  const std::vector<ir::Operation>& operations() const { return model.operations(); }
  const ir::Operation& operation(size_t i) const { return model.operations().at(i); }
  std::vector<int32_t> operationCodes() const;
  // The operand that input `value` of the graph is (a model input).
  uint32_t operandOf(ValueId value) const { return state.values.at(value).operand; }

  // Values of constant operands.
  int32_t scalarInt(uint32_t operand) const;
  float scalarFloat(uint32_t operand) const;
  std::vector<int32_t> intValues(uint32_t operand) const;
  std::vector<float> floatValues(uint32_t operand) const;
  // Values of the constant scalar inputs of operation `op` from input `first` on (pads, strides, ...).
  std::vector<int32_t> scalarInts(const ir::Operation& op, size_t first, size_t count) const;

  ir::Model model;
  LoweringState state;

 private:
  ValueId addValue(Value value);
  std::deque<Node> nodes_;  // LoweringContext keeps a reference to its node
};

}  // namespace nnc::test
