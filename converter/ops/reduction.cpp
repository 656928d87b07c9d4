// mean over dimensions -> NNAPI MEAN.
//
// The dims are PyTorch's logical dims; on an NHWC map they are mapped to physical axes. Which layout the result
// has depends on what is left:
//   keepdim=True, 4-D map      -> still a [N,H,W,C] map of PyTorch's [N,C,H,W] with 1s: ChannelsLast.
//   keepdim=False, map         -> the kept physical dims come out in NHWC order, PyTorch's in NCHW order. They agree
//                                 unless C is kept together with H or W (e.g. mean over H only: physical [N,W,C],
//                                 PyTorch [N,C,W]); then the map is turned back to NCHW first. Mean over H,W gives
//                                 [N,C] and mean over C gives [N,H,W]: no transpose.
//   flattened map [N, H*W*C]   -> reducing dim 1 (every feature) does not care about the order of the features;
//                                 anything else first restores PyTorch's feature order.
// Quantized input keeps its quantization in NNAPI's MEAN, as in PyTorch, so it passes through to NNAPI's rules.
#include <set>

#include "nnapi/NeuralNetworks.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {
namespace {

constexpr int kFeatureLevel2 = 28;  // Android 9: MEAN

// The layout MEAN can read its input in, so that the kept dims come out in PyTorch's order.
ir::Layout readableLayout(ir::Layout layout, const std::set<int64_t>& reduced, bool keepdim) {
  switch (layout) {
    case ir::Layout::Contiguous: return layout;
    case ir::Layout::ChannelsLast: {
      const bool keeps_channels = !reduced.count(1);
      const bool keeps_spatial = !reduced.count(2) || !reduced.count(3);
      return keepdim || !(keeps_channels && keeps_spatial) ? layout : ir::Layout::Contiguous;
    }
    case ir::Layout::ChannelsLastFlattened: return reduced.count(1) ? layout : ir::Layout::Contiguous;
  }
  return ir::Layout::Contiguous;
}

// mean.dim(self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None)
void lowerMean(LoweringContext& ctx) {
  ctx.require(ctx.inputCount() == 4, "mean over all elements (aten::mean without dims) is not supported: NNAPI "
                                     "cannot represent its 0-d result");
  const uint32_t input = ctx.operandInput(0);
  const size_t rank = ctx.torchShape(input).size();
  ctx.require(rank <= 4, "mean on a tensor of rank " + std::to_string(rank) +
                             " is not supported: NNAPI's MEAN takes rank 4 at most");
  ctx.require(!ctx.isNone(1), "mean without dims is not supported: NNAPI cannot represent its 0-d result");
  std::set<int64_t> reduced;
  for (int64_t dim : ctx.intListInput(1)) reduced.insert(normalizeDim(dim, rank));
  const bool keepdim = ctx.boolInput(2);
  ctx.require(ctx.isNone(3), "mean with a dtype argument is not supported");
  ctx.require(!reduced.empty(), "mean with an empty dims list (every dimension) is not supported");
  ctx.require(keepdim || reduced.size() < rank,
              "mean over every dimension without keepdim is not supported: NNAPI cannot represent a 0-d result");
  ctx.require(ctx.model().featureLevel() >= kFeatureLevel2, "mean needs NNAPI MEAN (feature level 2, Android 9)");

  const ir::Layout layout = readableLayout(ctx.operand(input).layout, reduced, keepdim);
  const uint32_t x = ctx.toLayout(input, layout);
  std::vector<int32_t> axes;
  for (int64_t dim : reduced) axes.push_back(physicalAxis(layout, dim));
  const ir::Layout out_layout = layout == ir::Layout::ChannelsLast && keepdim ? layout : ir::Layout::Contiguous;
  ctx.setOutput(0, ctx.emit(ANEURALNETWORKS_MEAN, {x, ctx.i32Tensor(axes), ctx.i32(keepdim ? 1 : 0)},
                            outputIn(out_layout)));
}

}  // namespace

void registerReduction(Registry& registry) { registry.add({"aten::mean"}, lowerMean); }

}  // namespace nnc
