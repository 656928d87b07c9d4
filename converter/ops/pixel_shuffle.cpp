// aten::pixel_shuffle -> DEPTH_TO_SPACE and aten::pixel_unshuffle -> SPACE_TO_DEPTH, on the NHWC map.
//
// The two frameworks order a block's depth differently. For block r and C channels on the wide (space) side,
// PyTorch's deep channel c*r*r + i*r + j holds pixel (i, j) of channel c; NNAPI's depth (i*r + j)*C + c does.
// With C == 1 they agree. Otherwise the deep side's channels are reordered by viewing each pixel's depth as a
// matrix and transposing it: RESHAPE [N,H,W,D] -> [N, H*W, A, B], TRANSPOSE (0,1,3,2), RESHAPE back, with
// (A, B) = (C, r*r) before DEPTH_TO_SPACE (PyTorch's order in, NNAPI's out) and (r*r, C) after SPACE_TO_DEPTH.
// Those are feature-level-2 operations and pure data movement; DEPTH_TO_SPACE / SPACE_TO_DEPTH are level 1.
#include <string>

#include "nnapi/NeuralNetworks.h"
#include "ops/checks.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {
namespace {

// The deep side [N, D, Hd, Wd] (PyTorch shape) whose D = rows * cols channels are transposed per pixel.
struct DepthReorder {
  int64_t n, height, width, rows, cols;
};

// Transposes each pixel's depth, seen as a rows x cols matrix, of the ChannelsLast operand `x`.
uint32_t emitDepthReorder(LoweringContext& ctx, uint32_t x, const DepthReorder& r) {
  const uint32_t matrix = ctx.emit(ANEURALNETWORKS_RESHAPE,
                                   {x, ctx.i32Tensor(reshapeTarget({r.n, r.height * r.width, r.rows, r.cols}))});
  const uint32_t transposed = ctx.emit(ANEURALNETWORKS_TRANSPOSE, {matrix, ctx.i32Tensor({0, 1, 3, 2})});
  return ctx.emit(ANEURALNETWORKS_RESHAPE,
                  {transposed, ctx.i32Tensor(reshapeTarget({r.n, r.height, r.width, r.rows * r.cols}))},
                  outputIn(ir::Layout::ChannelsLast));
}

// pixel_shuffle(self, upscale_factor) / pixel_unshuffle(self, downscale_factor).
template <bool kShuffle>
Emitter lowerPixelShuffle(const LoweringContext& ctx) {
  const std::string& kind = ctx.node().kind;
  const ir::Operand& x = ctx.tensor(0);
  requireFloat32(ctx, x);
  const std::vector<int64_t> shape = ctx.inputShape(0);
  ctx.require(shape.size() == 4, kind + " is supported on 4-D [N,C,H,W] input only, got rank " +
                                     std::to_string(shape.size()));
  const int64_t r = ctx.intInput(1);
  ctx.require(r >= 1 && r <= 46340, kind + " factor " + std::to_string(r) + " is outside 1..46340");
  if (r == 1) return [](LoweringContext& ctx) { ctx.setOutputAlias(0, ctx.node().inputs[0]); };
  const int64_t area = r * r;
  // The wide side's channels C and the deep side's spatial extents.
  const int64_t channels = kShuffle ? shape[1] / area : shape[1];
  ctx.require(shape[1] != 0, kind + " of a tensor whose channel count is fixed only at run time (--input -1)");
  if (kShuffle) {
    ctx.require(shape[1] % area == 0, kind + ": " + std::to_string(shape[1]) + " channels are not divisible by " +
                                          std::to_string(area));
  } else {
    ctx.require(shape[2] % r == 0 && shape[3] % r == 0,
                kind + ": height and width must be divisible by " + std::to_string(r));
  }
  const int32_t op = kShuffle ? ANEURALNETWORKS_DEPTH_TO_SPACE : ANEURALNETWORKS_SPACE_TO_DEPTH;
  ctx.requireOperation(op, x.type);
  ctx.requireLayout(0, ir::Layout::ChannelsLast);
  const bool reorder = channels > 1;
  const DepthReorder deep{shape[0], kShuffle ? shape[2] : shape[2] / r, kShuffle ? shape[3] : shape[3] / r,
                          kShuffle ? channels : area, kShuffle ? area : channels};
  if (reorder) {
    ctx.require(deep.height != 0 && deep.width != 0, kind + " with more than one channel of a map whose height or "
                                                            "width is fixed only at run time (--input -1): the "
                                                            "channel reorder reshapes by them");
    const std::string use = kind + " reordering " + std::to_string(channels) + " channels";
    ctx.requireOperation(ANEURALNETWORKS_RESHAPE, x.type, use);
    ctx.requireOperation(ANEURALNETWORKS_TRANSPOSE, x.type, use);
  }
  return [op, r, reorder, deep](LoweringContext& ctx) {
    uint32_t y = ctx.operandInput(0, ir::Layout::ChannelsLast);
    if (kShuffle && reorder) y = emitDepthReorder(ctx, y, deep);
    // No NCHW input: NHWC is the default, and the optional input would need feature level 3.
    y = ctx.emit(op, {y, ctx.i32(int32_t(r))}, outputIn(ir::Layout::ChannelsLast));
    if (!kShuffle && reorder) y = emitDepthReorder(ctx, y, deep);
    ctx.setOutput(0, y);
  };
}

}  // namespace

void registerPixelShuffle(Registry& registry) {
  registry.add({"aten::pixel_shuffle"}, lowerPixelShuffle<true>);
  registry.add({"aten::pixel_unshuffle"}, lowerPixelShuffle<false>);
}

}  // namespace nnc
