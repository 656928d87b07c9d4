// What a lowering sees and uses. A lowering answers in two steps:
//
//   1. the support question: `Emitter lowerX(const LoweringContext& ctx)` reads the node's inputs (values, shapes,
//      layouts, the target feature level) through a *const* context, which has no way to emit, and either throws
//      Unsupported with a reason for people or returns the emitter;
//   2. emission: the returned Emitter, called with a writable context, adds the operations to the open NNAPI
//      partition. It is only called after step 1 said yes, and must not fail then.
//
// So the converter can ask "can this node run on NNAPI at feature level N, and if not why" (`supports`) with no
// side effect on the IR, and only nodes that answered yes are emitted. Step 1 returns a lambda that captures
// what it parsed, so no argument is parsed or checked twice.
//
// Feature levels are the Android API levels NNAPI uses for FL1..FL4 (27..30); what each operation, operand type
// and optional operand needs is the rules library's table (nnapi_host/validation/feature_levels.h): step 1 asks
// it through requireOperation / requireFeature / requireLayout instead of keeping its own constants.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "ir/model.h"
#include "ops/graph.h"
#include "ops/target_format.h"
#include "validation/feature_levels.h"

namespace nnc {

// This node cannot be lowered here; the message says why, for the user.
class Unsupported : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A model input of a partition: which value it carries and in which physical layout the partition takes it.
struct BoundaryInput {
  ValueId value = 0;
  uint32_t operand = 0;
  ir::Layout layout = ir::Layout::Contiguous;
};

// One NNAPI partition under construction: its model and the bookkeeping that keeps each import and each layout
// conversion emitted once.
struct PartitionState {
  explicit PartitionState(int feature_level) : model(feature_level) {}
  ir::Model model;
  std::vector<BoundaryInput> inputs;
  // (value, layout) -> the partition input that carries it in that layout.
  std::map<std::pair<ValueId, ir::Layout>, uint32_t> imports;
  // (operand, wanted layout) -> the operand converted to it.
  std::map<std::pair<uint32_t, ir::Layout>, uint32_t> layout_cache;
  // The value a partition input carries, if `operand` is one.
  const BoundaryInput* inputFor(uint32_t operand) const;
};

// A constant weight a lowering stored reordered in a partition's constant `operand`: PyTorch's tensor is that
// operand permuted by `to_torch`, then viewed in the constant's own shape. The frontend lets the graph read it there
// and frees PyTorch's copy (frontend/moved_weights.h), so a conversion holds each weight once.
struct WeightMove {
  ValueId source;
  int partition;
  uint32_t operand;
  std::vector<int64_t> to_torch;
};

// State that lives across nodes while a graph is lowered: every value, and the partitions. Lowerings emit into
// `partitions[open]`.
struct LoweringState {
  explicit LoweringState(int feature_level) : feature_level(feature_level) {}
  int feature_level;
  TargetFormat format = TargetFormat::Flatbuffer;  // what the converted module is written in (what it can express)
  std::vector<Value> values;
  std::vector<PartitionState> partitions;
  int open = -1;  // the partition being built, -1 when none is
  std::vector<WeightMove> weight_moves;  // made by the node being lowered; the frontend takes them after it

  PartitionState& openPartition();  // creates one when none is open
  ir::Model& model() { return openPartition().model; }
};

class LoweringContext;
using Emitter = std::function<void(LoweringContext&)>;

class LoweringContext {
 public:
  LoweringContext(LoweringState& state, const Node& node) : state_(state), node_(node) {}

  const Node& node() const { return node_; }
  // Whether anything reads output i (a lowering may leave an output nothing reads undefined).
  bool outputUsed(size_t i) const { return node_.output_used.empty() || node_.output_used.at(i); }

