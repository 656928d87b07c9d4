// quantized::linear, quantized::linear_relu (PyTorch's post-training quantized linear layer: quint8 input, qint8
// weights, float bias) -> FULLY_CONNECTED on TENSOR_QUANT8_ASYMM, with the float linear's input handling
// (ops/fully_connected.h: rank > 2 through RESHAPE, a flattened channels-last map read as it is with the weight
// columns reordered). Weight and bias quantization: ops/quant_params.h.
//
//   quantized::linear(Tensor X, LinearPackedParamsBase W_prepack, float Y_scale_i, int Y_zero_point_i)
//
// NNAPI's FULLY_CONNECTED has no per-channel weights, which is what fbgemm's default qconfig makes. Those become a
// 1x1 CONV_2D instead (feature level 3, as every per-channel filter), which computes the same integer sums:
// the input [batch, in] reshaped to [batch, 1, 1, in], the weights [units, in] as the filter [units, 1, 1, in], the
// output [batch, 1, 1, units] reshaped to PyTorch's shape.
#include "nnapi/NeuralNetworks.h"
#include "ops/checks.h"
#include "ops/fully_connected.h"
#include "ops/quant_params.h"
#include "ops/registry.h"

namespace nnc {
namespace {

struct QuantizedLinear {
  FullyConnectedInput in;
  QuantFilter weights;
  QuantBias bias;
  std::pair<float, int32_t> quant;
  int32_t fuse = ANEURALNETWORKS_FUSED_NONE;
};

uint32_t addFilter(LoweringContext& ctx, const QuantizedLinear& fc) {
  ir::Operand type = fc.weights.operand;
  type.name = ctx.outputName() + " weights";
  return ctx.model().addConstant(type, fc.weights.bytes.data(), fc.weights.bytes.size());
}

uint32_t addBias(LoweringContext& ctx, const QuantizedLinear& fc) {
  ir::Operand type = fc.bias.operand;
  type.name = ctx.outputName() + " bias";
  return ctx.model().addConstant(type, fc.bias.values.data(), fc.bias.values.size() * sizeof(int32_t));
}

void emitQuantizedLinear(LoweringContext& ctx, const QuantizedLinear& fc) {
  const int64_t units = fc.weights.operand.dims[0];
  uint32_t input = fullyConnectedInputOperand(ctx, fc.in);
  const uint32_t weights = addFilter(ctx, fc);
  const uint32_t bias = addBias(ctx, fc);
  const uint32_t fuse = ctx.i32(fc.fuse);
  if (!fc.weights.perChannel()) {
    setFullyConnectedOutput(ctx, fc.in,
                            ctx.emit(ANEURALNETWORKS_FULLY_CONNECTED, {input, weights, bias, fuse},
                                     {ir::Layout::Contiguous, {}, fc.quant, ""}),
                            units);
    return;
  }
  const int32_t in_features = int32_t(fc.in.shape.back());
  input = ctx.emit(ANEURALNETWORKS_RESHAPE, {input, ctx.i32Tensor({-1, 1, 1, in_features})});
  const uint32_t zero = ctx.i32(0), one = ctx.i32(1);
  const uint32_t output = ctx.emit(ANEURALNETWORKS_CONV_2D,
                                   {input, weights, bias, zero, zero, zero, zero, one, one, fuse},
                                   {ir::Layout::Contiguous, {}, fc.quant, ""});
  setFullyConnectedOutput(ctx, fc.in, output, units);
}

template <int32_t kFuse>
Emitter lowerQuantizedLinear(const LoweringContext& ctx) {
  const std::string& kind = ctx.node().kind;
  const ir::Operand& input = quint8Input(ctx, 0);
  const PackedWeights& packed = ctx.packedWeightsInput(1);
  ctx.require(packed.kind == PackedWeights::Kind::Linear, kind + " needs a linear layer's packed weights");
  const std::vector<int64_t>& shape = packed.weight.shape;
  ctx.require(shape.size() == 2, kind + " needs 2-D weights [out, in]");

  QuantizedLinear fc;
  fc.in = planFullyConnectedInput(ctx, 0, shape[1]);
  fc.quant = quint8OutputQuant(ctx, 2, 3);
  fc.fuse = kFuse;
  const uint32_t units = uint32_t(shape[0]), in_features = uint32_t(shape[1]);
  fc.weights = quantFilter(packed.weight, FilterRelayout::None, {units, in_features});
  if (fc.weights.perChannel()) {
    ctx.requireOperation(ANEURALNETWORKS_CONV_2D, input.type, kind + " with per-channel weights");
    ctx.requireOperation(ANEURALNETWORKS_RESHAPE, input.type, kind + " with per-channel weights");
    ctx.requireFeature(nnapi_rules::Feature::PerChannelQuantFilter, ANEURALNETWORKS_CONV_2D);
    fc.weights.operand.dims = {units, 1, 1, in_features};  // the same bytes as a 1x1 filter, channel dim 0
  } else if (!(double(fc.quant.first) > double(input.scale) * double(fc.weights.operand.scale))) {
    ctx.requireFeature(nnapi_rules::Feature::QuantOutputScaleBelowProduct, ANEURALNETWORKS_FULLY_CONNECTED);
  }
  fc.weights.bytes = weightsForInput(fc.in, std::move(fc.weights.bytes), units);
  fc.bias = quantBias(packed.bias, fc.weights, input.scale, units);
  return [fc](LoweringContext& ctx) { emitQuantizedLinear(ctx, fc); };
}

}  // namespace

void registerQuantizedLinear(Registry& registry) {
  registry.add({"quantized::linear"}, lowerQuantizedLinear<ANEURALNETWORKS_FUSED_NONE>);
  registry.add({"quantized::linear_relu"}, lowerQuantizedLinear<ANEURALNETWORKS_FUSED_RELU>);
}

}  // namespace nnc
