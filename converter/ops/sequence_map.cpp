#include "ops/sequence_map.h"

#include "nnapi/NeuralNetworks.h"
#include "ops/layout_axes.h"

namespace nnc {
namespace {

bool isSequence(const LoweringContext& ctx) { return ctx.inputShape(0).size() == 3; }

uint32_t reshapeTo(LoweringContext& ctx, uint32_t x, const std::vector<int64_t>& physical, ir::Layout layout) {
  return ctx.emit(ANEURALNETWORKS_RESHAPE, {x, ctx.i32Tensor(reshapeTarget(physical))}, outputIn(layout));
}

}  // namespace

void requireMapInput(const LoweringContext& ctx) {
  const std::vector<int64_t> shape = ctx.inputShape(0);
  ctx.require(shape.size() == 3 || shape.size() == 4, ctx.node().kind + " is supported on a 3-D [N,C,L] or 4-D "
                                                          "[N,C,H,W] input, got rank " + std::to_string(shape.size()));
  ctx.requireLayout(0, channelsLastOfRank(shape.size()));
  if (shape.size() == 4) return;
  ctx.requireOperation(ANEURALNETWORKS_RESHAPE, ctx.tensor(0).type, "a 1-D " + ctx.node().kind);
  ctx.require(runTimeExtentCount(shape) <= 1,
              ctx.node().kind + " on [N,C,L] with more than one extent fixed only at run time (--input -1): the "
                                "RESHAPE to the 2-D map [N,1,L,C] can infer only one");
}

uint32_t mapInput(LoweringContext& ctx) {
  if (!isSequence(ctx)) return ctx.operandInput(0, ir::Layout::ChannelsLast);
  const uint32_t nlc = ctx.operandInput(0, ir::Layout::ChannelsLast1d);
  const std::vector<uint32_t> dims = ctx.operand(nlc).dims;
  return reshapeTo(ctx, nlc, {int64_t(dims[0]), 1, int64_t(dims[1]), int64_t(dims[2])}, ir::Layout::ChannelsLast);
}

void setMapOutput(LoweringContext& ctx, uint32_t out) {
  if (!isSequence(ctx)) return ctx.setOutput(0, out);
  const std::vector<uint32_t> dims = ctx.operand(out).dims;  // [N,1,L,C]
  ctx.setOutput(0, reshapeTo(ctx, out, {int64_t(dims[0]), int64_t(dims[2]), int64_t(dims[3])},
                             ir::Layout::ChannelsLast1d));
}

}  // namespace nnc