  // ================= the support question (const) =================
  int featureLevel() const { return state_.feature_level; }
  TargetFormat format() const { return state_.format; }
  void require(bool condition, const std::string& reason) const {
    if (!condition) throw Unsupported(reason);
  }
  // Unsupported unless NNAPI operation `op` with main input type `type` exists at the target feature level
  // ("CONV_2D on TENSOR_FLOAT32 needs Android 10 (API 29, NNAPI feature level 3); the target is ...").
  void requireOperation(int32_t op, int32_t type = 3 /* ANEURALNETWORKS_TENSOR_FLOAT32 */) const;
  // The same, led by what the lowering uses the operation for ("avg_pool2d counting padding uses PAD on
  // TENSOR_FLOAT32, which needs Android 9 (API 28, NNAPI feature level 2); the target is ...").
  void requireOperation(int32_t op, int32_t type, const std::string& use) const;
  // Unsupported unless `feature` exists at the target feature level and the target format can express it.
  void requireFeature(nnapi_rules::Feature feature, int32_t op) const;
  bool hasOperation(int32_t op, int32_t type = 3) const;
  bool hasFeature(nnapi_rules::Feature feature) const;
  // Unsupported unless tensor input i can be had in `layout` (a model input of the partition can be permuted by
  // the TorchScript wrapper; a value computed inside the partition needs TRANSPOSE, feature level 2).
  void requireLayout(size_t i, ir::Layout layout) const;
  // The same for a tensor value that is not itself an input (an element of a list input).
  void requireLayoutOf(ValueId value, ir::Layout layout) const;
  // Whether tensor input i is already held in `layout` in the open partition (its own layout, or a conversion or
  // import emitted for an earlier node), so using that layout costs no new operation.
  bool heldIn(size_t i, ir::Layout layout) const;
  // Whether tensor input i is computed by an operation of the open partition (not taken in from elsewhere).
  bool computedHere(size_t i) const { return isTensor(i) && computedInOpenPartition(node_.inputs[i]); }

  // ---- inputs ----
  size_t inputCount() const { return node_.inputs.size(); }
  const Value& input(size_t i) const;
  bool isNone(size_t i) const;
  bool isTensor(size_t i) const;       // a tensor computed by the model (not a convert-time constant)
  bool isConstTensor(size_t i) const;  // a constant tensor (weights)
  int64_t intInput(size_t i) const;
  double doubleInput(size_t i) const;  // accepts ints too
  bool boolInput(size_t i) const;
  std::vector<int64_t> intListInput(size_t i) const;  // accepts a single int (PyTorch's int[2] broadcasting)
  const ConstTensor& constTensorInput(size_t i) const;
  const std::vector<ConstTensor>& constTensorListInput(size_t i) const;  // a list of constant tensors
  // The unpacked weights of a quantized convolution or linear layer (PyTorch's packed parameters).
  const PackedWeights& packedWeightsInput(size_t i) const;
  // Tensor input i as the converter describes it wherever it is computed: NNAPI type, physical dims, layout,
  // quantization (Unsupported unless isTensor(i)).
  const ir::Operand& tensor(size_t i) const;
  // PyTorch's logical shape of tensor input i.
  std::vector<int64_t> inputShape(size_t i) const { return logicalShape(tensor(i)); }
  // Tensor inputs of list input i (Unsupported unless each element is a tensor computed by the model).
  std::vector<ValueId> tensorListInput(size_t i) const;
  // Elements of list input i that may also be float constant tensors (a class token folded at convert time);
  // Unsupported unless each is a computed tensor or such a constant, and at least one is computed.
  std::vector<ValueId> tensorOrConstantListInput(size_t i) const;
  // `value`'s constant when it is a float32/float64 constant tensor, else nullptr.
  const ConstTensor* floatConstantOf(ValueId value) const;
  const ir::Operand& tensorOf(ValueId value) const;
  const Value& valueOf(ValueId value) const { return state_.values.at(value); }  // e.g. an element of a list input

  // ================= emission =================
  ir::Model& model() { return state_.model(); }
  const ir::Operand& operand(uint32_t index) const;  // an operand of the open partition
  // PyTorch's logical shape of an operand of the open partition.
  std::vector<int64_t> shapeOf(uint32_t index) const { return logicalShape(operand(index)); }

  // Tensor input i as an operand of the open partition (imported as a partition input when it is computed
  // elsewhere); a constant tensor becomes an NNAPI float32 constant stored in `layout`. Then in `layout`.
  uint32_t operandInput(size_t i, ir::Layout layout);
  uint32_t operandInput(size_t i);  // in whatever layout it has
  uint32_t operandOf(ValueId value);
  uint32_t operandOf(ValueId value, ir::Layout layout);  // then in `layout`, as operandInput(i, layout)
  // A float constant tensor value (floatConstantOf) as an NNAPI float32 constant stored in `layout`.
  uint32_t constantOperandOf(ValueId value, ir::Layout layout);
  // Input i, a list of tensors, as operands of the open partition.
  std::vector<uint32_t> operandListInput(size_t i);
  // The operand in `layout`, once per operand: a TRANSPOSE (RESHAPE+TRANSPOSE+RESHAPE for a flattened map), or
  // for a partition input at feature level 1, the same value imported again in that layout.
  uint32_t toLayout(uint32_t index, ir::Layout layout);

