// Broadcasting copies: aten::expand(self, size), aten::expand_as(self, other) and aten::repeat(self, repeats), as
// NNAPI's TILE (feature level 3), with a RESHAPE first when the result has new leading dimensions.
//
// expand makes PyTorch views with stride 0; NNAPI has no views, so the copy is made. Leaving expand out where its
// only consumer broadcasts by itself (ADD, MUL, ... follow NumPy's rules in NNAPI too) would save the copy, but a
// lowering sees one node, not its consumers: that is a graph-level fold, not done here. A TILE of the size-1
// dimensions is exact in every case.
//
// repeat(r_0..r_k) tiles dimension i r_i times; repeats longer than the rank add leading dimensions of extent 1
// first (PyTorch's rule). An expanded dimension has extent 1, so expand is a TILE by the target extent there.
// Multiples are given per physical axis: for an NHWC map, PyTorch's (N, C, H, W) factors go to axes (0, 3, 1, 2).
#include <string>
#include <vector>

#include "nnapi/NeuralNetworks.h"
#include "ops/axis_layout.h"
#include "ops/checks.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {
namespace {

// TILE of input 0 (PyTorch shape `shape`) by `multiples` (one per dimension of the result, whose rank may exceed
// the input's: the input is then reshaped with leading 1s).
Emitter tileEmitter(const LoweringContext& ctx, const std::vector<int64_t>& shape, const std::vector<int64_t>& multiples) {
  requireRankAtMost4(ctx, multiples.size());
  const size_t added = multiples.size() - shape.size();
  std::vector<int64_t> expanded_shape(added, 1);
  expanded_shape.insert(expanded_shape.end(), shape.begin(), shape.end());
  bool copies = false;
  for (size_t d = 0; d < multiples.size(); ++d) {
    ctx.require(multiples[d] >= 1, ctx.node().kind + " by " + std::to_string(multiples[d]) +
                                       " gives an empty tensor (NNAPI has none)");
    ctx.require(multiples[d] == 1 || expanded_shape[d] != 0,
                ctx.node().kind + " of dimension " + std::to_string(d) +
                    ", which is fixed only at run time (--input -1), is not supported");
    copies = copies || multiples[d] > 1;
  }
  if (!copies && added == 0) return [](LoweringContext& ctx) { ctx.setOutputAlias(0, ctx.node().inputs[0]); };
  const ir::Operand& x = ctx.tensor(0);
  const ir::Layout layout = added == 0 ? axisLayout(ctx, 0) : ir::Layout::Contiguous;
  ctx.requireLayout(0, layout);
  if (added > 0) {
    ctx.requireOperation(ANEURALNETWORKS_RESHAPE, x.type);
    ctx.require(runTimeExtentCount(shape) <= 1, ctx.node().kind + " adding dimensions to a tensor with more than one "
                                                                  "dimension fixed only at run time is not supported");
  }
  if (copies) ctx.requireOperation(ANEURALNETWORKS_TILE, x.type);
  std::vector<int32_t> physical(multiples.size());
  for (size_t d = 0; d < multiples.size(); ++d) physical[physicalAxis(layout, int64_t(d))] = int32_t(multiples[d]);
  return [layout, added, expanded_shape, physical, copies](LoweringContext& ctx) {
    uint32_t y = ctx.operandInput(0, layout);
    if (added > 0) y = ctx.emit(ANEURALNETWORKS_RESHAPE, {y, ctx.i32Tensor(reshapeTarget(expanded_shape))});
    if (copies) y = ctx.emit(ANEURALNETWORKS_TILE, {y, ctx.i32Tensor(physical)}, outputIn(layout));
    ctx.setOutput(0, y);
  };
}

// The TILE multiples that expand `shape` to PyTorch's `size` (-1: keep that dimension).
std::vector<int64_t> expandMultiples(const LoweringContext& ctx, const std::vector<int64_t>& shape,
                                     const std::vector<int64_t>& size) {
  ctx.require(size.size() >= shape.size(), "expand to fewer dimensions than the tensor has");
  const size_t added = size.size() - shape.size();
  std::vector<int64_t> multiples;
  for (size_t d = 0; d < size.size(); ++d) {
    const int64_t extent = d < added ? 1 : shape[d - added];
    ctx.require(d >= added || size[d] != -1, "expand with -1 for a new dimension (PyTorch's rule)");
    if (size[d] == -1 || size[d] == extent) {
      multiples.push_back(1);
      continue;
    }
    ctx.require(extent == 1, "expand of dimension " + std::to_string(d) + " from " + std::to_string(extent) +
                                 " to " + std::to_string(size[d]) + ": only extent 1 expands (PyTorch's rule)");
    multiples.push_back(size[d]);
  }
  return multiples;
}

// aten::expand(self, size, implicit)
Emitter lowerExpand(const LoweringContext& ctx) {
  const std::vector<int64_t> shape = ctx.inputShape(0);
  return tileEmitter(ctx, shape, expandMultiples(ctx, shape, ctx.intListInput(1)));
}

// aten::expand_as(self, other)
Emitter lowerExpandAs(const LoweringContext& ctx) {
  const std::vector<int64_t> shape = ctx.inputShape(0);
  const std::vector<int64_t> target = ctx.inputShape(1);
  ctx.require(runTimeExtentCount(target) == 0 || target == shape,
              "expand_as to a shape with a dimension fixed only at run time (--input -1) is not supported");
  return tileEmitter(ctx, shape, expandMultiples(ctx, shape, target));
}

// aten::repeat(self, repeats)
Emitter lowerRepeat(const LoweringContext& ctx) {
  const std::vector<int64_t> shape = ctx.inputShape(0);
  const std::vector<int64_t> repeats = ctx.intListInput(1);
  ctx.require(repeats.size() >= shape.size(), "repeat needs at least one factor per dimension (PyTorch's rule)");
  return tileEmitter(ctx, shape, repeats);
}

}  // namespace

void registerBroadcast(Registry& registry) {
  registry.add({"aten::expand"}, lowerExpand);
  registry.add({"aten::expand_as"}, lowerExpandAs);
  registry.add({"aten::repeat"}, lowerRepeat);
}

}  // namespace nnc
