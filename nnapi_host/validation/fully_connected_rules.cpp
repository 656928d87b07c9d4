// FULLY_CONNECTED (§10): input rank 2..4 viewed as [batch, input_size]; weights [units, input_size]; bias [units].
#include "nnapi/NeuralNetworks.h"
#include "validation/op_check.h"

namespace nnapi_rules::detail {
namespace {

void fullyConnectedRule(OpCheck& c, OpParams& params) {
  c.expectInputCount({4});
  c.expectOutputCount(1);
  const int32_t type = c.tensorType(0, "input");
  c.expectRank(0, "input", 2, 4);
  c.sameType(1, "weights", 0);  // no per-channel form
  c.expectRank(1, "weights", 2, 2);
  c.outputType(0, type);
  const OperandDesc& weights = c.in(1);
  const uint32_t units = c.rankKnown(1) ? weights.dims[0] : 0;
  const uint32_t inputSize = c.rankKnown(1) ? weights.dims[1] : 0;
  checkBias(c, 2, 0, 1, units);
  FuseParams p;
  p.fuse = c.fuse(3);

  if (c.rankKnown(0)) {
    uint64_t elements = 1;
    for (uint32_t d : c.in(0).dims) elements *= d;
    uint32_t batch = 0;
    if (elements != 0 && inputSize != 0) {
      if (elements % inputSize != 0)
        c.failInput(0, "input",
                    "shape " + dimsToString(c.in(0).dims) + " has " + std::to_string(elements) +
                        " elements, not a multiple of the weights' input_size " + std::to_string(inputSize));
      batch = uint32_t(elements / inputSize);
    }
    c.out(0).dims = {batch, units};
  }
  if (type == Q8A && !(double(c.declaredOut(0).scale) > double(c.in(0).scale) * weights.scale))
    c.needFeature(Feature::QuantOutputScaleBelowProduct);
  params = p;
}

}  // namespace

void registerFullyConnectedRules(RuleTable& table) { table.add(ANEURALNETWORKS_FULLY_CONNECTED, fullyConnectedRule); }

}  // namespace nnapi_rules::detail
