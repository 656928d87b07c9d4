// Piecewise-linear rectifiers with a slope below zero -> NNAPI's PRELU (feature level 3): x >= 0 ? x : alpha * x.
//   leaky_relu(x, slope): PRELU with a one-element alpha, one operation for any slope (MAXIMUM(x, slope * x), the
//     other form, takes two operations and only holds for slopes up to 1).
//   prelu(x, weight): PyTorch's weight has one element or one per channel, along dim 1. NNAPI broadcasts alpha from
//     the trailing dimension: on a channels-last map (NHWC) the channels are the last physical axis, so alpha is
//     [C]; on a tensor in PyTorch's own order it is [C, 1, ..., 1] (one 1 per dimension after the channels).
// The output keeps the input's layout.
#include <vector>

#include "nnapi/NeuralNetworks.h"
#include "ops/float_math.h"
#include "ops/registry.h"

namespace nnc {
namespace {

Emitter preluEmitter(std::vector<uint32_t> alpha_dims, std::vector<float> alpha) {
  return [alpha_dims, alpha](LoweringContext& ctx) {
    const uint32_t x = ctx.operandInput(0);
    ctx.setOutput(0, emitBinaryOp(ctx, ANEURALNETWORKS_PRELU, x, ctx.f32Tensor(alpha_dims, alpha), x));
  };
}

// leaky_relu(self, negative_slope=0.01)
Emitter lowerLeakyRelu(const LoweringContext& ctx) {
  floatMathInput(ctx, 0, {ANEURALNETWORKS_PRELU});
  return preluEmitter({1}, {static_cast<float>(ctx.doubleInput(1))});
}

// prelu(self, weight)
Emitter lowerPrelu(const LoweringContext& ctx) {
  const ir::Operand& x = floatMathInput(ctx, 0, {ANEURALNETWORKS_PRELU});
  ctx.require(ctx.isConstTensor(1), "prelu with a weight computed by the model is not supported; only a constant "
                                    "weight (the module's parameter) is");
  const std::vector<float> weight = ctx.constTensorInput(1).toFloats();
  if (weight.size() == 1) return preluEmitter({1}, weight);
  const std::vector<int64_t> shape = ctx.inputShape(0);
  ctx.require(shape.size() >= 2 && shape[1] == static_cast<int64_t>(weight.size()),
              "prelu with " + std::to_string(weight.size()) + " weights needs one per channel (dim 1) of the input");
  const uint32_t channels = static_cast<uint32_t>(weight.size());
  switch (x.layout) {
    case ir::Layout::ChannelsLast: return preluEmitter({channels}, weight);
    case ir::Layout::Contiguous: {
      std::vector<uint32_t> dims(shape.size() - 1, 1);
      dims[0] = channels;
      return preluEmitter(dims, weight);
    }
    case ir::Layout::ChannelsLastFlattened: break;
  }
  throw Unsupported("prelu with one weight per channel of a flattened channels-last map is not supported");
}

}  // namespace

void registerRectifier(Registry& registry) {
  registry.add({"aten::leaky_relu", "aten::leaky_relu_"}, lowerLeakyRelu);
  registry.add({"aten::prelu"}, lowerPrelu);
}

}  // namespace nnc