  // Adds an operation whose origin is this node; returns its (first) output.
  uint32_t emit(int32_t op, std::vector<uint32_t> inputs, ir::OutputSpec output = {});
  std::vector<uint32_t> emitMany(int32_t op, std::vector<uint32_t> inputs, std::vector<ir::OutputSpec> outputs);
  uint32_t i32(int32_t value) { return model().addScalarInt32(value); }
  uint32_t f32(float value) { return model().addScalarFloat32(value); }
  uint32_t boolean(bool value) { return model().addScalarBool(value); }
  uint32_t i32Tensor(const std::vector<int32_t>& values) { return model().addTensorInt32(values); }
  uint32_t f32Tensor(std::vector<uint32_t> dims, std::vector<float> values,
                     ir::Layout layout = ir::Layout::Contiguous, const std::string& name = "");
  uint32_t f32Tensor(std::vector<uint32_t> dims, ConstBytes values, ir::Layout layout, const std::string& name);
  // Input i, a constant weight, is held reordered by constant `operand` of the open partition: PyTorch's tensor is
  // `operand` permuted by `to_torch` (WeightMove). Only a plain reordering qualifies (no scaling, no selection).
  void weightMovedTo(size_t i, uint32_t operand, std::vector<int64_t> to_torch);
  // Input i, a constant weight, as float32 values the lowering reorders in place and then makes an operand of
  // (f32Tensor with `bytes`), reporting the move (weightMovedTo). They are PyTorch's own bytes where the node may
  // rewrite them (Node::rewritable_inputs), so a reordered weight is never held twice; a copy otherwise.
  struct WeightToReorder {
    ConstBytes bytes;
    float* values = nullptr;  // bytes.data(), writable
  };
  WeightToReorder floatWeightToReorder(size_t i) const;

  // ---- outputs ----
  void setOutput(size_t i, uint32_t operand);  // an operand of the open partition
  void setOutputConstant(size_t i, Constant value);
  void setOutputList(size_t i, std::vector<ValueId> elements);
  void setOutputAlias(size_t i, ValueId value);  // output i is input value `value` itself (identity ops)
  // Name for an operand made for output i ("%x.1 (features.0)").
  std::string outputName(size_t i = 0) const;

  static std::vector<int64_t> logicalShape(const ir::Operand& operand);

 private:
  bool computedInOpenPartition(ValueId value) const;
  uint32_t importValue(ValueId value, ir::Layout layout);

  LoweringState& state_;
  const Node& node_;
};

// In the shapes lowerings read (LoweringContext::logicalShape, inputShape, shapeOf) an extent of 0 is one fixed only
// at run time (--input -1,...): NNAPI's unspecified dimension. How many `shape` has:
size_t runTimeExtentCount(const std::vector<int64_t>& shape);
// The product of shape[begin, end) (the whole shape by default): an element count.
int64_t product(const std::vector<int64_t>& shape, size_t begin = 0, size_t end = SIZE_MAX);
// `shape` as RESHAPE's target operand: its run-time extent as -1, which RESHAPE infers. At most one (the support
// question checks it; more is a converter bug).
std::vector<int32_t> reshapeTarget(const std::vector<int64_t>& shape);

// The channels-last layout of a PyTorch map of `rank`: ChannelsLast for 4-D [N,C,H,W], ChannelsLast1d for 3-D
// [N,C,L], Contiguous for any other rank.
ir::Layout channelsLastOfRank(size_t rank);
// ChannelsLast or ChannelsLast1d: channels moved from dimension 1 to the last one.
bool isChannelsLast(ir::Layout layout);
// Physical dims of a PyTorch shape stored in `layout`.
std::vector<uint32_t> physicalDims(const std::vector<int64_t>& torch_shape, ir::Layout layout);
// Reorders a contiguous NCHW float tensor to NHWC (4-D), or [N,C,L] to [N,L,C] (3-D) — the offline counterpart of a
// TRANSPOSE.
std::vector<float> nchwToNhwc(const std::vector<float>& values, const std::vector<int64_t>& nchw_shape);
// A PyTorch dimension index (possibly negative) normalised to [0, rank).
int64_t normalizeDim(int64_t dim, size_t rank);

}  // namespace nnc
