// Shape-preserving activations (§10): RELU, RELU1, RELU6, LOGISTIC, TANH, HARD_SWISH, SOFTMAX, LOG_SOFTMAX, ELU; and
// the element-wise unary math operations ABS, EXP, LOG, NEG, RSQRT, SIN, SQRT.
#include <limits>

#include "nnapi/NeuralNetworks.h"
#include "validation/op_check.h"

namespace nnapi_rules::detail {
namespace {

// One tensor input of rank <= maxRank; output has its type and shape.
int32_t unaryTensor(OpCheck& c, size_t inputCount, size_t maxRank = 4) {
  c.expectInputCount({inputCount});
  c.expectOutputCount(1);
  const int32_t type = c.tensorType(0, "input");
  c.expectRank(0, "input", 0, maxRank);
  c.outputType(0, type);
  if (c.rankKnown(0)) c.out(0).dims = c.in(0).dims;
  return type;
}

void reluRule(OpCheck& c, OpParams&) {
  unaryTensor(c, 1);
  c.outputSameQuant(0, 0);
}

// LOGISTIC and SOFTMAX produce [0,1): fixed output q 1/256 (§12.3).
void probabilityQuant(OpCheck& c, int32_t type) {
  if (type == Q8A) c.fixedOutputQuant(0, 1.0f / 256, 0);
  if (type == Q8S) c.fixedOutputQuant(0, 1.0f / 256, -128);
}

void logisticRule(OpCheck& c, OpParams&) {
  probabilityQuant(c, unaryTensor(c, 1));
}

void tanhRule(OpCheck& c, OpParams&) {
  const int32_t type = unaryTensor(c, 1);
  if (type == Q8A) c.fixedOutputQuant(0, 1.0f / 128, 128);
  if (type == Q8S) c.fixedOutputQuant(0, 1.0f / 128, 0);
}

void hardSwishRule(OpCheck& c, OpParams&) { unaryTensor(c, 1); }

// ABS, EXP, LOG, NEG, RSQRT, SIN, SQRT: NeuralNetworks.h gives them "Supported tensor rank: from 1", no maximum
// (unlike the activations above); the types come from the feature-level table.
void unaryMathRule(OpCheck& c, OpParams&) { unaryTensor(c, 1, std::numeric_limits<size_t>::max()); }

// ELU: input 0 any rank from 1, input 1 alpha (FLOAT32, FLOAT16 for a TENSOR_FLOAT16 input); the executor reads alpha
// from its operand.
void eluRule(OpCheck& c, OpParams&) {
  const int32_t type = unaryTensor(c, 2, std::numeric_limits<size_t>::max());
  c.floatScalar(1, "alpha", type);
}

// Inputs 1 beta, 2 axis (optional for SOFTMAX from FL3, mandatory for LOG_SOFTMAX).
SoftmaxParams softmaxParams(OpCheck& c, int32_t type) {
  SoftmaxParams p;
  p.beta = c.floatScalar(1, "beta", type);
  if (!(p.beta > 0)) c.failInput(1, "beta", "must be > 0, got " + std::to_string(p.beta));
  const size_t rank = c.in(0).dims.size();
  int32_t axis = -1;
  if (c.inputCount() == 3) axis = c.i32(2, "axis");
  if (rank > 0) p.axis = c.axis(2 < c.inputCount() ? 2 : 0, "axis", axis, rank);
  return p;
}

void softmaxRule(OpCheck& c, OpParams& params) {
  c.expectInputCount({2, 3});
  c.expectOutputCount(1);
  const int32_t type = c.tensorType(0, "input");
  c.expectRank(0, "input", 1, 4);
  const size_t rank = c.in(0).dims.size();
  if (rank != 0 && rank != 2 && rank != 4) c.needFeature(Feature::SoftmaxAnyRank);
  if (c.inputCount() == 3) c.needFeature(Feature::SoftmaxAxis);
  c.outputType(0, type);
  if (rank) c.out(0).dims = c.in(0).dims;
  probabilityQuant(c, type);
  params = softmaxParams(c, type);
}

// Unlike SOFTMAX and the other activations, LOG_SOFTMAX takes a tensor of any rank (AOSP: "from 1").
void logSoftmaxRule(OpCheck& c, OpParams& params) {
  const int32_t type = unaryTensor(c, 3, std::numeric_limits<size_t>::max());
  params = softmaxParams(c, type);
}

}  // namespace

void registerActivationRules(RuleTable& table) {
  table.add(ANEURALNETWORKS_RELU, reluRule);
  table.add(ANEURALNETWORKS_RELU1, reluRule);
  table.add(ANEURALNETWORKS_RELU6, reluRule);
  table.add(ANEURALNETWORKS_LOGISTIC, logisticRule);
  table.add(ANEURALNETWORKS_TANH, tanhRule);
  table.add(ANEURALNETWORKS_HARD_SWISH, hardSwishRule);
  table.add(ANEURALNETWORKS_SOFTMAX, softmaxRule);
  table.add(ANEURALNETWORKS_LOG_SOFTMAX, logSoftmaxRule);
  for (int32_t op : {ANEURALNETWORKS_ABS, ANEURALNETWORKS_EXP, ANEURALNETWORKS_LOG, ANEURALNETWORKS_NEG,
                     ANEURALNETWORKS_RSQRT, ANEURALNETWORKS_SIN, ANEURALNETWORKS_SQRT})
    table.add(op, unaryMathRule);
  table.add(ANEURALNETWORKS_ELU, eluRule);
}

}  // namespace nnapi_rules::detail
