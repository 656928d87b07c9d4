// cat(tensors, dim) -> NNAPI CONCATENATION.
//
// All inputs must share one physical layout: a channels-last map if any input already is one (4-D and 3-D feature
// maps are NHWC and [N,L,C] inside the model, so that is the cheap choice), else PyTorch's own order. Flattened
// maps are put back into PyTorch's feature order, since joining features of different maps in HWC order would mix
// them up.
// Quantized inputs pass through to NNAPI's rules (CONCATENATION takes the output quantization of input 0).
#include "ops/concat.h"

#include <algorithm>

#include "nnapi/NeuralNetworks.h"
#include "ops/checks.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {

Emitter concatEmitter(const LoweringContext& ctx, const std::vector<ValueId>& tensors, int64_t dim_input,
                      std::optional<std::pair<float, int32_t>> quant) {
  ctx.require(!tensors.empty(), "cat of an empty list is not supported");
  // The first computed input sets rank, type and quantization; float constants (floatConstantOf) join a float32
  // cat as NNAPI constants in whatever layout it takes.
  const auto computed = std::find_if(tensors.begin(), tensors.end(),
                                     [&ctx](ValueId t) { return ctx.floatConstantOf(t) == nullptr; });
  ctx.require(computed != tensors.end(), "cat of constants only is not supported");
  const ir::Operand& first = ctx.tensorOf(*computed);
  const size_t rank = first.dims.size();
  requireRankAtMost4(ctx, rank);
  const float out_scale = quant ? quant->first : first.scale;
  const int32_t out_zero_point = quant ? quant->second : first.zero_point;
  bool any_map = false, mixed_quantization = false;
  for (ValueId t : tensors) {
    if (const ConstTensor* constant = ctx.floatConstantOf(t)) {
      ctx.require(constant->shape.size() == rank, "cat of tensors with different ranks is not supported");
      ctx.require(first.type == ANEURALNETWORKS_TENSOR_FLOAT32, "cat of a constant with a quantized tensor is not "
                                                                "supported");
      continue;
    }
    const ir::Operand& tensor = ctx.tensorOf(t);
    ctx.require(tensor.dims.size() == rank, "cat of tensors with different ranks is not supported");
    ctx.require(tensor.type == first.type, "cat of tensors of different types is not supported");
    any_map = any_map || isChannelsLast(tensor.layout);
    mixed_quantization = mixed_quantization || tensor.scale != out_scale || tensor.zero_point != out_zero_point;
  }
  const int64_t dim = normalizeDim(dim_input, rank);
  ctx.requireOperation(ANEURALNETWORKS_CONCATENATION, first.type);
  // Inputs quantized unlike the output are requantized to it.
  if (mixed_quantization) {
    ctx.requireFeature(nnapi_rules::Feature::ConcatMixedQuant, ANEURALNETWORKS_CONCATENATION);
  }
  const ir::Layout layout = any_map ? channelsLastOfRank(rank) : ir::Layout::Contiguous;
  for (ValueId t : tensors) {
    if (!ctx.floatConstantOf(t)) ctx.requireLayoutOf(t, layout);
  }
  const int32_t axis = physicalAxis(layout, dim);
  return [tensors, layout, axis, quant](LoweringContext& ctx) {
    std::vector<uint32_t> inputs;
    for (ValueId t : tensors) {
      inputs.push_back(ctx.floatConstantOf(t) ? ctx.constantOperandOf(t, layout) : ctx.operandOf(t, layout));
    }
    inputs.push_back(ctx.i32(axis));
    ir::OutputSpec spec = outputIn(layout);
    spec.quant = quant;
    ctx.setOutput(0, ctx.emit(ANEURALNETWORKS_CONCATENATION, std::move(inputs), spec));
  };
}

namespace {

// cat(Tensor[] tensors, int dim): PyTorch requires quantized inputs to share one quantization, which the output
// keeps.
Emitter lowerCat(const LoweringContext& ctx) {
  return concatEmitter(ctx, ctx.tensorOrConstantListInput(0), ctx.intInput(1));
}

}  // namespace

void registerConcat(Registry& registry) { registry.add({"aten::cat"}, lowerCat); }

}  // namespace nnc
