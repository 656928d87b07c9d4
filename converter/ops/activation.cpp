// Activations: relu, relu6, hardtanh, clamp (with tensor bounds through ops/elementwise.cpp), sigmoid, tanh,
// hardswish, hardsigmoid. All work element by element, so the output keeps whatever layout the input has (NHWC map,
// flattened map or plain tensor) and no TRANSPOSE is
// ever needed.
//
// Quantized inputs: RELU/RELU1/RELU6 keep the input's quantization, LOGISTIC/TANH produce the fixed output
// quantization that PyTorch's quantized sigmoid/tanh also use, and hardsigmoid PyTorch's fixed 1/256 steps. The
// general hardtanh/clamp (need quantized bound constants) and aten::hardswish (quantized models call
// quantized::hardswish, ops/quantized_elementwise.cpp) are float32 only.
#include <limits>
#include <optional>
#include <utility>

#include "nnapi/NeuralNetworks.h"
#include "ops/activation.h"
#include "ops/checks.h"
#include "ops/elementwise.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Input 0, a computed tensor of rank 4 at most (NNAPI's activations take no more).
const ir::Operand& activationInput(const LoweringContext& ctx) {
  const ir::Operand& x = ctx.tensor(0);
  requireRankAtMost4(ctx, x.dims.size());
  return x;
}

// The output quantization NNAPI fixes for `op` on quint8 (LOGISTIC 1/256 with zero point 0, TANH 1/128 with 128),
// which PyTorch's quantized sigmoid and tanh use too; none for the others (RELU* keep the input's).
std::optional<std::pair<float, int32_t>> fixedQuant(int32_t op, int32_t type) {
  if (type != ANEURALNETWORKS_TENSOR_QUANT8_ASYMM) return std::nullopt;
  if (op == ANEURALNETWORKS_LOGISTIC) return std::pair<float, int32_t>{1.0f / 256, 0};
  if (op == ANEURALNETWORKS_TANH) return std::pair<float, int32_t>{1.0f / 128, 128};
  return std::nullopt;
}

// Emits NNAPI's one-input `op` on input 0.
Emitter unaryEmitter(int32_t op) {
  return [op](LoweringContext& ctx) {
    const uint32_t x = ctx.operandInput(0);
    ctx.setOutput(0, emitKeepingLayout(ctx, op, {x}, x, fixedQuant(op, ctx.operand(x).type)));
  };
}

template <int32_t kOperation>
Emitter lowerUnary(const LoweringContext& ctx) {
  ctx.requireOperation(kOperation, activationInput(ctx).type);
  return unaryEmitter(kOperation);
}

// hardsigmoid(x) = relu6(x + 3) / 6 -> ADD(x, 3) with NNAPI's fused RELU6, then MUL by 1/6: operations of every
// NNAPI version (DIV only comes with feature level 2). PyTorch divides by 6; x * float(1/6) can differ from x / 6 by
// one rounding step: at most 2^-24 relative, 6e-8 absolute on outputs in [0, 1], far inside any float tolerance.
void requireHardsigmoidOperations(const LoweringContext& ctx, int32_t type) {
  ctx.requireOperation(ANEURALNETWORKS_ADD, type);
  ctx.requireOperation(ANEURALNETWORKS_MUL, type);
}

uint32_t emitHardsigmoid(LoweringContext& ctx, uint32_t x) {
  const uint32_t shifted = emitKeepingLayout(
      ctx, ANEURALNETWORKS_ADD, {x, ctx.f32Tensor({1}, {3.0f}), ctx.i32(ANEURALNETWORKS_FUSED_RELU6)}, x);
  const uint32_t one_sixth = ctx.f32Tensor({1}, {1.0f / 6.0f});
  return emitKeepingLayout(ctx, ANEURALNETWORKS_MUL, {shifted, one_sixth, ctx.i32(ANEURALNETWORKS_FUSED_NONE)}, x);
}

Emitter lowerHardsigmoid(const LoweringContext& ctx) {
  const ir::Operand& x = activationInput(ctx);
  const bool quantized = x.type == ANEURALNETWORKS_TENSOR_QUANT8_ASYMM;
  if (!quantized) requireFloat32(ctx, x);
  requireHardsigmoidOperations(ctx, x.type);
  return [quantized](LoweringContext& ctx) {
    const uint32_t x = ctx.operandInput(0);
    ctx.setOutput(0, quantized ? emitQuantizedHardsigmoid(ctx, x) : emitHardsigmoid(ctx, x));
  };
}

// hardswish(x) = x * relu6(x + 3) / 6: NNAPI's HARD_SWISH where the target has it (feature level 4); below, as
// TFLite's delegate does for older devices, x * hardsigmoid(x) = MUL(x, MUL(ADD(x, 3, fused RELU6), 1/6)).
// Rounding: PyTorch computes (x * relu6(x + 3)) / 6, the fallback x * (relu6(x + 3) * float(1/6)). float(1/6) is
// 1/6 within 2^-25 relative and each form rounds twice, so the two differ by a few units in the last place (below
// 4e-7 relative): far inside float tolerances, but not bit-exact.
Emitter lowerHardswish(const LoweringContext& ctx) {
  const ir::Operand& x = activationInput(ctx);
  requireFloat32(ctx, x);
  if (ctx.hasOperation(ANEURALNETWORKS_HARD_SWISH, x.type)) return unaryEmitter(ANEURALNETWORKS_HARD_SWISH);
  requireHardsigmoidOperations(ctx, x.type);
  return [](LoweringContext& ctx) {
    const uint32_t x = ctx.operandInput(0);
    const uint32_t gate = emitHardsigmoid(ctx, x);
    ctx.setOutput(0, emitKeepingLayout(ctx, ANEURALNETWORKS_MUL, {x, gate, ctx.i32(ANEURALNETWORKS_FUSED_NONE)}, x));
  };
}

