// PyTorch's quantized element-wise ops on quint8 tensors (TENSOR_QUANT8_ASYMM), laid out as their float
// counterparts (ops/elementwise.h, ops/concat.h): the output keeps the layout of its tensor inputs.
//
//   quantized::add/add_relu/mul/mul_relu(Tensor qa, Tensor qb, float scale, int zero_point)  -> ADD / MUL (+ RELU)
//   quantized::add_scalar/add_scalar_relu/mul_scalar/mul_scalar_relu(Tensor qa, Scalar b)    -> ADD / MUL with a
//       one-element quantized constant; the output quantization is PyTorch's own choice for these ops
//   quantized::cat(Tensor[] qx, int dim, float? scale, int? zero_point)                      -> CONCATENATION
//   quantized::hardswish(Tensor qx, float output_scale, int output_zero_point)               -> HARD_SWISH (FL4),
//                                                                                      below: ADD, MUL, MUL
//   quantized::leaky_relu(Tensor qx, Scalar negative_slope, bool inplace, float output_scale,
//                         int output_zero_point)                                             -> PRELU (FL3)
#include <cmath>

#include "nnapi/NeuralNetworks.h"
#include "ops/activation.h"
#include "ops/checks.h"
#include "ops/concat.h"
#include "ops/elementwise.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {
namespace {

using Quant = std::pair<float, int32_t>;


template <int32_t kOp, int32_t kFuse>
Emitter lowerBinary(const LoweringContext& ctx) {
  quint8Input(ctx, 0);
  quint8Input(ctx, 1);
  return quantizedBinary(ctx, kOp, 0, 1, kFuse, quint8OutputQuant(ctx, 2, 3));
}

// add_scalar(qa, c): PyTorch rounds c to the input's grid, c_q = round(c / s), and gives the output the input's
// values with zero point z - c_q, moved to the edge of [0, 255] with a wider scale when z - c_q leaves it
// (ATen/native/quantized/cpu/qadd.cpp, _add_scalar_out). NNAPI's ADD then adds the constant c_q * s, represented
// exactly: on the input's own scale when |c_q| <= 255 (zero point 0 for c_q >= 0, 255 below), else as one step of
// scale |c_q| * s.
template <int32_t kFuse>
Emitter lowerAddScalar(const LoweringContext& ctx) {
  const ir::Operand& x = quint8Input(ctx, 0);
  const double s = x.scale;
  const int64_t z = x.zero_point;
  const double c = ctx.doubleInput(1);
  const int64_t c_q = static_cast<int64_t>(std::nearbyint(c / s));
  const int64_t shifted = z - c_q;
  Quant out{x.scale, static_cast<int32_t>(shifted)};
  if (shifted < 0) {
    out = {static_cast<float>((255.0 - double(shifted)) / 255.0 * s), 0};
  } else if (shifted > 255) {
    out = {static_cast<float>(double(shifted) / 255.0 * s), 255};
  }
  QuantScalar number;
  if (std::llabs(c_q) <= 255) {
    number.scale = x.scale;
    number.zero_point = c_q >= 0 ? 0 : 255;
    number.value = static_cast<uint8_t>(number.zero_point + c_q);
  } else {
    number.scale = static_cast<float>(std::llabs(c_q) * s);
    number.zero_point = c_q > 0 ? 0 : 1;
    number.value = c_q > 0 ? 1 : 0;
  }
  return quantizedBinaryScalar(ctx, ANEURALNETWORKS_ADD, 0, number, kFuse, out);
}

// mul_scalar(qa, b): PyTorch keeps the input's values and zero point with scale s * b for b > 0, and for b < 0 takes
// 255 - q with scale s * |b| and zero point 255 - z (ATen/native/quantized/cpu/qmul.cpp, _mul_scalar_out). NNAPI's
// MUL needs an output scale above s * (the constant's scale), so b is the constant 2 steps of |b| / 2 (value 2 with
// zero point 0, or value 0 with zero point 2): exact, and the requantizing multiplier is 1/2.
template <int32_t kFuse>
Emitter lowerMulScalar(const LoweringContext& ctx) {
  const ir::Operand& x = quint8Input(ctx, 0);
  const double b = ctx.doubleInput(1);
  ctx.require(b != 0.0, ctx.node().kind + " by 0 is not supported (PyTorch makes a constant zero tensor)");
  const Quant out{static_cast<float>(std::fabs(b) * x.scale), b > 0 ? x.zero_point : 255 - x.zero_point};
  QuantScalar number;
  number.scale = static_cast<float>(std::fabs(b) / 2);
  number.zero_point = b > 0 ? 0 : 2;
  number.value = b > 0 ? 2 : 0;
  return quantizedBinaryScalar(ctx, ANEURALNETWORKS_MUL, 0, number, kFuse, out);
}

// quantized::cat: without scale and zero point the output takes input 0's.
Emitter lowerCat(const LoweringContext& ctx) {
  const std::vector<ValueId> tensors = ctx.tensorListInput(0);
  for (ValueId t : tensors) {
    const int32_t type = ctx.tensorOf(t).type;
    ctx.require(type == ANEURALNETWORKS_TENSOR_QUANT8_ASYMM,
                "quantized::cat needs quint8 tensors (TENSOR_QUANT8_ASYMM), got " + ir::operandTypeName(type));
  }
  std::optional<Quant> quant;
  if (!ctx.isNone(2) || !ctx.isNone(3)) quant = quint8OutputQuant(ctx, 2, 3);
  return concatEmitter(ctx, tensors, ctx.intInput(1), quant);
}

// One-input op `op` on input 0 with output quantization `quant` and extra constant inputs made by `extra`.
Emitter unaryEmitter(int32_t op, Quant quant, std::optional<QuantScalar> second = std::nullopt) {
  return [op, quant, second](LoweringContext& ctx) {
    const uint32_t x = ctx.operandInput(0);
    std::vector<uint32_t> inputs = {x};
    if (second) {
      ir::Operand type;
      type.type = ANEURALNETWORKS_TENSOR_QUANT8_ASYMM;
      type.dims = {1};
      type.scale = second->scale;
      type.zero_point = second->zero_point;
      type.name = ctx.outputName() + " alpha";
      inputs.push_back(ctx.model().addConstant(type, &second->value, 1));
    }
    ctx.setOutput(0, emitKeepingLayout(ctx, op, inputs, x, quant));
  };
}

// HARD_SWISH from feature level 4 (Android 11); below, x * hardsigmoid(x): hardsigmoid in PyTorch's 1/256 steps
// (ops/activation.h), then MUL by x into the output's quantization. The gate rounds to 1/256 (half a step, relative
// 1/512) before the product, so an output can be one step further from PyTorch's than HARD_SWISH's.
Emitter lowerHardswish(const LoweringContext& ctx) {
  const ir::Operand& x = quint8Input(ctx, 0);
  requireRankAtMost4(ctx, x.dims.size());
  const Quant quant = quint8OutputQuant(ctx, 1, 2);
  if (ctx.hasOperation(ANEURALNETWORKS_HARD_SWISH, x.type)) return unaryEmitter(ANEURALNETWORKS_HARD_SWISH, quant);
  ctx.requireOperation(ANEURALNETWORKS_ADD, x.type);
  ctx.requireOperation(ANEURALNETWORKS_MUL, x.type);
  // NNAPI's quantized MUL needs its output scale above the product of its inputs' scales.
  ctx.require(double(quant.first) > double(x.scale) / 256.0,
              "quantized::hardswish below Android 11 is x * hardsigmoid(x), whose MUL needs the output scale above "
              "the input scale / 256");
  return [quant](LoweringContext& ctx) {
    const uint32_t x = ctx.operandInput(0);
    const uint32_t gate = emitQuantizedHardsigmoid(ctx, x);
    ctx.setOutput(0, emitKeepingLayout(ctx, ANEURALNETWORKS_MUL, {x, gate, ctx.i32(ANEURALNETWORKS_FUSED_NONE)}, x,
                                       quant));
  };
}

// leaky_relu -> PRELU (feature level 3) with the slope as a one-element constant broadcast over the tensor: one
// step of |slope| (value 1, zero point 0; value 0, zero point 1 for a negative slope), exact.
Emitter lowerLeakyRelu(const LoweringContext& ctx) {
  const ir::Operand& x = quint8Input(ctx, 0);
  requireRankAtMost4(ctx, x.dims.size());
  const double slope = ctx.doubleInput(1);
  ctx.requireOperation(ANEURALNETWORKS_PRELU, x.type, "quantized::leaky_relu");
  QuantScalar alpha;
  alpha.scale = slope == 0.0 ? 1.0f : static_cast<float>(std::fabs(slope));
  alpha.zero_point = slope < 0 ? 1 : 0;
  alpha.value = slope > 0 ? 1 : 0;
  return unaryEmitter(ANEURALNETWORKS_PRELU, quint8OutputQuant(ctx, 3, 4), alpha);
}

}  // namespace

