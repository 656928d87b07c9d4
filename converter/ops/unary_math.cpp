// Element-wise math: exp, log, sqrt, rsqrt, abs, neg -> NNAPI's EXP, LOG, SQRT, RSQRT, ABS, NEG (feature level 3);
// reciprocal -> DIV(1, x) (feature level 2); pow(x, number) -> MUL(x, x) for 2, SQRT for 0.5, RSQRT for -0.5,
// DIV(1, x) for -1, the input itself for 1, otherwise POW (feature level 3). Float32; every operation works element
// by element, so the output keeps the input's layout.
#include <string>

#include "nnapi/NeuralNetworks.h"
#include "ops/float_math.h"
#include "ops/registry.h"

namespace nnc {
namespace {

template <int32_t kOperation>
Emitter lowerUnaryMath(const LoweringContext& ctx) {
  floatMathInput(ctx, 0, {kOperation});
  return [](LoweringContext& ctx) { ctx.setOutput(0, emitUnaryOp(ctx, kOperation, ctx.operandInput(0))); };
}

Emitter reciprocalEmitter(const LoweringContext& ctx) {
  floatMathInput(ctx, 0, {ANEURALNETWORKS_DIV});
  return [](LoweringContext& ctx) {
    ctx.setOutput(0, emitNumberWith(ctx, ANEURALNETWORKS_DIV, 1.0f, ctx.operandInput(0)));
  };
}

// pow(self, exponent: Scalar). The exponents with an exact cheaper form use it (x * x rounds once, like PyTorch's
// own x^2; SQRT and RSQRT are what PyTorch computes for 0.5 and -0.5); any other goes to POW, std::pow as PyTorch.
Emitter lowerPow(const LoweringContext& ctx) {
  ctx.require(!ctx.isTensor(1) && !ctx.isConstTensor(1),
              "pow with a tensor exponent is not supported; only a number exponent is");
  const double exponent = ctx.doubleInput(1);
  if (exponent == 1.0) {
    floatMathInput(ctx, 0, {});
    return [](LoweringContext& ctx) { ctx.setOutputAlias(0, ctx.node().inputs[0]); };
  }
  if (exponent == -1.0) return reciprocalEmitter(ctx);
  if (exponent == 0.5) return lowerUnaryMath<ANEURALNETWORKS_SQRT>(ctx);
  if (exponent == -0.5) return lowerUnaryMath<ANEURALNETWORKS_RSQRT>(ctx);
  if (exponent == 2.0) {
    floatMathInput(ctx, 0, {ANEURALNETWORKS_MUL});
    return [](LoweringContext& ctx) {
      const uint32_t x = ctx.operandInput(0);
      ctx.setOutput(0, emitBinaryOp(ctx, ANEURALNETWORKS_MUL, x, x, x));
    };
  }
  floatMathInput(ctx, 0, {ANEURALNETWORKS_POW});
  return [exponent](LoweringContext& ctx) {
    ctx.setOutput(0, emitWithNumber(ctx, ANEURALNETWORKS_POW, ctx.operandInput(0), static_cast<float>(exponent)));
  };
}

}  // namespace

void registerUnaryMath(Registry& registry) {
  registry.add({"aten::exp", "aten::exp_"}, lowerUnaryMath<ANEURALNETWORKS_EXP>);
  registry.add({"aten::log", "aten::log_"}, lowerUnaryMath<ANEURALNETWORKS_LOG>);
  registry.add({"aten::sqrt", "aten::sqrt_"}, lowerUnaryMath<ANEURALNETWORKS_SQRT>);
  registry.add({"aten::rsqrt", "aten::rsqrt_"}, lowerUnaryMath<ANEURALNETWORKS_RSQRT>);
  registry.add({"aten::abs", "aten::abs_"}, lowerUnaryMath<ANEURALNETWORKS_ABS>);
  registry.add({"aten::neg", "aten::neg_"}, lowerUnaryMath<ANEURALNETWORKS_NEG>);
  registry.add({"aten::reciprocal", "aten::reciprocal_"}, reciprocalEmitter);
  registry.add({"aten::pow", "aten::pow_"}, lowerPow);
}

}  // namespace nnc
