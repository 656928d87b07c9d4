// What a lowering sees and uses: its node's inputs (operands or convert-time constants), helpers that emit NNAPI
// operations into the IR, and the one place that converts an operand between physical layouts.
//
// A lowering first checks that it supports the node (ctx.require / throwing Unsupported) and only then emits:
// when a model has unsupported ops, the converter reports every one of them and writes nothing.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "ir/model.h"
#include "ops/graph.h"

namespace nnc {

// This node cannot be lowered; the message says why, for the user.
class Unsupported : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// State that lives across nodes while a graph is lowered.
struct LoweringState {
  explicit LoweringState(ir::Model& m) : model(m) {}
  ir::Model& model;
  std::vector<Value> values;
  // (operand, wanted layout) -> the operand converted to it, so each conversion is emitted once.
  std::map<std::pair<uint32_t, ir::Layout>, uint32_t> layout_cache;
};

class LoweringContext {
 public:
  LoweringContext(LoweringState& state, const Node& node) : state_(state), node_(node) {}

  ir::Model& model() { return state_.model; }
  const Node& node() const { return node_; }

  // ---- support checks ----
  void require(bool condition, const std::string& reason) const {
    if (!condition) throw Unsupported(reason);
  }

  // ---- inputs ----
  size_t inputCount() const { return node_.inputs.size(); }
  const Value& input(size_t i) const;
  bool isNone(size_t i) const;
  bool isTensor(size_t i) const;       // an operand of the model (not a convert-time constant)
  bool isConstTensor(size_t i) const;  // a constant tensor (weights)
  int64_t intInput(size_t i) const;
  double doubleInput(size_t i) const;  // accepts ints too
  bool boolInput(size_t i) const;
  std::vector<int64_t> intListInput(size_t i) const;  // accepts a single int (PyTorch's int[2] broadcasting)
  const ConstTensor& constTensorInput(size_t i) const;
  // Input i as an operand; a constant tensor becomes an NNAPI constant (float32) in `layout`.
  uint32_t operandInput(size_t i, ir::Layout layout = ir::Layout::Contiguous);
  // Input i, a list of tensors, as operands.
  std::vector<uint32_t> operandListInput(size_t i);

  // ---- operands ----
  const ir::Operand& operand(uint32_t index) const { return state_.model.operands().at(index); }
  // PyTorch's logical shape of an operand (NCHW for a ChannelsLast map, [N, C*H*W] when flattened).
  std::vector<int64_t> torchShape(uint32_t index) const;
  // The operand in `layout`, emitting the TRANSPOSE/RESHAPE that gets it there once per operand.
  uint32_t toLayout(uint32_t index, ir::Layout layout);

  // ---- emitting ----
  // Adds an operation whose origin is this node; returns its (first) output.
  uint32_t emit(int32_t op, std::vector<uint32_t> inputs, ir::OutputSpec output = {});
  std::vector<uint32_t> emitMany(int32_t op, std::vector<uint32_t> inputs, std::vector<ir::OutputSpec> outputs);
  uint32_t i32(int32_t value) { return state_.model.addScalarInt32(value); }
  uint32_t f32(float value) { return state_.model.addScalarFloat32(value); }
  uint32_t boolean(bool value) { return state_.model.addScalarBool(value); }
  uint32_t i32Tensor(const std::vector<int32_t>& values) { return state_.model.addTensorInt32(values); }
  uint32_t f32Tensor(std::vector<uint32_t> dims, const std::vector<float>& values,
                     ir::Layout layout = ir::Layout::Contiguous, const std::string& name = "");

  // ---- outputs ----
  void setOutput(size_t i, uint32_t operand);
  void setOutputConstant(size_t i, Constant value);
  void setOutputList(size_t i, std::vector<ValueId> elements);
  // Name for an operand made for output i ("%x.1 (features.0)").
  std::string outputName(size_t i = 0) const;

 private:
  LoweringState& state_;
  const Node& node_;
};

// Physical dims of a PyTorch shape stored in `layout`.
std::vector<uint32_t> physicalDims(const std::vector<int64_t>& torch_shape, ir::Layout layout);
// Reorders a contiguous NCHW float tensor to NHWC (4-D) — the offline counterpart of a TRANSPOSE.
std::vector<float> nchwToNhwc(const std::vector<float>& values, const std::vector<int64_t>& nchw_shape);
// A PyTorch dimension index (possibly negative) normalised to [0, rank).
int64_t normalizeDim(int64_t dim, size_t rank);

}  // namespace nnc