void registerQuantizedElementwise(Registry& registry) {
  registry.add({"quantized::add"}, lowerBinary<ANEURALNETWORKS_ADD, ANEURALNETWORKS_FUSED_NONE>);
  registry.add({"quantized::add_relu"}, lowerBinary<ANEURALNETWORKS_ADD, ANEURALNETWORKS_FUSED_RELU>);
  registry.add({"quantized::mul"}, lowerBinary<ANEURALNETWORKS_MUL, ANEURALNETWORKS_FUSED_NONE>);
  registry.add({"quantized::mul_relu"}, lowerBinary<ANEURALNETWORKS_MUL, ANEURALNETWORKS_FUSED_RELU>);
  registry.add({"quantized::add_scalar"}, lowerAddScalar<ANEURALNETWORKS_FUSED_NONE>);
  registry.add({"quantized::add_scalar_relu"}, lowerAddScalar<ANEURALNETWORKS_FUSED_RELU>);
  registry.add({"quantized::mul_scalar"}, lowerMulScalar<ANEURALNETWORKS_FUSED_NONE>);
  registry.add({"quantized::mul_scalar_relu"}, lowerMulScalar<ANEURALNETWORKS_FUSED_RELU>);
  registry.add({"quantized::cat"}, lowerCat);
  registry.add({"quantized::hardswish"}, lowerHardswish);
  registry.add({"quantized::leaky_relu"}, lowerLeakyRelu);
}

}  // namespace nnc
