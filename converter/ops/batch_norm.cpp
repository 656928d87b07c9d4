// batch_norm in eval mode (one not folded into a convolution) -> MUL by a per-channel scale, then ADD a
// per-channel shift, both computed at convert time from the running statistics:
//   y = (x - mean) / sqrt(var + eps) * weight + bias = x * scale + shift,
//   scale = weight / sqrt(var + eps), shift = bias - mean * scale.
// The [C] constants broadcast over the last physical dimension, which is C for an NHWC map, a [N,L,C] map and for
// [N,C]; a [N,C,L] input held in PyTorch's order uses [C,1] constants so that they broadcast over L.
// Float32 only for now: quantized MUL/ADD would need quantized constants and an output quantization.
#include <cmath>

#include "nnapi/NeuralNetworks.h"
#include "ops/checks.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {
namespace {

// Per-channel values of an optional constant input (weight/bias may be None: 1 and 0 then).
std::vector<double> channelValues(const LoweringContext& ctx, size_t input, const char* what, int64_t channels,
                                  double if_none) {
  if (ctx.isNone(input)) return std::vector<double>(channels, if_none);
  ctx.require(ctx.isConstTensor(input), std::string("batch_norm's ") + what + " must be a constant");
  const std::vector<float> values = ctx.constTensorInput(input).toFloats();
  ctx.require(static_cast<int64_t>(values.size()) == channels,
              std::string("batch_norm's ") + what + " has " + std::to_string(values.size()) + " values for " +
                  std::to_string(channels) + " channels");
  return std::vector<double>(values.begin(), values.end());
}

// batch_norm(input, weight?, bias?, running_mean?, running_var?, training, momentum, eps, cudnn_enabled)
Emitter lowerBatchNorm(const LoweringContext& ctx) {
  const ir::Operand& input = ctx.tensor(0);
  requireFloat32(ctx, input);
  ctx.require(!ctx.boolInput(5), "batch_norm in training mode is not supported: convert the model after "
                                 "model.eval()");
  ctx.require(!ctx.isNone(3) && !ctx.isNone(4), "batch_norm without running statistics is not supported");
  const std::vector<int64_t> shape = ctx.inputShape(0);
  ctx.require(shape.size() >= 2 && shape.size() <= 4,
              "batch_norm is supported on 2-D to 4-D input, got rank " + std::to_string(shape.size()));
  const int64_t channels = shape[1];
  const std::vector<double> weight = channelValues(ctx, 1, "weight", channels, 1.0);
  const std::vector<double> bias = channelValues(ctx, 2, "bias", channels, 0.0);
  const std::vector<double> mean = channelValues(ctx, 3, "running_mean", channels, 0.0);
  const std::vector<double> var = channelValues(ctx, 4, "running_var", channels, 1.0);
  const double eps = ctx.doubleInput(7);

  std::vector<float> scale(channels), shift(channels);
  for (int64_t c = 0; c < channels; ++c) {
    const double s = weight[c] / std::sqrt(var[c] + eps);
    scale[c] = static_cast<float>(s);
    shift[c] = static_cast<float>(bias[c] - mean[c] * s);
  }

  // A 3-D map stays in the layout it has: channels-last ([N,L,C], conv1d's) or PyTorch's.
  const ir::Layout layout = shape.size() == 4 || input.layout == ir::Layout::ChannelsLast1d
                                ? channelsLastOfRank(shape.size())
                                : ir::Layout::Contiguous;
  ctx.requireLayout(0, layout);
  ctx.requireOperation(ANEURALNETWORKS_MUL, input.type);
  ctx.requireOperation(ANEURALNETWORKS_ADD, input.type);
  const std::vector<uint32_t> dims = shape.size() == 3 && layout == ir::Layout::Contiguous
                                         ? std::vector<uint32_t>{uint32_t(channels), 1}
                                         : std::vector<uint32_t>{uint32_t(channels)};
  return [layout, dims, scale, shift](LoweringContext& ctx) {
    const uint32_t x = ctx.operandInput(0, layout);
    const uint32_t none = ctx.i32(ANEURALNETWORKS_FUSED_NONE);
    const uint32_t scale_operand = ctx.f32Tensor(dims, scale, ir::Layout::Contiguous, ctx.outputName() + " scale");
    const uint32_t scaled = ctx.emit(ANEURALNETWORKS_MUL, {x, scale_operand, none}, outputIn(layout));
    const uint32_t shift_operand = ctx.f32Tensor(dims, shift, ir::Layout::Contiguous, ctx.outputName() + " shift");
    ctx.setOutput(0, ctx.emit(ANEURALNETWORKS_ADD, {scaled, shift_operand, none}, outputIn(layout)));
  };
}

}  // namespace

void registerBatchNorm(Registry& registry) { registry.add({"aten::batch_norm"}, lowerBatchNorm); }

}  // namespace nnc