// NNAPI's fixed clamp for bounds (low, high), or -1 when there is none.
int32_t fixedClamp(double low, double high) {
  if (low == 0.0 && high == 6.0) return ANEURALNETWORKS_RELU6;
  if (low == -1.0 && high == 1.0) return ANEURALNETWORKS_RELU1;
  if (low == 0.0 && high == kInf) return ANEURALNETWORKS_RELU;
  return -1;
}

// clamp(x, low, high), a bound of +-inf meaning "none": the one lowering behind hardtanh and clamp. NNAPI has fixed
// clamps for the common bounds (every feature level); any other bounds become MAXIMUM with `low` then MINIMUM with
// `high` (feature level 3), each against a one-element constant that broadcasts over the whole tensor. With
// low > high that yields `high` everywhere, which is what torch.clamp does.
Emitter clampEmitter(const LoweringContext& ctx, const ir::Operand& x, double low, double high) {
  const int32_t fixed = fixedClamp(low, high);
  if (fixed >= 0) {
    ctx.requireOperation(fixed, x.type);
    return unaryEmitter(fixed);
  }
  requireFloat32(ctx, x);
  const std::string use = ctx.node().kind + " with bounds other than (0,6), (-1,1), (0,inf)";
  if (low > -kInf) ctx.requireOperation(ANEURALNETWORKS_MAXIMUM, x.type, use);
  if (high < kInf) ctx.requireOperation(ANEURALNETWORKS_MINIMUM, x.type, use);
  return [low, high](LoweringContext& ctx) {
    const uint32_t x = ctx.operandInput(0);
    uint32_t y = x;
    if (low > -kInf) {
      y = emitKeepingLayout(ctx, ANEURALNETWORKS_MAXIMUM, {y, ctx.f32Tensor({1}, {static_cast<float>(low)})}, x);
    }
    if (high < kInf) {
      y = emitKeepingLayout(ctx, ANEURALNETWORKS_MINIMUM, {y, ctx.f32Tensor({1}, {static_cast<float>(high)})}, x);
    }
    ctx.setOutput(0, y);
  };
}

// hardtanh(x, min_val, max_val): PyTorch itself rejects min_val > max_val, so a model that has one is broken.
Emitter lowerHardtanh(const LoweringContext& ctx) {
  const ir::Operand& x = activationInput(ctx);
  const double low = ctx.doubleInput(1);
  const double high = ctx.doubleInput(2);
  ctx.require(low <= high, "hardtanh with min_val " + std::to_string(low) + " above max_val " +
                               std::to_string(high) + " is not supported");
  return clampEmitter(ctx, x, low, high);
}

// One bound of clamp(self, min: Scalar?, max: Scalar?): a number, or `none_value` (an infinity) for None.
double clampBound(const LoweringContext& ctx, size_t i, double none_value) {
  return ctx.isNone(i) ? none_value : ctx.doubleInput(i);
}

bool isTensorBound(const LoweringContext& ctx, size_t i) { return ctx.isTensor(i) || ctx.isConstTensor(i); }

// clamp(self, min, max): number bounds (clamp.Scalar) or tensor bounds (clamp.Tensor, MAXIMUM/MINIMUM against them
// with broadcasting, ops/elementwise.cpp).
Emitter lowerClamp(const LoweringContext& ctx) {
  if (isTensorBound(ctx, 1) || isTensorBound(ctx, 2)) {
    ctx.require(!ctx.isNone(1) || !ctx.isNone(2), ctx.node().kind + " needs at least one of min and max");
    return clampBetweenTensors(ctx, !ctx.isNone(1), !ctx.isNone(2));
  }
  const double low = clampBound(ctx, 1, -kInf);
  const double high = clampBound(ctx, 2, kInf);
  ctx.require(low > -kInf || high < kInf, ctx.node().kind + " needs at least one of min and max (PyTorch's rule)");
  return clampEmitter(ctx, activationInput(ctx), low, high);
}

}  // namespace

// A one-element TENSOR_QUANT8_ASYMM constant: `steps` steps of `scale` above zero point 0.
static uint32_t quantConstant(LoweringContext& ctx, uint8_t steps, float scale) {
  ir::Operand operand;
  operand.type = ANEURALNETWORKS_TENSOR_QUANT8_ASYMM;
  operand.dims = {1};
  operand.scale = scale;
  operand.name = ctx.outputName() + " constant";
  return ctx.model().addConstant(operand, &steps, 1);
}

// hardsigmoid on quint8 gives PyTorch's quantized output, steps of 1/256 from zero point 0. relu6(x + 3) is an ADD
// of 3 (255 steps of 3/255) with fused RELU6 into steps of 6/256 (zero point 0: [0, 6)); MUL by 1/6 (255 steps of
// 1/1530) then maps each step of the sum onto exactly one output step. The sum is rounded once and the product
// once, PyTorch rounds once from float: the results differ by one step at most.
uint32_t emitQuantizedHardsigmoid(LoweringContext& ctx, uint32_t x) {
  const std::pair<float, int32_t> sum_quant{6.0f / 256, 0}, output_quant{1.0f / 256, 0};
  const uint32_t shifted =
      emitKeepingLayout(ctx, ANEURALNETWORKS_ADD,
                        {x, quantConstant(ctx, 255, 3.0f / 255), ctx.i32(ANEURALNETWORKS_FUSED_RELU6)}, x, sum_quant);
  return emitKeepingLayout(ctx, ANEURALNETWORKS_MUL,
                           {shifted, quantConstant(ctx, 255, 1.0f / 1530), ctx.i32(ANEURALNETWORKS_FUSED_NONE)}, x,
                           output_quant);
}

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
