// quantized::conv2d, quantized::conv2d_relu, quantized::conv_transpose2d (PyTorch's post-training quantized
// convolutions: quint8 activations, qint8 weights per tensor or per output channel, float bias) -> CONV_2D,
// DEPTHWISE_CONV_2D, GROUPED_CONV_2D or TRANSPOSE_CONV_2D on TENSOR_QUANT8_ASYMM, chosen and emitted exactly as the
// float convolutions are (ops/convolution.h). Filter and bias quantization: ops/quant_params.h.
//
//   quantized::conv2d(Tensor qx, Conv2dPackedParamsBase packed_weight, float output_scale, int output_zero_point)
//
// Feature levels beyond the operation's own: a per-channel filter needs feature level 3, and so does a per-tensor
// one whose output scale is not above input scale x weight scale (levels 1 and 2 required a requantizing
// multiplier below 1).
#include "nnapi/NeuralNetworks.h"
#include "ops/checks.h"
#include "ops/convolution.h"
#include "ops/quant_params.h"
#include "ops/registry.h"

namespace nnc {
namespace {

ConvArgs argsOf(const PackedWeights& packed) {
  ConvArgs args;
  args.stride = packed.stride.empty() ? std::vector<int64_t>{1, 1} : hwPair(packed.stride, "stride");
  args.padding = packed.padding.empty() ? std::vector<int64_t>{0, 0} : hwPair(packed.padding, "padding");
  args.dilation = packed.dilation.empty() ? std::vector<int64_t>{1, 1} : hwPair(packed.dilation, "dilation");
  if (!packed.output_padding.empty()) args.output_padding = hwPair(packed.output_padding, "output_padding");
  args.transposed = packed.transposed;
  args.groups = packed.groups;
  return args;
}

template <int32_t kFuse>
Emitter lowerQuantizedConv(const LoweringContext& ctx) {
  const std::string& kind = ctx.node().kind;
  const ir::Operand& input = quint8Input(ctx, 0);
  const PackedWeights& packed = ctx.packedWeightsInput(1);
  ctx.require(packed.kind == PackedWeights::Kind::Conv2d, kind + " needs a convolution's packed weights");
  const bool transposed_op = kind == "quantized::conv_transpose2d";
  ctx.require(packed.transposed == transposed_op,
              kind + (transposed_op ? " got the packed weights of a forward convolution"
                                    : " got the packed weights of a transposed convolution"));
  const std::pair<float, int32_t> quant = quint8OutputQuant(ctx, 2, 3);

  const ConvPlan plan = planConvolution(ctx, packed.weight.shape, argsOf(packed));
  QuantFilter filter = quantFilter(packed.weight, plan.relayout, plan.filter_dims);
  if (filter.perChannel()) {
    ctx.requireFeature(nnapi_rules::Feature::PerChannelQuantFilter, plan.op);
  } else if (!(double(quant.first) > double(input.scale) * double(filter.operand.scale))) {
    ctx.requireFeature(nnapi_rules::Feature::QuantOutputScaleBelowProduct, plan.op);
  }
  QuantBias bias = quantBias(packed.bias, filter, input.scale, static_cast<size_t>(plan.out_channels));
  return [plan, filter, bias, quant](LoweringContext& ctx) {
    ir::Operand filter_type = filter.operand;
    filter_type.name = ctx.outputName() + " weight";
    ir::Operand bias_type = bias.operand;
    bias_type.name = ctx.outputName() + " bias";
    const uint32_t filter_operand = ctx.model().addConstant(filter_type, filter.bytes.data(), filter.bytes.size());
    const uint32_t bias_operand =
        ctx.model().addConstant(bias_type, bias.values.data(), bias.values.size() * sizeof(int32_t));
    emitConvolution(ctx, plan, filter_operand, bias_operand, kFuse, quant);
  };
}

}  // namespace

void registerQuantizedConv(Registry& registry) {
  registry.add({"quantized::conv2d", "quantized::conv_transpose2d"}, lowerQuantizedConv<ANEURALNETWORKS_FUSED_NONE>);
  registry.add({"quantized::conv2d_relu"}, lowerQuantizedConv<ANEURALNETWORKS_FUSED_RELU>);
}

}  // namespace nnc
