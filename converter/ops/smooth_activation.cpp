// Smooth activations composed of NNAPI's element-wise operations (NNAPI has none of them as one operation):
//   silu(x) = x * sigmoid(x)                       LOGISTIC, MUL                              feature level 1
// Every operation works element by element, so the output keeps the input's layout (no TRANSPOSE).
#include "nnapi/NeuralNetworks.h"
#include "ops/float_math.h"
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

}  // namespace

void registerSmoothActivation(Registry& registry) { registry.add({"aten::silu", "aten::silu_"}, lowerSilu); }

}  // namespace nnc
