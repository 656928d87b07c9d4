// aten::quantize_per_tensor -> QUANTIZE (feature level 3), aten::dequantize -> DEQUANTIZE (feature level 1): where a
// quantized model enters and leaves its quantized part. Both work element by element, so the output keeps the
// input's layout.
//
//   quantize_per_tensor(Tensor self, float scale, int zero_point, ScalarType dtype)   dtype: torch.quint8 only
//   dequantize(Tensor self)
//
// Rounding: NNAPI's QUANTIZE rounds half away from zero, PyTorch's quantize_per_tensor half to even: a value
// exactly halfway between two steps can come out one step apart.
#include "nnapi/NeuralNetworks.h"
#include "ops/checks.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {
namespace {

// c10::ScalarType values of the quantized dtypes.
constexpr int64_t kQInt8 = 12, kQUInt8 = 13;

// Input i: a number, or a one-element constant tensor holding it.
double numberInput(const LoweringContext& ctx, size_t i) {
  if (!ctx.isConstTensor(i)) return ctx.doubleInput(i);
  const ConstTensor& tensor = ctx.constTensorInput(i);
  ctx.require(tensor.numel() == 1, "input " + std::to_string(i) + " must be a number or a one-element tensor");
  return tensor.toFloats().at(0);
}

Emitter lowerQuantizePerTensor(const LoweringContext& ctx) {
  const ir::Operand& x = ctx.tensor(0);
  requireFloat32(ctx, x);
  requireRankAtMost4(ctx, x.dims.size());
  // FX graph mode keeps the input's scale and zero point as one-element tensor attributes, eager mode as numbers.
  const double scale = numberInput(ctx, 1);
  const int64_t zero_point = static_cast<int64_t>(numberInput(ctx, 2));
  const int64_t dtype = ctx.intInput(3);
  ctx.require(dtype == kQUInt8, dtype == kQInt8 ? "quantize_per_tensor to qint8 is not supported: only quint8 "
                                                  "(TENSOR_QUANT8_ASYMM) activations are"
                                                : "quantize_per_tensor is supported to quint8 only");
  ctx.require(scale > 0.0 && zero_point >= 0 && zero_point <= 255,
              "quantize_per_tensor with scale " + std::to_string(scale) + " and zero point " +
                  std::to_string(zero_point) + " is not a quint8 quantization");
  ctx.requireOperation(ANEURALNETWORKS_QUANTIZE, x.type);
  const std::pair<float, int32_t> quant{static_cast<float>(scale), static_cast<int32_t>(zero_point)};
  return [quant](LoweringContext& ctx) {
    const uint32_t input = ctx.operandInput(0);
    ir::OutputSpec spec = outputIn(ctx.operand(input).layout);
    spec.type = ANEURALNETWORKS_TENSOR_QUANT8_ASYMM;
    spec.quant = quant;
    const uint32_t output = ctx.emit(ANEURALNETWORKS_QUANTIZE, {input}, spec);
    ctx.model().mutableOperand(output).flattened_chw = ctx.operand(input).flattened_chw;
    ctx.setOutput(0, output);
  };
}

Emitter lowerDequantize(const LoweringContext& ctx) {
  ctx.require(ctx.isTensor(0), "dequantize of a constant or a list is not supported");
  const ir::Operand& x = ctx.tensor(0);
  ctx.require(x.type == ANEURALNETWORKS_TENSOR_QUANT8_ASYMM,
              "dequantize is supported on quint8 tensors (TENSOR_QUANT8_ASYMM) only, got " +
                  ir::operandTypeName(x.type));
  requireRankAtMost4(ctx, x.dims.size());
  ctx.requireOperation(ANEURALNETWORKS_DEQUANTIZE, x.type);
  return [](LoweringContext& ctx) {
    const uint32_t input = ctx.operandInput(0);
    ir::OutputSpec spec = outputIn(ctx.operand(input).layout);
    spec.type = ANEURALNETWORKS_TENSOR_FLOAT32;
    spec.quant = std::pair<float, int32_t>{0.0f, 0};
    const uint32_t output = ctx.emit(ANEURALNETWORKS_DEQUANTIZE, {input}, spec);
    ctx.model().mutableOperand(output).flattened_chw = ctx.operand(input).flattened_chw;
    ctx.setOutput(0, output);
  };
}

}  // namespace

void registerQuantize(Registry& registry) {
  registry.add({"aten::quantize_per_tensor"}, lowerQuantizePerTensor);
  registry.add({"aten::dequantize"}, lowerDequantize);
}

}  // namespace nnc
