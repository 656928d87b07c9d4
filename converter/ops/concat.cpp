// cat(tensors, dim) -> NNAPI CONCATENATION.
//
// All inputs must share one physical layout: a channels-last map if any 4-D input already is one (feature maps
// are NHWC inside the model, so that is the cheap choice), else PyTorch's own order. Flattened maps are put back
// into PyTorch's feature order, since joining features of different maps in HWC order would mix them up.
// Quantized inputs pass through to NNAPI's rules (CONCATENATION takes the output quantization of input 0).
#include <algorithm>

#include "nnapi/NeuralNetworks.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {
namespace {

void lowerCat(LoweringContext& ctx) {
  const std::vector<uint32_t> tensors = ctx.operandListInput(0);
  ctx.require(!tensors.empty(), "cat of an empty list is not supported");
  const size_t rank = ctx.torchShape(tensors[0]).size();
  for (uint32_t t : tensors) {
    ctx.require(ctx.torchShape(t).size() == rank, "cat of tensors with different ranks is not supported");
  }
  const int64_t dim = normalizeDim(ctx.intInput(1), rank);

  const bool any_map = std::any_of(tensors.begin(), tensors.end(), [&](uint32_t t) {
    return ctx.operand(t).layout == ir::Layout::ChannelsLast;
  });
  const ir::Layout layout = rank == 4 && any_map ? ir::Layout::ChannelsLast : ir::Layout::Contiguous;
  std::vector<uint32_t> inputs;
  for (uint32_t t : tensors) inputs.push_back(ctx.toLayout(t, layout));
  inputs.push_back(ctx.i32(physicalAxis(layout, dim)));
  ctx.setOutput(0, ctx.emit(ANEURALNETWORKS_CONCATENATION, std::move(inputs), outputIn(layout)));
}

}  // namespace

void registerConcat(Registry& registry) { registry.add({"aten::cat"}, lowerCat); }

}  // namespace nnc
