// GATHER (51) and TILE (89), feature level 3: element moves whose outputs keep the input q.
//
// GATHER's indices may be a model input: their values are only checked (each in [0, extent of the axis)) when
// the operation runs, as NNAPI's reference does. TILE's multiples must be a constant here, since they fix the
// output's shape (phone drivers need it known when the model is compiled).
#include <cstdint>
#include <limits>

#include "nnapi/NeuralNetworks.h"
#include "validation/op_check.h"

namespace nnapi_rules::detail {
namespace {

// What both rules open with: `inputs` inputs, and one output of input 0's type and quantization.
void movesInput0(OpCheck& c, size_t inputs) {
  c.expectInputCount({inputs});
  c.expectOutputCount(1);
  c.outputType(0, c.tensorType(0, "input"));
  c.outputSameQuant(0, 0);
}

void gatherRule(OpCheck& c, OpParams& params) {
  movesInput0(c, 3);
  if (c.in(2).type != ANEURALNETWORKS_TENSOR_INT32)
    c.failInput(2, "indices", "type is " + operandTypeName(c.in(2).type) + ", expected TENSOR_INT32");
  const int32_t axisValue = c.i32(1, "axis");
  if (!c.rankKnown(0) || !c.rankKnown(2)) return;
  const std::vector<uint32_t>& dims = c.in(0).dims;
  const uint32_t axis = c.axis(1, "axis", axisValue, dims.size());
  // Output: the input's dims before the axis, the indices' dims, the input's dims after the axis.
  std::vector<uint32_t> out(dims.begin(), dims.begin() + axis);
  const std::vector<uint32_t>& indexDims = c.in(2).dims;
  out.insert(out.end(), indexDims.begin(), indexDims.end());
  out.insert(out.end(), dims.begin() + axis + 1, dims.end());
  c.out(0).dims = out;
  params = GatherParams{axis};
}

void tileRule(OpCheck& c, OpParams& params) {
  movesInput0(c, 2);
  const std::vector<int32_t> multiples = c.i32Tensor(1, "multiples");
  if (!c.rankKnown(0)) return;
  const std::vector<uint32_t>& dims = c.in(0).dims;
  if (multiples.size() != dims.size())
    c.failInput(1, "multiples",
                "holds " + std::to_string(multiples.size()) + " values, the input has rank " +
                    std::to_string(dims.size()));
  TileParams p;
  std::vector<uint32_t> out;
  for (size_t k = 0; k < dims.size(); ++k) {
    if (multiples[k] < 1)
      c.failInput(1, "multiples", "axis " + std::to_string(k) + " has multiple " + std::to_string(multiples[k]) +
                                      ", expected at least 1");
    // In 64 bits: a product past uint32 would wrap to a small extent, and the output buffer would be too short.
    const uint64_t extent = uint64_t(dims[k]) * uint64_t(multiples[k]);  // an unknown extent (0) stays unknown
    if (extent > std::numeric_limits<uint32_t>::max())
      c.failInput(1, "multiples", "axis " + std::to_string(k) + " of extent " + std::to_string(dims[k]) +
                                      " times multiple " + std::to_string(multiples[k]) + " overflows uint32");
    p.multiples.push_back(uint32_t(multiples[k]));
    out.push_back(uint32_t(extent));
  }
  c.out(0).dims = out;
  params = p;
}

}  // namespace

void registerGatherTileRules(RuleTable& table) {
  table.add(ANEURALNETWORKS_GATHER, gatherRule);
  table.add(ANEURALNETWORKS_TILE, tileRule);
}

}  // namespace nnapi_rules::detail
