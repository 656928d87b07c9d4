// Slicing: aten::select (an int index: the dimension goes), aten::slice (start, end, step: the dimension stays) and
// aten::narrow (start, length). Each is one STRIDED_SLICE (feature level 2) along the physical axis that holds the
// logical dimension; every other axis is taken whole through begin_mask and end_mask (so an extent fixed only at
// run time there is no obstacle). select sets shrink_axis_mask, which drops the axis.
//
// Layout: slice and narrow keep the input's rank, so an NHWC map stays NHWC (C is axis 3, H axis 1, W axis 2).
// select removes a dimension, and the result must be in PyTorch's order: selecting a channel of an NHWC map leaves
// [N,H,W] in that order, so it is sliced as it is held; any other dimension of an NHWC map leaves its axes out of
// PyTorch's order, so the map is sliced in PyTorch's order (one TRANSPOSE of the map).
#include <string>
#include <vector>

#include "nnapi/NeuralNetworks.h"
#include "ops/axis_layout.h"
#include "ops/checks.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {
namespace {

// What to take along one logical dimension; every other dimension is taken whole.
struct AxisSlice {
  int64_t dim = 0;
  int32_t begin = 0, end = 0, step = 1;
  bool shrink = false;  // select: exactly one element, and the axis goes
};

// Where a slice is emitted: the layout it reads the input in, and the axis along which it cuts.
struct SlicePlan {
  ir::Layout layout;
  AxisSlice axis;
};

// `dim` of the tensor input of shape `shape`, normalised, for a tensor STRIDED_SLICE takes (its type is checked
// with the operation: every type STRIDED_SLICE moves).
int64_t sliceDim(const LoweringContext& ctx, const std::vector<int64_t>& shape, int64_t dim) {
  ctx.require(!shape.empty(), ctx.node().kind + " of a 0-d tensor is not supported");
  requireRankAtMost4(ctx, shape.size());
  return normalizeDim(dim, shape.size());
}

void requireKnownExtent(const LoweringContext& ctx, const std::vector<int64_t>& shape, int64_t dim) {
  ctx.require(shape[dim] != 0, ctx.node().kind + " along dimension " + std::to_string(dim) +
                                   ", which is fixed only at run time (--input -1): where it cuts depends on it");
}

Emitter sliceEmitter(const LoweringContext& ctx, const SlicePlan& plan) {
  ctx.requireOperation(ANEURALNETWORKS_STRIDED_SLICE, ctx.tensor(0).type);
  ctx.requireLayout(0, plan.layout);
  const size_t rank = ctx.inputShape(0).size();
  return [plan, rank](LoweringContext& ctx) {
    const uint32_t x = ctx.operandInput(0, plan.layout);
    const int32_t axis = physicalAxis(plan.layout, plan.axis.dim);
    std::vector<int32_t> begin(rank, 0), end(rank, 0), strides(rank, 1);
    begin[axis] = plan.axis.begin;
    end[axis] = plan.axis.end;
    strides[axis] = plan.axis.step;
    const int32_t whole = ((1 << rank) - 1) & ~(1 << axis);  // every other axis: begin and end masked
    const ir::Layout out_layout = plan.axis.shrink ? ir::Layout::Contiguous : plan.layout;
    ctx.setOutput(0, ctx.emit(ANEURALNETWORKS_STRIDED_SLICE,
                              {x, ctx.i32Tensor(begin), ctx.i32Tensor(end), ctx.i32Tensor(strides), ctx.i32(whole),
                               ctx.i32(whole), ctx.i32(plan.axis.shrink ? 1 << axis : 0)},
                              outputIn(out_layout)));
  };
}

// aten::select(self, dim, index)
Emitter lowerSelect(const LoweringContext& ctx) {
  const std::vector<int64_t> shape = ctx.inputShape(0);
  const int64_t dim = sliceDim(ctx, shape, ctx.intInput(1));
  ctx.require(shape.size() > 1, "select of a 1-D tensor gives a 0-d tensor, which NNAPI cannot make");
  requireKnownExtent(ctx, shape, dim);
  const int64_t extent = shape[dim];
  int64_t index = ctx.intInput(2);
  ctx.require(index >= -extent && index < extent, "select index " + std::to_string(index) +
                                                      " is out of range for dimension " + std::to_string(dim) +
                                                      " of extent " + std::to_string(extent));
  if (index < 0) index += extent;
  const bool channel_of_map = dim == 1 && axisLayout(ctx, 0) == ir::Layout::ChannelsLast;
  const ir::Layout layout = channel_of_map ? ir::Layout::ChannelsLast : ir::Layout::Contiguous;
  return sliceEmitter(ctx, {layout, {dim, int32_t(index), int32_t(index + 1), 1, true}});
}

// A PyTorch slice bound (None: `none_value`; negative: from the end) clamped to [0, extent], as aten::slice does.
int64_t sliceBound(const LoweringContext& ctx, size_t i, int64_t extent, int64_t none_value) {
  if (ctx.isNone(i)) return none_value;
  int64_t bound = ctx.intInput(i);
  if (bound < 0) bound += extent;
  return bound < 0 ? 0 : bound > extent ? extent : bound;
}

// slice along `dim` of [begin, end) by `step` (already clamped): nothing when it takes the whole dimension.
Emitter rangeEmitter(const LoweringContext& ctx, const std::vector<int64_t>& shape, int64_t dim, int64_t begin,
                     int64_t end, int64_t step) {
  ctx.require(end > begin, ctx.node().kind + " takes no element (NNAPI has no empty tensors)");
  if (begin == 0 && end == shape[dim] && step == 1) {
    return [](LoweringContext& ctx) { ctx.setOutputAlias(0, ctx.node().inputs[0]); };
  }
  return sliceEmitter(ctx, {axisLayout(ctx, 0), {dim, int32_t(begin), int32_t(end), int32_t(step), false}});
}

// aten::slice(self, dim, start, end, step)
Emitter lowerSlice(const LoweringContext& ctx) {
  const std::vector<int64_t> shape = ctx.inputShape(0);
  const int64_t dim = sliceDim(ctx, shape, ctx.intInput(1));
  const int64_t step = ctx.intInput(4);
  ctx.require(step > 0, "slice step must be positive (PyTorch's rule), got " + std::to_string(step));
  const bool whole = (ctx.isNone(2) || ctx.intInput(2) == 0) && (ctx.isNone(3) || ctx.intInput(3) == INT64_MAX);
  if (whole && step == 1) return [](LoweringContext& ctx) { ctx.setOutputAlias(0, ctx.node().inputs[0]); };
  requireKnownExtent(ctx, shape, dim);
  const int64_t extent = shape[dim];
  return rangeEmitter(ctx, shape, dim, sliceBound(ctx, 2, extent, 0), sliceBound(ctx, 3, extent, extent), step);
}

// aten::narrow(self, dim, start, length)
Emitter lowerNarrow(const LoweringContext& ctx) {
  const std::vector<int64_t> shape = ctx.inputShape(0);
  const int64_t dim = sliceDim(ctx, shape, ctx.intInput(1));
  requireKnownExtent(ctx, shape, dim);
  const int64_t extent = shape[dim];
  int64_t start = ctx.intInput(2);
  const int64_t length = ctx.intInput(3);
  if (start < 0) start += extent;
  ctx.require(start >= 0 && length >= 0 && start + length <= extent,
              "narrow of " + std::to_string(length) + " elements from " + std::to_string(ctx.intInput(2)) +
                  " is out of range for dimension " + std::to_string(dim) + " of extent " + std::to_string(extent));
  return rangeEmitter(ctx, shape, dim, start, start + length, 1);
}

}  // namespace

void registerSlicing(Registry& registry) {
  registry.add({"aten::select"}, lowerSelect);
  registry.add({"aten::slice"}, lowerSlice);
  registry.add({"aten::narrow"}, lowerNarrow);
}

}  // namespace nnc
