// Broadcasting binary operations (§10): ADD, SUB, MUL, DIV with a fused activation; MAXIMUM, MINIMUM, PRELU, POW.
#include "nnapi/NeuralNetworks.h"
#include "validation/op_check.h"

namespace nnapi_rules::detail {
namespace {

// Checks input 1 against input 0 and sets output 0 to the broadcast shape with input 0's type.
void broadcastOutput(OpCheck& c, size_t maxRank) {
  c.sameType(1, "b", 0);
  c.expectRank(0, "a", 0, maxRank);
  c.expectRank(1, "b", 0, maxRank);
  c.outputType(0, c.in(0).type);
  if (c.rankKnown(0) && c.rankKnown(1)) c.out(0).dims = broadcastShapes(c, c.in(0).dims, c.in(1).dims);
}

// ADD, SUB, MUL, DIV: a, b, fuse.
void arithmetic(OpCheck& c, OpParams& params) {
  c.expectInputCount({3});
  c.expectOutputCount(1);
  const int32_t type = c.tensorType(0, "a");
  broadcastOutput(c, 4);
  FuseParams p;
  p.fuse = c.fuse(2);
  if (type == I32T && p.fuse != ANEURALNETWORKS_FUSED_NONE)
    c.failInput(2, "fused activation", "TENSOR_INT32 operands require FUSED_NONE");
  params = p;
}

void mulRule(OpCheck& c, OpParams& p) {
  arithmetic(c, p);
  // §11.3: the requantizing multiplier s_a*s_b/s_out must be < 1.
  if (isQuantized8(c.in(0).type)) {
    const double product = double(c.in(0).scale) * c.in(1).scale;
    if (!(double(c.declaredOut(0).scale) > product))
      c.failOutput(0, "quantized MUL needs output scale > input scales' product " + std::to_string(product) + ", got " +
                          std::to_string(c.declaredOut(0).scale));
  }
}

void minMaxRule(OpCheck& c, OpParams&) {
  c.expectInputCount({2});
  c.expectOutputCount(1);
  c.tensorType(0, "a");
  broadcastOutput(c, 4);
}

void preluRule(OpCheck& c, OpParams&) {
  c.expectInputCount({2});
  c.expectOutputCount(1);
  c.tensorType(0, "input");
  broadcastOutput(c, 4);
}

}  // namespace

void registerElementwiseRules(RuleTable& table) {
  table.add(ANEURALNETWORKS_ADD, arithmetic);
  table.add(ANEURALNETWORKS_SUB, arithmetic);
  table.add(ANEURALNETWORKS_MUL, mulRule);
  table.add(ANEURALNETWORKS_DIV, arithmetic);
  table.add(ANEURALNETWORKS_MAXIMUM, minMaxRule);
  table.add(ANEURALNETWORKS_MINIMUM, minMaxRule);
  table.add(ANEURALNETWORKS_PRELU, preluRule);
  table.add(ANEURALNETWORKS_POW, minMaxRule);  // base, exponent: broadcastable, one type, no activation
}

}  // namespace nnapi_rules::detail
