// gelu(x, approximate) -> element-wise NNAPI operations; NNAPI has no GELU (nor erf).
//   approximate='tanh': PyTorch's x/2 (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x^3). Since
//     (1 + tanh(u))/2 = sigmoid(2u), it is x * sigmoid(x (c1 + c3 x^2)) with c1 = 2 sqrt(2/pi), c3 = 0.044715 c1:
//     MUL(x,x), MUL(c3), ADD(c1), MUL(x), LOGISTIC, MUL(x): 6 operations, no separate halving. The two forms agree to
//     a few float32 roundings (where tanh(u) rounds to -1, PyTorch's result is 0 and ours x * a tiny sigmoid).
//   approximate='none': erf from Abramowitz & Stegun 7.1.26 (ops/gelu_erf.h), 19 operations, within 3.3e-7 of the
//     exact gelu.
// Every operation works element by element, so the output keeps the input's layout. ABS and EXP need feature
// level 3.
#include <cmath>
#include <string>

#include "nnapi/NeuralNetworks.h"
#include "ops/float_math.h"
#include "ops/gelu_erf.h"
#include "ops/registry.h"

namespace nnc {
namespace {

// The recipe's arithmetic as NNAPI operations on operands of the open partition.
struct EmitOperations {
  using Value = uint32_t;
  LoweringContext& ctx;
  Value abs(Value x) { return emitUnaryOp(ctx, ANEURALNETWORKS_ABS, x); }
  Value relu(Value x) { return emitUnaryOp(ctx, ANEURALNETWORKS_RELU, x); }
  Value exp(Value x) { return emitUnaryOp(ctx, ANEURALNETWORKS_EXP, x); }
  Value add(Value a, Value b) { return emitBinaryOp(ctx, ANEURALNETWORKS_ADD, a, b, a); }
  Value sub(Value a, Value b) { return emitBinaryOp(ctx, ANEURALNETWORKS_SUB, a, b, a); }
  Value mul(Value a, Value b) { return emitBinaryOp(ctx, ANEURALNETWORKS_MUL, a, b, a); }
  Value addNumber(Value x, float c) { return emitWithNumber(ctx, ANEURALNETWORKS_ADD, x, c); }
  Value mulNumber(Value x, float c) { return emitWithNumber(ctx, ANEURALNETWORKS_MUL, x, c); }
  Value numberDiv(float c, Value x) { return emitNumberWith(ctx, ANEURALNETWORKS_DIV, c, x); }
};

// gelu's `approximate` argument, a string constant ("none" when the graph has none: older PyTorch).
std::string approximation(const LoweringContext& ctx) {
  if (ctx.inputCount() < 2) return "none";
  const Value& value = ctx.input(1);
  const auto* text = value.kind == Value::Kind::Constant ? std::get_if<std::string>(&value.constant) : nullptr;
  ctx.require(text != nullptr, "gelu's `approximate` must be a string known at convert time");
  return *text;
}

Emitter lowerGelu(const LoweringContext& ctx) {
  const std::string approximate = approximation(ctx);
  if (approximate == "tanh") {
    floatMathInput(ctx, 0, {ANEURALNETWORKS_MUL, ANEURALNETWORKS_ADD, ANEURALNETWORKS_LOGISTIC});
    return [](LoweringContext& ctx) {
      const double c1 = 2.0 * std::sqrt(2.0 / M_PI), c3 = 0.044715 * c1;
      const uint32_t x = ctx.operandInput(0);
      const uint32_t square = emitBinaryOp(ctx, ANEURALNETWORKS_MUL, x, x, x);
      const uint32_t slope = emitWithNumber(ctx, ANEURALNETWORKS_ADD,
                                            emitWithNumber(ctx, ANEURALNETWORKS_MUL, square, float(c3)), float(c1));
      const uint32_t gate = emitUnaryOp(ctx, ANEURALNETWORKS_LOGISTIC, emitBinaryOp(ctx, ANEURALNETWORKS_MUL, slope, x, x));
      ctx.setOutput(0, emitBinaryOp(ctx, ANEURALNETWORKS_MUL, x, gate, x));
    };
  }
  ctx.require(approximate == "none", "gelu with approximate='" + approximate + "' is not supported ('none' and "
                                     "'tanh' are PyTorch's)");
  floatMathInput(ctx, 0, {ANEURALNETWORKS_ABS, ANEURALNETWORKS_ADD, ANEURALNETWORKS_DIV, ANEURALNETWORKS_MUL,
                          ANEURALNETWORKS_EXP, ANEURALNETWORKS_RELU, ANEURALNETWORKS_SUB});
  return [](LoweringContext& ctx) {
    EmitOperations f{ctx};
    ctx.setOutput(0, gelu_erf::gelu(f, ctx.operandInput(0)));
  };
}

}  // namespace

void registerGelu(Registry& registry) { registry.add({"aten::gelu", "aten::gelu_"}, lowerGelu); }

}  // namespace nnc
