// channel_shuffle(self, groups) -> CHANNEL_SHUFFLE (feature level 3) on the physical axis of PyTorch's dimension 1.
//
// PyTorch views the C channels as [groups, C/groups] and transposes them; NNAPI's CHANNEL_SHUFFLE does exactly that
// (out[k*groups + g] = in[g*(C/groups) + k]). Models rarely call it by name: ShuffleNet's view/transpose/view idiom
// becomes this op in the frontend (frontend/channel_shuffle_idiom.h). NNAPI takes the group count before the axis.
#include "nnapi/NeuralNetworks.h"
#include "ops/checks.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {
namespace {

Emitter lowerChannelShuffle(const LoweringContext& ctx) {
  const ir::Operand& x = ctx.tensor(0);
  const std::vector<int64_t> shape = ctx.inputShape(0);
  requireRankAtMost4(ctx, shape.size());
  ctx.require(shape.size() >= 3, "channel_shuffle of a tensor of rank " + std::to_string(shape.size()) +
                                     " (PyTorch takes rank 3 or more)");
  const int64_t groups = ctx.intInput(1);
  ctx.require(shape[1] != 0, "the channels are fixed only at run time (--input -1)");
  ctx.require(groups > 0 && shape[1] % groups == 0, "channel_shuffle into " + std::to_string(groups) +
                                                         " groups of " + std::to_string(shape[1]) + " channels");
  ctx.requireOperation(ANEURALNETWORKS_CHANNEL_SHUFFLE, x.type);
  // A flattened map's (H,W,C) order has no channel axis of its own.
  const ir::Layout layout = x.layout == ir::Layout::ChannelsLastFlattened ? ir::Layout::Contiguous : x.layout;
  ctx.requireLayout(0, layout);
  const int32_t axis = physicalAxis(layout, 1);
  return [layout, groups, axis](LoweringContext& ctx) {
    const uint32_t input = ctx.operandInput(0, layout);
    ctx.setOutput(0, ctx.emit(ANEURALNETWORKS_CHANNEL_SHUFFLE, {input, ctx.i32(int32_t(groups)), ctx.i32(axis)},
                              outputIn(layout)));
  };
}

}  // namespace

void registerChannelShuffle(Registry& registry) {
  registry.add({"aten::channel_shuffle", "aten::native_channel_shuffle"}, lowerChannelShuffle);
}

}  // namespace nnc
