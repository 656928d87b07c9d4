// Activations: relu, relu6, hardtanh, clamp, sigmoid, tanh, hardswish, hardsigmoid. All work element by element,
// so the output keeps whatever layout the input has (NHWC map, flattened map or plain tensor) and no TRANSPOSE is
// ever needed.
//
// Quantized inputs: RELU/RELU1/RELU6 keep the input's quantization and LOGISTIC/TANH produce the fixed output
// quantization that PyTorch's quantized sigmoid/tanh also use, so these pass through to NNAPI's rules. The general
// hardtanh/clamp (need quantized bound constants), hardswish and hardsigmoid (free output quantization) are float32
// only for now.
#include <cmath>
#include <limits>

#include "nnapi/NeuralNetworks.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {
namespace {

constexpr int kFeatureLevel3 = 29;  // Android 10: MAXIMUM, MINIMUM
constexpr int kFeatureLevel4 = 30;  // Android 11: HARD_SWISH

void requireFloat32(LoweringContext& ctx, uint32_t x) {
  const int32_t type = ctx.operand(x).type;
  ctx.require(type == ANEURALNETWORKS_TENSOR_FLOAT32,
              ctx.node().kind + " is only supported on float32 tensors so far, got " + ir::operandTypeName(type));
}

// NNAPI's activations take tensors of rank 4 at most.
uint32_t activationInput(LoweringContext& ctx) {
  const uint32_t x = ctx.operandInput(0);
  ctx.require(ctx.operand(x).dims.size() <= 4, ctx.node().kind + " on a tensor of rank " +
                                                   std::to_string(ctx.operand(x).dims.size()) +
                                                   " is not supported: NNAPI takes rank 4 at most");
  return x;
}

template <int32_t kOperation>
void lowerUnary(LoweringContext& ctx) {
  const uint32_t x = activationInput(ctx);
  ctx.setOutput(0, emitKeepingLayout(ctx, kOperation, {x}, x));
}

void lowerHardswish(LoweringContext& ctx) {
  const uint32_t x = activationInput(ctx);
  requireFloat32(ctx, x);
  ctx.require(ctx.model().featureLevel() >= kFeatureLevel4,
              "hardswish needs NNAPI HARD_SWISH (feature level 4, Android 11); the target feature level is " +
                  std::to_string(ctx.model().featureLevel()));
  ctx.setOutput(0, emitKeepingLayout(ctx, ANEURALNETWORKS_HARD_SWISH, {x}, x));
}

// clamp(x, low, high), a bound of +-inf meaning "none": the one emitter behind hardtanh and clamp. NNAPI has
// fixed clamps for the common bounds; any other bounds become MAXIMUM with `low` then MINIMUM with `high`, each
// against a one-element constant that broadcasts over the whole tensor. With low > high that yields `high`
// everywhere, which is what torch.clamp does.
uint32_t emitClamp(LoweringContext& ctx, uint32_t x, double low, double high) {
  const double inf = std::numeric_limits<double>::infinity();
  int32_t fixed_clamp = -1;
  if (low == 0.0 && high == 6.0) fixed_clamp = ANEURALNETWORKS_RELU6;
  if (low == -1.0 && high == 1.0) fixed_clamp = ANEURALNETWORKS_RELU1;
  if (low == 0.0 && high == inf) fixed_clamp = ANEURALNETWORKS_RELU;
  if (fixed_clamp >= 0) return emitKeepingLayout(ctx, fixed_clamp, {x}, x);

  requireFloat32(ctx, x);
  ctx.require(ctx.model().featureLevel() >= kFeatureLevel3,
              ctx.node().kind + " with bounds other than (0,6), (-1,1), (0,inf) needs NNAPI MAXIMUM/MINIMUM "
              "(feature level 3, Android 10); the target feature level is " +
                  std::to_string(ctx.model().featureLevel()));
  uint32_t y = x;
  if (low > -inf) {
    y = emitKeepingLayout(ctx, ANEURALNETWORKS_MAXIMUM, {y, ctx.f32Tensor({1}, {static_cast<float>(low)})}, x);
  }
  if (high < inf) {
    y = emitKeepingLayout(ctx, ANEURALNETWORKS_MINIMUM, {y, ctx.f32Tensor({1}, {static_cast<float>(high)})}, x);
  }
  return y;
}

// hardtanh(x, min_val, max_val): PyTorch itself rejects min_val > max_val, so a model that has one is broken.
void lowerHardtanh(LoweringContext& ctx) {
  const uint32_t x = activationInput(ctx);
  const double low = ctx.doubleInput(1);
  const double high = ctx.doubleInput(2);
  ctx.require(low <= high, "hardtanh with min_val " + std::to_string(low) + " above max_val " +
                               std::to_string(high) + " is not supported");
  ctx.setOutput(0, emitClamp(ctx, x, low, high));
}

// One bound of clamp(self, min: Scalar?, max: Scalar?): a number, or `none_value` (an infinity) for None.
// clamp.Tensor's tensor bounds would need element-wise MAXIMUM/MINIMUM against a second operand; not done yet.
double clampBound(LoweringContext& ctx, size_t i, const char* name, double none_value) {
  if (ctx.isNone(i)) return none_value;
  ctx.require(!ctx.isTensor(i) && !ctx.isConstTensor(i),
              ctx.node().kind + " with a tensor `" + name +
                  "` bound (the clamp.Tensor overload) is not supported; only number or None bounds are");
  return ctx.doubleInput(i);
}

void lowerClamp(LoweringContext& ctx) {
  const double inf = std::numeric_limits<double>::infinity();
  const double low = clampBound(ctx, 1, "min", -inf);
  const double high = clampBound(ctx, 2, "max", inf);
  ctx.require(low > -inf || high < inf, ctx.node().kind + " needs at least one of min and max (PyTorch's rule)");
  const uint32_t x = activationInput(ctx);
  ctx.setOutput(0, emitClamp(ctx, x, low, high));
}

// hardsigmoid(x) = relu6(x + 3) / 6 -> ADD(x, 3) with NNAPI's fused RELU6, then MUL by 1/6 (MUL is in every NNAPI
// version, DIV only from feature level 2). PyTorch divides by 6; x * float(1/6) can differ from x / 6 by one
// rounding step: at most 2^-24 relative, 6e-8 absolute on outputs in [0, 1], far inside any float tolerance.
void lowerHardsigmoid(LoweringContext& ctx) {
  const uint32_t x = activationInput(ctx);
  requireFloat32(ctx, x);
  const uint32_t shifted = emitKeepingLayout(
      ctx, ANEURALNETWORKS_ADD, {x, ctx.f32Tensor({1}, {3.0f}), ctx.i32(ANEURALNETWORKS_FUSED_RELU6)}, x);
  const uint32_t one_sixth = ctx.f32Tensor({1}, {1.0f / 6.0f});
  const uint32_t scaled =
      emitKeepingLayout(ctx, ANEURALNETWORKS_MUL, {shifted, one_sixth, ctx.i32(ANEURALNETWORKS_FUSED_NONE)}, x);
  ctx.setOutput(0, scaled);
}

}  // namespace

void registerActivation(Registry& registry) {
  registry.add({"aten::relu", "aten::relu_"}, lowerUnary<ANEURALNETWORKS_RELU>);
  registry.add({"aten::relu6", "aten::relu6_"}, lowerUnary<ANEURALNETWORKS_RELU6>);
  registry.add({"aten::hardtanh", "aten::hardtanh_"}, lowerHardtanh);
  registry.add({"aten::clamp", "aten::clamp_"}, lowerClamp);
  registry.add({"aten::sigmoid", "aten::sigmoid_"}, lowerUnary<ANEURALNETWORKS_LOGISTIC>);
  registry.add({"aten::tanh", "aten::tanh_"}, lowerUnary<ANEURALNETWORKS_TANH>);
  registry.add({"aten::hardswish", "aten::hardswish_"}, lowerHardswish);
  registry.add({"aten::hardsigmoid", "aten::hardsigmoid_"}, lowerHardsigmoid);
}

}  // namespace nnc
