// Gathering along one dimension: aten::index_select(self, dim, index) and aten::embedding(weight, indices, ...),
// both NNAPI's GATHER (feature level 3) along the physical axis holding the dimension.
//
// Indices: a constant int64 (or int32) tensor becomes a TENSOR_INT32 constant, each value checked at convert time
// (PyTorch refuses an index outside [0, extent) at run time; a converted model must not compute something else
// instead). A computed index tensor must already be TENSOR_INT32: NNAPI has no 64-bit integers, and PyTorch's
// computed int64 tensors are not carried into NNAPI partitions. Its values are checked by GATHER as it runs.
//
// PyTorch's and NNAPI's argument orders differ: embedding(weight, indices) gathers rows of its FIRST argument,
// GATHER(input, axis, indices) takes the table first too but the axis between; index_select(self, dim, index) is
// GATHER(self, physical axis of dim, index).
#include <cstring>
#include <string>
#include <vector>

#include "nnapi/NeuralNetworks.h"
#include "ops/axis_layout.h"
#include "ops/checks.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {
namespace {

// Indices: either constant values with their shape, or a computed tensor (input `input`).
struct Indices {
  bool constant = false;
  std::vector<int32_t> values;
  std::vector<uint32_t> dims;
  size_t input = 0;
  size_t rank = 0;
};

// The indices of input i for a dimension of extent `extent`: constant int64/int32 ones, each checked to lie in
// [0, extent), or a computed TENSOR_INT32 tensor.
Indices readIndices(const LoweringContext& ctx, size_t i, int64_t extent) {
  ctx.require(extent != 0, ctx.node().kind + " along a dimension fixed only at run time (--input -1) is not "
                                             "supported: its indices cannot be checked at convert time");
  Indices indices;
  indices.input = i;
  if (ctx.isTensor(i)) {
    const ir::Operand& t = ctx.tensor(i);
    ctx.require(t.type == ANEURALNETWORKS_TENSOR_INT32,
                ctx.node().kind + " with indices computed by the model is supported only for TENSOR_INT32 tensors "
                                  "(NNAPI's GATHER takes no int64, and PyTorch's int64 tensors computed at run time "
                                  "are not converted), got " + ir::operandTypeName(t.type));
    indices.rank = ctx.inputShape(i).size();
    return indices;
  }
  const ConstTensor& t = ctx.constTensorInput(i);
  ctx.require(t.dtype == DType::Int64 || t.dtype == DType::Int32,
              ctx.node().kind + " needs integer indices (int64 or int32)");
  indices.constant = true;
  const size_t size = t.dtype == DType::Int64 ? 8 : 4;
  for (int64_t k = 0; k < t.numel(); ++k) {
    int64_t value = 0;
    if (size == 8) {
      std::memcpy(&value, t.bytes.data() + k * 8, 8);
    } else {
      int32_t narrow = 0;
      std::memcpy(&narrow, t.bytes.data() + k * 4, 4);
      value = narrow;
    }
    ctx.require(value >= 0 && value < extent, ctx.node().kind + " index " + std::to_string(value) +
                                                  " is out of range [0, " + std::to_string(extent) + ")");
    indices.values.push_back(int32_t(value));
  }
  ctx.require(!indices.values.empty(), ctx.node().kind + " with no index gives an empty tensor (NNAPI has none)");
  for (int64_t d : t.shape) indices.dims.push_back(uint32_t(d));
  if (indices.dims.empty()) indices.dims = {1};  // a 0-d index selects one element, as a [1] tensor does
  indices.rank = indices.dims.size();
  return indices;
}

// GATHER of input `table` (PyTorch shape `shape`, read in `layout`) along logical dimension `dim`.
Emitter gatherEmitter(const LoweringContext& ctx, size_t table, const std::vector<int64_t>& shape, int64_t dim,
                      const Indices& indices, ir::Layout layout) {
  requireRankAtMost4(ctx, shape.size() + indices.rank - 1);
  ctx.requireOperation(ANEURALNETWORKS_GATHER, ANEURALNETWORKS_TENSOR_FLOAT32);
  if (ctx.isTensor(table)) ctx.requireLayout(table, layout);
  const int32_t axis = physicalAxis(layout, dim);
  return [table, indices, layout, axis](LoweringContext& ctx) {
    const uint32_t input = ctx.operandInput(table, layout);
    if (indices.constant && indices.dims.size() == 1) {
      ctx.setOutput(0, emitGatherAlong(ctx, input, axis, indices.values));
      return;
    }
    uint32_t index_operand = 0;
    if (indices.constant) {
      ir::Operand type;
      type.type = ANEURALNETWORKS_TENSOR_INT32;
      type.dims = indices.dims;
      type.name = ctx.outputName() + " indices";
      index_operand = ctx.model().addConstant(type, indices.values.data(), indices.values.size() * sizeof(int32_t));
    } else {
      index_operand = ctx.operandInput(indices.input, ir::Layout::Contiguous);
    }
    // Indices of rank other than 1 change the output's rank: the result is in PyTorch's order.
    ctx.setOutput(0, ctx.emit(ANEURALNETWORKS_GATHER, {input, ctx.i32(axis), index_operand}));
  };
}

// aten::index_select(self, dim, index): index is 1-D (or 0-d), so the output keeps the input's rank and layout.
Emitter lowerIndexSelect(const LoweringContext& ctx) {
  const ir::Operand& x = ctx.tensor(0);
  requireFloat32(ctx, x);
  const std::vector<int64_t> shape = ctx.inputShape(0);
  ctx.require(!shape.empty(), "index_select of a 0-d tensor is not supported");
  const int64_t dim = normalizeDim(ctx.intInput(1), shape.size());
  const Indices indices = readIndices(ctx, 2, shape[dim]);
  ctx.require(indices.rank <= 1, "index_select needs a 1-D index tensor (PyTorch's rule)");
  const ir::Layout layout = indices.constant ? axisLayout(ctx, 0) : ir::Layout::Contiguous;
  return gatherEmitter(ctx, 0, shape, dim, indices, layout);
}

// aten::embedding(weight, indices, padding_idx, scale_grad_by_freq, sparse): rows of the [num, dim] weight; the
// output has the indices' shape followed by dim. padding_idx only matters for training (its row gets no gradient).
Emitter lowerEmbedding(const LoweringContext& ctx) {
  std::vector<int64_t> shape;
  if (ctx.isTensor(0)) {
    requireFloat32(ctx, ctx.tensor(0));
    shape = ctx.inputShape(0);
  } else {
    const ConstTensor& weight = ctx.constTensorInput(0);
    ctx.require(weight.dtype == DType::Float32, "embedding needs a float32 weight");
    shape = weight.shape;
  }
  ctx.require(shape.size() == 2, "embedding needs a 2-D weight (PyTorch's rule)");
  const Indices indices = readIndices(ctx, 1, shape[0]);
  return gatherEmitter(ctx, 0, shape, 0, indices, ir::Layout::Contiguous);
}

}  // namespace

void registerGather(Registry& registry) {
  registry.add({"aten::index_select"}, lowerIndexSelect);
  registry.add({"aten::embedding"}, lowerEmbedding);
}

}  // namespace nnc
