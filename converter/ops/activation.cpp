// Activations: relu, relu6, hardtanh, sigmoid, tanh, hardswish. All work element by element, so the output keeps
// whatever layout the input has (NHWC map, flattened map or plain tensor) and no TRANSPOSE is ever needed.
//
// Quantized inputs: RELU/RELU1/RELU6 keep the input's quantization and LOGISTIC/TANH produce the fixed output
// quantization that PyTorch's quantized sigmoid/tanh also use, so these pass through to NNAPI's rules. The general
// hardtanh (needs quantized bound constants) and hardswish (free output quantization) are float32 only for now.
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

// hardtanh(x, min_val, max_val) = clamp(x, min_val, max_val). NNAPI has fixed clamps for the common bounds; any
// other bounds become MAXIMUM with min_val then MINIMUM with max_val, each against a one-element constant that
// broadcasts over the whole tensor.
void lowerHardtanh(LoweringContext& ctx) {
  const uint32_t x = activationInput(ctx);
  const double low = ctx.doubleInput(1);
  const double high = ctx.doubleInput(2);
  ctx.require(low <= high, "hardtanh with min_val " + std::to_string(low) + " above max_val " +
                               std::to_string(high) + " is not supported");
  const double inf = std::numeric_limits<double>::infinity();

  int32_t fixed_clamp = -1;
  if (low == 0.0 && high == 6.0) fixed_clamp = ANEURALNETWORKS_RELU6;
  if (low == -1.0 && high == 1.0) fixed_clamp = ANEURALNETWORKS_RELU1;
  if (low == 0.0 && high == inf) fixed_clamp = ANEURALNETWORKS_RELU;
  if (fixed_clamp >= 0) {
    ctx.setOutput(0, emitKeepingLayout(ctx, fixed_clamp, {x}, x));
    return;
  }

  requireFloat32(ctx, x);
  ctx.require(ctx.model().featureLevel() >= kFeatureLevel3,
              "hardtanh with bounds other than (0,6), (-1,1), (0,inf) needs NNAPI MAXIMUM/MINIMUM (feature level 3, "
              "Android 10); the target feature level is " + std::to_string(ctx.model().featureLevel()));
  uint32_t y = x;
  if (low > -inf) {
    y = emitKeepingLayout(ctx, ANEURALNETWORKS_MAXIMUM, {y, ctx.f32Tensor({1}, {static_cast<float>(low)})}, x);
  }
  if (high < inf) {
    y = emitKeepingLayout(ctx, ANEURALNETWORKS_MINIMUM, {y, ctx.f32Tensor({1}, {static_cast<float>(high)})}, x);
  }
  ctx.setOutput(0, y);
}

}  // namespace

void registerActivation(Registry& registry) {
  registry.add({"aten::relu", "aten::relu_"}, lowerUnary<ANEURALNETWORKS_RELU>);
  registry.add({"aten::relu6", "aten::relu6_"}, lowerUnary<ANEURALNETWORKS_RELU6>);
  registry.add({"aten::hardtanh", "aten::hardtanh_"}, lowerHardtanh);
  registry.add({"aten::sigmoid", "aten::sigmoid_"}, lowerUnary<ANEURALNETWORKS_LOGISTIC>);
  registry.add({"aten::tanh", "aten::tanh_"}, lowerUnary<ANEURALNETWORKS_TANH>);
  registry.add({"aten::hardswish", "aten::hardswish_"}, lowerHardswish);
}

}  // namespace nnc
