// QUANTIZE (float -> 8-bit with the output's own q) and DEQUANTIZE (quantized -> float), §10. Same shape.
#include "nnapi/NeuralNetworks.h"
#include "validation/op_check.h"

namespace nnapi_rules::detail {
namespace {

void sameShapeOutput(OpCheck& c) {
  c.expectRank(0, "input", 0, 4);
  if (c.rankKnown(0)) c.out(0).dims = c.in(0).dims;
}

void quantizeRule(OpCheck& c, OpParams&) {
  c.expectInputCount({1});
  c.expectOutputCount(1);
  c.tensorType(0, "input");
  c.outputTensorType(0);
  sameShapeOutput(c);
}

void dequantizeRule(OpCheck& c, OpParams&) {
  c.expectInputCount({1});
  c.expectOutputCount(1);
  c.tensorType(0, "input");
  c.outputTensorType(0);
  sameShapeOutput(c);
}

}  // namespace

void registerQuantizeRules(RuleTable& table) {
  table.add(ANEURALNETWORKS_QUANTIZE, quantizeRule);
  table.add(ANEURALNETWORKS_DEQUANTIZE, dequantizeRule);
}

}  // namespace nnapi_rules::detail
