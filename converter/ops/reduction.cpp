// mean over dimensions -> NNAPI MEAN (feature level 2); below it, the mean over H and W of a 4-D map (global
// average pooling) -> AVERAGE_POOL_2D over the whole map. sum, amax, amin over dimensions -> REDUCE_SUM, REDUCE_MAX,
// REDUCE_MIN (feature level 3; their keep_dims operand is a bool, MEAN's an int32).
//
// The dims are PyTorch's logical dims; on an NHWC map they are mapped to physical axes. Which layout the result
// has depends on what is left:
//   keepdim=True, 4-D map      -> still a [N,H,W,C] map of PyTorch's [N,C,H,W] with 1s: ChannelsLast (a 3-D
//                                 [N,L,C] map likewise stays ChannelsLast1d).
//   keepdim=False, map         -> the kept physical dims come out in NHWC order, PyTorch's in NCHW order. They agree
//                                 unless C is kept together with H or W (e.g. mean over H only: physical [N,W,C],
//                                 PyTorch [N,C,W]); then the map is turned back to NCHW first. Mean over H,W gives
//                                 [N,C] and mean over C gives [N,H,W]: no transpose.
//   flattened map [N, H*W*C]   -> reducing dim 1 (every feature) does not care about the order of the features;
//                                 anything else first restores PyTorch's feature order.
// Quantized input keeps its quantization in NNAPI's MEAN, as in PyTorch, so it passes through to NNAPI's rules; the
// other reductions are float32 only.
#include <set>

#include "nnapi/NeuralNetworks.h"
#include "ops/checks.h"
#include "ops/layout_axes.h"
#include "ops/pooling.h"
#include "ops/registry.h"

