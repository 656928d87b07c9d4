// Smooth activations composed of NNAPI's element-wise operations (NNAPI has none of them as one operation):
//   silu(x) = x * sigmoid(x)                       LOGISTIC, MUL                              feature level 1
//   softplus(x, beta, threshold) = log(1 + e^(beta x)) / beta, as relu(x) + log(1 + e^(-|beta x|)) / beta, which
//     cannot overflow: (MUL beta), ABS, NEG, EXP, ADD 1, LOG, (MUL 1/beta), RELU, ADD     feature level 3
//   mish(x) = x * tanh(softplus(x)): softplus, TANH, MUL                                    feature level 3
//   elu(x, alpha) = x for x > 0, alpha (e^x - 1) below: ELU (feature level 4); below it
//     relu(x) + (alpha e^min(x, 0) - alpha): MINIMUM, EXP, MUL, ADD, RELU, ADD              feature level 3
// Every operation works element by element, so the output keeps the input's layout (no TRANSPOSE).
#include <cmath>
#include <string>

#include "nnapi/NeuralNetworks.h"
#include "ops/float_math.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {
namespace {

Emitter lowerSilu(const LoweringContext& ctx) {
  floatMathInput(ctx, 0, {ANEURALNETWORKS_LOGISTIC, ANEURALNETWORKS_MUL});
  return [](LoweringContext& ctx) {
    const uint32_t x = ctx.operandInput(0);
    ctx.setOutput(0, emitBinaryOp(ctx, ANEURALNETWORKS_MUL, x, emitUnaryOp(ctx, ANEURALNETWORKS_LOGISTIC, x), x));
  };
}

// softplus with beta (1 for mish) on operand x.
uint32_t emitSoftplus(LoweringContext& ctx, uint32_t x, float beta) {
  const uint32_t scaled = beta == 1.0f ? x : emitWithNumber(ctx, ANEURALNETWORKS_MUL, x, beta);
  const uint32_t magnitude = emitUnaryOp(ctx, ANEURALNETWORKS_ABS, scaled);
  const uint32_t decay = emitUnaryOp(ctx, ANEURALNETWORKS_EXP, emitUnaryOp(ctx, ANEURALNETWORKS_NEG, magnitude));
  uint32_t tail = emitUnaryOp(ctx, ANEURALNETWORKS_LOG, emitWithNumber(ctx, ANEURALNETWORKS_ADD, decay, 1.0f));
  if (beta != 1.0f) tail = emitWithNumber(ctx, ANEURALNETWORKS_MUL, tail, 1.0f / beta);
  const uint32_t positive = emitUnaryOp(ctx, ANEURALNETWORKS_RELU, x);
  return emitBinaryOp(ctx, ANEURALNETWORKS_ADD, positive, tail, x);
}

constexpr std::initializer_list<int32_t> kSoftplusOperations = {
    ANEURALNETWORKS_MUL, ANEURALNETWORKS_ABS, ANEURALNETWORKS_NEG, ANEURALNETWORKS_EXP,
    ANEURALNETWORKS_ADD, ANEURALNETWORKS_LOG, ANEURALNETWORKS_RELU};

// softplus(self, beta=1, threshold=20). PyTorch returns x itself where beta x > threshold; the form above returns
// x + log(1 + e^(-beta x)) / beta there, which differs by less than e^(-threshold) / beta. Without a SELECT this is
// only done where that is below 1e-7 (PyTorch's default threshold 20: 2e-9).
Emitter lowerSoftplus(const LoweringContext& ctx) {
  floatMathInput(ctx, 0, kSoftplusOperations);
  const double beta = ctx.doubleInput(1), threshold = ctx.doubleInput(2);
  ctx.require(beta > 0, "softplus with beta " + std::to_string(beta) + " <= 0 is not supported");
  ctx.require(std::exp(-threshold) / beta <= 1e-7,
              "softplus with threshold " + std::to_string(threshold) + " and beta " + std::to_string(beta) +
                  " is not supported: its linear region above the threshold differs from log(1 + e^(beta x)) / beta "
                  "by more than 1e-7 and would need SELECT");
  return [beta](LoweringContext& ctx) {
    ctx.setOutput(0, emitSoftplus(ctx, ctx.operandInput(0), static_cast<float>(beta)));
  };
}

// mish(x) = x * tanh(softplus(x)); PyTorch's own computes softplus without a threshold.
Emitter lowerMish(const LoweringContext& ctx) {
  floatMathInput(ctx, 0, kSoftplusOperations);
  floatMathInput(ctx, 0, {ANEURALNETWORKS_TANH});
  return [](LoweringContext& ctx) {
    const uint32_t x = ctx.operandInput(0);
    const uint32_t gate = emitUnaryOp(ctx, ANEURALNETWORKS_TANH, emitSoftplus(ctx, x, 1.0f));
    ctx.setOutput(0, emitBinaryOp(ctx, ANEURALNETWORKS_MUL, x, gate, x));
  };
}

// elu(self, alpha=1, scale=1, input_scale=1): scale * (x > 0 ? x : alpha (e^(input_scale x) - 1)). Only
// scale = input_scale = 1 (nn.ELU; selu and celu use the others).
Emitter lowerElu(const LoweringContext& ctx) {
  const ir::Operand& x = floatMathInput(ctx, 0, {});
  const double alpha = ctx.doubleInput(1);
  ctx.require(ctx.doubleInput(2) == 1.0 && ctx.doubleInput(3) == 1.0,
              "elu with scale or input_scale other than 1 (selu, celu) is not supported");
  if (ctx.hasOperation(ANEURALNETWORKS_ELU, x.type)) {
    return [alpha](LoweringContext& ctx) {
      const uint32_t in = ctx.operandInput(0);
      ctx.setOutput(0, emitKeepingLayout(ctx, ANEURALNETWORKS_ELU, {in, ctx.f32(static_cast<float>(alpha))}, in));
    };
  }
  floatMathInput(ctx, 0, {ANEURALNETWORKS_MINIMUM, ANEURALNETWORKS_EXP, ANEURALNETWORKS_MUL, ANEURALNETWORKS_RELU,
                          ANEURALNETWORKS_ADD});
  return [alpha](LoweringContext& ctx) {
    const float a = static_cast<float>(alpha);
    const uint32_t in = ctx.operandInput(0);
    const uint32_t decay = emitUnaryOp(ctx, ANEURALNETWORKS_EXP, emitWithNumber(ctx, ANEURALNETWORKS_MINIMUM, in, 0.0f));
    // alpha e - alpha first: exactly 0 for x >= 0 (e = 1), so the positive side is x itself, as in PyTorch.
    const uint32_t negative =
        emitWithNumber(ctx, ANEURALNETWORKS_ADD, emitWithNumber(ctx, ANEURALNETWORKS_MUL, decay, a), -a);
    const uint32_t positive = emitUnaryOp(ctx, ANEURALNETWORKS_RELU, in);
    ctx.setOutput(0, emitBinaryOp(ctx, ANEURALNETWORKS_ADD, positive, negative, in));
  };
}

}  // namespace

void registerSmoothActivation(Registry& registry) {
  registry.add({"aten::silu", "aten::silu_"}, lowerSilu);
  registry.add({"aten::softplus"}, lowerSoftplus);
  registry.add({"aten::mish", "aten::mish_"}, lowerMish);
  registry.add({"aten::elu", "aten::elu_"}, lowerElu);
}

}  // namespace nnc
