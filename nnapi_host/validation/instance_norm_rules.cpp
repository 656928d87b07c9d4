// INSTANCE_NORMALIZATION (§10, FL3): 0 input [N,H,W,C] (F32 or F16); 1 gamma, 2 beta, 3 epsilon (FLOAT32 scalars,
// FLOAT16 for a half input: one gamma and beta for every channel, not per-channel vectors); 4 NCHW layout (bool,
// mandatory). Output: the input's type and shape.
#include "nnapi/NeuralNetworks.h"
#include "validation/op_check.h"

namespace nnapi_rules::detail {
namespace {

void instanceNormRule(OpCheck& c, OpParams& params) {
  c.expectInputCount({5});
  c.expectOutputCount(1);
  const int32_t type = c.tensorType(0, "input");
  c.expectRank(0, "input", 4, 4);
  c.outputType(0, type);
  InstanceNormParams p;
  p.gamma = c.floatScalar(1, "gamma", type);
  p.beta = c.floatScalar(2, "beta", type);
  p.epsilon = c.floatScalar(3, "epsilon", type);
  p.nchw = c.boolean(4, "NCHW layout");
  c.out(0).dims = c.in(0).dims;
  params = p;
}

}  // namespace

void registerInstanceNormRules(RuleTable& table) {
  table.add(ANEURALNETWORKS_INSTANCE_NORMALIZATION, instanceNormRule);
}

}  // namespace nnapi_rules::detail