namespace nnc {
namespace {

// The layout MEAN can read its input in, so that the kept dims come out in PyTorch's order.
ir::Layout readableLayout(ir::Layout layout, const std::set<int64_t>& reduced, bool keepdim) {
  switch (layout) {
    case ir::Layout::Contiguous: return layout;
    case ir::Layout::ChannelsLast:
    case ir::Layout::ChannelsLast1d: {
      const bool keeps_channels = !reduced.count(1);
      const bool keeps_spatial = !reduced.count(2) || (layout == ir::Layout::ChannelsLast && !reduced.count(3));
      return keepdim || !(keeps_channels && keeps_spatial) ? layout : ir::Layout::Contiguous;
    }
    case ir::Layout::ChannelsLastFlattened: return reduced.count(1) ? layout : ir::Layout::Contiguous;
  }
  return ir::Layout::Contiguous;
}

// MEAN or REDUCE_* `op` over the physical axes of `reduced`.
Emitter reduceEmitter(const LoweringContext& ctx, int32_t op, const std::set<int64_t>& reduced, bool keepdim) {
  const ir::Layout layout = readableLayout(ctx.tensor(0).layout, reduced, keepdim);
  ctx.requireLayout(0, layout);
  std::vector<int32_t> axes;
  for (int64_t dim : reduced) axes.push_back(physicalAxis(layout, dim));
  const ir::Layout out_layout = isChannelsLast(layout) && keepdim ? layout : ir::Layout::Contiguous;
  return [op, layout, axes, keepdim, out_layout](LoweringContext& ctx) {
    const uint32_t x = ctx.operandInput(0, layout);
    const uint32_t keep = op == ANEURALNETWORKS_MEAN ? ctx.i32(keepdim ? 1 : 0) : ctx.boolean(keepdim);
    ctx.setOutput(0, ctx.emit(op, {x, ctx.i32Tensor(axes), keep}, outputIn(out_layout)));
  };
}

// Below feature level 2 (no MEAN) the mean over H and W of a 4-D map is an AVERAGE_POOL_2D over the whole map:
// [N,H,W,C] -> [N,1,1,C], PyTorch's [N,C,1,1]; without keepdim a RESHAPE to [N,C] (a 1x1 map has the same element
// order in both layouts).
Emitter globalPoolEmitter(const LoweringContext& ctx, bool keepdim) {
  const int32_t type = ctx.tensor(0).type;
  ctx.requireOperation(ANEURALNETWORKS_AVERAGE_POOL_2D, type);
  if (!keepdim) ctx.requireOperation(ANEURALNETWORKS_RESHAPE, type);
  ctx.requireLayout(0, ir::Layout::ChannelsLast);
  const std::vector<int64_t> shape = ctx.inputShape(0);
  ctx.require(shape[2] != 0 && shape[3] != 0, "the map's height or width is fixed only at run time (--input -1); "
                                             "AVERAGE_POOL_2D's window over the whole map is fixed in the model");
  return [keepdim](LoweringContext& ctx) {
    const uint32_t pooled = emitGlobalAveragePool(ctx, ctx.operandInput(0, ir::Layout::ChannelsLast));
    if (keepdim) {
      ctx.setOutput(0, pooled);
      return;
    }
    const std::vector<int64_t> shape = ctx.shapeOf(pooled);
    ctx.setOutput(0, ctx.emit(ANEURALNETWORKS_RESHAPE, {pooled, ctx.i32Tensor(reshapeTarget({shape[0], shape[1]}))}));
  };
}

// The reduced dims of a reduction node: input 1 the dims (an empty list means every dim: `every_if_empty`, amax
// and amin; mean and sum refuse it), input 2 keepdim. NNAPI has no 0-d tensor, so reducing every dim needs keepdim.
struct Reduced {
  std::set<int64_t> dims;
  bool keepdim = false;
};

Reduced reducedDims(const LoweringContext& ctx, bool every_if_empty) {
  const std::string& kind = ctx.node().kind;
  const size_t rank = ctx.inputShape(0).size();
  requireRankAtMost4(ctx, rank);
  ctx.require(!ctx.isNone(1), kind + " without dims is not supported: NNAPI cannot represent its 0-d result");
  Reduced r;
  for (int64_t dim : ctx.intListInput(1)) r.dims.insert(normalizeDim(dim, rank));
  if (r.dims.empty() && every_if_empty)
    for (size_t dim = 0; dim < rank; ++dim) r.dims.insert(static_cast<int64_t>(dim));
  r.keepdim = ctx.boolInput(2);
  ctx.require(!r.dims.empty(), kind + " with an empty dims list (every dimension) is not supported");
  ctx.require(r.keepdim || r.dims.size() < rank, kind + " over every dimension without keepdim is not supported: "
                                                        "NNAPI cannot represent a 0-d result");
  return r;
}

// mean.dim(self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None)
Emitter lowerMean(const LoweringContext& ctx) {
  ctx.require(ctx.inputCount() == 4, "mean over all elements (aten::mean without dims) is not supported: NNAPI "
                                     "cannot represent its 0-d result");
  const ir::Operand& input = ctx.tensor(0);
  const Reduced r = reducedDims(ctx, false);
  ctx.require(ctx.isNone(3), "mean with a dtype argument is not supported");
  const bool over_map = ctx.inputShape(0).size() == 4 && r.dims == std::set<int64_t>{2, 3};
  if (over_map && !ctx.hasOperation(ANEURALNETWORKS_MEAN, input.type)) return globalPoolEmitter(ctx, r.keepdim);
  ctx.requireOperation(ANEURALNETWORKS_MEAN, input.type, "mean over dimensions other than H and W of a 4-D map");
  return reduceEmitter(ctx, ANEURALNETWORKS_MEAN, r.dims, r.keepdim);
}

// sum.dim_IntList(self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None)
Emitter lowerSum(const LoweringContext& ctx) {
  ctx.require(ctx.inputCount() == 4, "sum over all elements (aten::sum without dims) is not supported: NNAPI "
                                     "cannot represent its 0-d result");
  requireFloat32(ctx, ctx.tensor(0));
  const Reduced r = reducedDims(ctx, false);
  ctx.require(ctx.isNone(3), "sum with a dtype argument is not supported");
  ctx.requireOperation(ANEURALNETWORKS_REDUCE_SUM, ctx.tensor(0).type);
  return reduceEmitter(ctx, ANEURALNETWORKS_REDUCE_SUM, r.dims, r.keepdim);
}

// amax(self, int[1] dim=[], bool keepdim=False), amin: an empty dim list reduces every dim.
template <int32_t kOperation>
Emitter lowerExtreme(const LoweringContext& ctx) {
  requireFloat32(ctx, ctx.tensor(0));
  const Reduced r = reducedDims(ctx, true);
  ctx.requireOperation(kOperation, ctx.tensor(0).type);
  return reduceEmitter(ctx, kOperation, r.dims, r.keepdim);
}

}  // namespace

void registerReduction(Registry& registry) {
  registry.add({"aten::mean"}, lowerMean);
  registry.add({"aten::sum"}, lowerSum);
  registry.add({"aten::amax"}, lowerExtreme<ANEURALNETWORKS_REDUCE_MAX>);
  registry.add({"aten::amin"}, lowerExtreme<ANEURALNETWORKS_REDUCE_MIN>);
}

}  // namespace nnc
