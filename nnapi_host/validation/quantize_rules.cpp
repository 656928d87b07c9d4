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
  c.tensorType(0, "input", {{F32, kFL3}, {F16, kFL3}});
  const int32_t outType = c.declaredOut(0).type;
  if (outType == Q8A)
    c.needLevel(kFL3, "a TENSOR_QUANT8_ASYMM output");
  else if (outType == Q8S)
    c.needLevel(kFL4, "a TENSOR_QUANT8_ASYMM_SIGNED output");
  else
    c.failOutput(0, "type is " + operandTypeName(outType) + ", expected TENSOR_QUANT8_ASYMM(_SIGNED)");
  sameShapeOutput(c);
}

void dequantizeRule(OpCheck& c, OpParams&) {
  c.expectInputCount({1});
  c.expectOutputCount(1);
  c.tensorType(0, "input", {{Q8A, kFL1}, {ANEURALNETWORKS_TENSOR_QUANT8_SYMM, kFL3}, {Q8PC, kFL3}, {Q8S, kFL4}});
  const int32_t outType = c.declaredOut(0).type;
  if (outType == F16)
    c.needLevel(kFL3, "a TENSOR_FLOAT16 output");
  else if (outType != F32)
    c.failOutput(0, "type is " + operandTypeName(outType) + ", expected a float tensor");
  sameShapeOutput(c);
}

}  // namespace

void registerQuantizeRules(RuleTable& table) {
  table.add(ANEURALNETWORKS_QUANTIZE, quantizeRule);
  table.add(ANEURALNETWORKS_DEQUANTIZE, dequantizeRule);
}

}  // namespace nnapi_rules::detail
