// A tiny graph for one node, lowered through the converter's registry into one open NNAPI partition, and
// accessors for what it emitted.
//
//   LoweringHarness h;                       // feature level 30 (Android 11); LoweringHarness h(27) for FL1
//   ValueId x = h.tensor({1, 3, 8, 8}, ir::Layout::ChannelsLast);
//   h.lower("aten::max_pool2d", {x, h.ints({2, 2}), h.ints({}), h.ints({0, 0}), h.ints({1, 1}), h.boolean(false)});
//   CHECK(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MAX_POOL_2D});
//
// Every node is first asked the support question (registry's supports()), which must leave the partition exactly
// as it was, whatever it answers: so every test of a rejection also tests that asking has no side effect.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "ir/model.h"
#include "ops/graph.h"
#include "ops/lowering.h"

namespace nnc::test {

// 0, 1, ..., n-1: weights whose every element tells where it came from.
std::vector<float> iota(size_t n);

class LoweringHarness {
 public:
  explicit LoweringHarness(int feature_level = 30);

  // ---- graph inputs ----
  // A float32 tensor with PyTorch shape `torch_shape`, stored in `layout` (`flattened_chw` for
  // ChannelsLastFlattened), computed in the open partition (here: one of its model inputs), so changing its layout
  // needs a TRANSPOSE.
  ValueId tensor(const std::vector<int64_t>& torch_shape, ir::Layout layout = ir::Layout::Contiguous,
                 std::vector<uint32_t> flattened_chw = {});
  // The same, computed elsewhere (on the CPU: partition -1). A lowering imports it into the partition as a model
  // input; below feature level 2 it takes it again in another layout instead of emitting a TRANSPOSE.
  ValueId cpuTensor(const std::vector<int64_t>& torch_shape, ir::Layout layout = ir::Layout::Contiguous,
                    std::vector<uint32_t> flattened_chw = {});
  // A quint8 tensor (TENSOR_QUANT8_ASYMM with `scale` and `zero_point`) of the open partition, as tensor().
  ValueId quantTensor(const std::vector<int64_t>& torch_shape, float scale, int32_t zero_point,
                      ir::Layout layout = ir::Layout::Contiguous, std::vector<uint32_t> flattened_chw = {});
  // A TENSOR_INT32 tensor of the open partition (indices computed by the model), as tensor().
  ValueId int32Tensor(const std::vector<int64_t>& shape);
  ValueId constant(Constant value);
  ValueId none() { return constant(NoneValue{}); }
  ValueId integer(int64_t v) { return constant(v); }
  ValueId number(double v) { return constant(v); }
  ValueId boolean(bool v) { return constant(v); }
  ValueId ints(std::vector<int64_t> v) { return constant(std::move(v)); }
  ValueId floatTensor(std::vector<int64_t> shape, const std::vector<float>& values);
  ValueId list(std::vector<ValueId> elements);
  // qint8 weights for PackedWeights: per tensor, or symmetric per channel along `axis` (zero points 0 unless given).
  static ConstTensor qint8Weight(std::vector<int64_t> shape, const std::vector<int8_t>& values, double scale,
                                 int64_t zero_point = 0);
  static ConstTensor qint8PerChannelWeight(std::vector<int64_t> shape, const std::vector<int8_t>& values,
                                           std::vector<double> scales, int64_t axis = 0,
                                           std::vector<int64_t> zero_points = {});
  static ConstTensor floatConst(std::vector<int64_t> shape, const std::vector<float>& values);

  // ---- lowering ----
  // Lowers one node of `kind` with these inputs through registry(): supports(), then lower(). Throws Unsupported
  // when supports() says no, and whatever emission throws (ir::InvalidModel); fails the test if the kind is not
  // registered or if emission throws Unsupported after supports() said yes.
  void lower(const std::string& kind, std::vector<ValueId> inputs, size_t output_count = 1);
  // Asks only supports() for a node that must be rejected: returns its reason (a failed check and "" if it was
  // accepted).
  std::string unsupportedReason(const std::string& kind, std::vector<ValueId> inputs);

  // ---- results ----
  const Value& output(size_t i = 0) const;
  // Output i of the last lowered node as a new graph value, to chain nodes.
  ValueId outputValue(size_t i = 0);
  uint32_t outputOperand(size_t i = 0) const;  // fails unless output i is a tensor of the partition
  const ir::Operand& operand(uint32_t index) const { return model.operands().at(index); }
  const std::vector<ir::Operation>& operations() const { return model.operations(); }
  const ir::Operation& operation(size_t i) const { return model.operations().at(i); }
  std::vector<int32_t> operationCodes() const;
  // The partition's operand for tensor `value`: its own for a tensor(), its import in its own layout for a
  // cpuTensor().
  uint32_t operandOf(ValueId value) const;
  // The partition input that carries cpuTensor() `value` in `layout` (fails if it was not imported so).
  uint32_t importOf(ValueId value, ir::Layout layout) const;

  // Values of constant operands.
  int32_t scalarInt(uint32_t operand) const;
  float scalarFloat(uint32_t operand) const;
  std::vector<int32_t> intValues(uint32_t operand) const;
  std::vector<float> floatValues(uint32_t operand) const;
  // The bytes of a constant operand of any type.
  std::vector<uint8_t> bytes(uint32_t operand) const;
  // Values of the constant scalar inputs of operation `op` from input `first` on (pads, strides, ...).
  std::vector<int32_t> scalarInts(const ir::Operation& op, size_t first, size_t count) const;

  LoweringState state;
  ir::Model& model;  // the open partition's
  // Node::output_used of the nodes lowered from now on: which outputs something reads (empty: all).
  std::vector<bool> output_used;
  // Node::rewritable_inputs of the nodes lowered from now on: which constant inputs the lowering may rewrite.
  std::vector<bool> rewritable_inputs;

 private:
  // How much the IR holds, to check that a support question added nothing.
  struct IrSize {
    size_t partitions, operands, operations, inputs, buffers, imports;
  };
  IrSize irSize() const;
  void checkUnchanged(const IrSize& before, const std::string& kind) const;
  ValueId addValue(Value value);
  ValueId tensorValue(const std::vector<int64_t>& torch_shape, ir::Layout layout, std::vector<uint32_t> chw,
                      bool in_partition, int32_t type = 3 /* TENSOR_FLOAT32 */, float scale = 0.0f,
                      int32_t zero_point = 0);
  LoweringContext contextFor(const std::string& kind, std::vector<ValueId> inputs, size_t output_count);
  std::deque<Node> nodes_;  // LoweringContext keeps a reference to its node
};

}  // namespace nnc::test
