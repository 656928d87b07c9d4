#include "ops/axis_layout.h"

#include "nnapi/NeuralNetworks.h"
#include "ops/layout_axes.h"

namespace nnc {

ir::Layout axisLayout(const LoweringContext& ctx, size_t i) {
  const ir::Operand& x = ctx.tensor(i);
  if (x.dims.size() == 4 && (ctx.heldIn(i, ir::Layout::ChannelsLast) || ctx.input(i).partition < 0)) {
    return ir::Layout::ChannelsLast;
  }
  return x.layout == ir::Layout::ChannelsLastFlattened ? ir::Layout::Contiguous : x.layout;
}

uint32_t emitGatherAlong(LoweringContext& ctx, uint32_t x, int32_t axis, const std::vector<int32_t>& indices) {
  return emitKeepingLayout(ctx, ANEURALNETWORKS_GATHER, {x, ctx.i32(axis), ctx.i32Tensor(indices)}, x);
}

}  // namespace nnc
