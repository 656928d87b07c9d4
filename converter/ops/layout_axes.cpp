#include "ops/layout_axes.h"

namespace nnc {

int32_t physicalAxis(ir::Layout layout, int64_t dim) {
  if (layout == ir::Layout::ChannelsLast1d) {
    static constexpr int32_t kNclToNlcAxis[3] = {0, 2, 1};
    if (dim < 0 || dim > 2) throw std::logic_error("a channels-last 1-D map has 3 dimensions, asked for dimension " +
                                                   std::to_string(dim));
    return kNclToNlcAxis[dim];
  }
  if (layout != ir::Layout::ChannelsLast) return static_cast<int32_t>(dim);
  static constexpr int32_t kNchwToNhwcAxis[4] = {0, 3, 1, 2};
  if (dim < 0 || dim > 3) throw std::logic_error("a channels-last map has 4 dimensions, asked for dimension " +
                                                 std::to_string(dim));
  return kNchwToNhwcAxis[dim];
}

ir::OutputSpec outputIn(ir::Layout layout) {
  ir::OutputSpec spec;
  spec.layout = layout;
  return spec;
}

uint32_t emitKeepingLayout(LoweringContext& ctx, int32_t op, std::vector<uint32_t> inputs, uint32_t like,
                           std::optional<std::pair<float, int32_t>> quant) {
  const ir::Layout layout = ctx.operand(like).layout;
  const std::vector<uint32_t> chw = ctx.operand(like).flattened_chw;
  ir::OutputSpec spec = outputIn(layout);
  spec.quant = quant;
  const uint32_t output = ctx.emit(op, std::move(inputs), spec);
  if (layout == ir::Layout::ChannelsLastFlattened) ctx.model().mutableOperand(output).flattened_chw = chw;
  return output;
}

}  // namespace nnc
