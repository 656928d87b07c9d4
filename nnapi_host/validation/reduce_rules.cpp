// MEAN (§10): input rank <= 4; axes TENSOR_INT32 in [-rank, rank) (duplicates allowed); keep_dims is an i32 here
// (the REDUCE_* operations take a bool). Output keeps the input q.
#include <algorithm>

#include "nnapi/NeuralNetworks.h"
#include "validation/op_check.h"

namespace nnapi_rules::detail {
namespace {

void meanRule(OpCheck& c, OpParams& params) {
  c.expectInputCount({3});
  c.expectOutputCount(1);
  const int32_t type = c.tensorType(0, "input");
  c.expectRank(0, "input", 1, 4);
  c.outputType(0, type);
  c.outputSameQuant(0, 0);
  const std::vector<int32_t> axes = c.i32Tensor(1, "axes");
  ReduceParams p;
  p.keepDims = c.i32(2, "keep_dims") > 0;
  if (!c.rankKnown(0)) return;
  const std::vector<uint32_t>& dims = c.in(0).dims;
  for (int32_t a : axes) p.axes.push_back(c.axis(1, "axes", a, dims.size()));
  std::sort(p.axes.begin(), p.axes.end());
  p.axes.erase(std::unique(p.axes.begin(), p.axes.end()), p.axes.end());
  std::vector<uint32_t> out;
  for (size_t k = 0; k < dims.size(); ++k) {
    const bool reduced = std::binary_search(p.axes.begin(), p.axes.end(), uint32_t(k));
    if (!reduced)
      out.push_back(dims[k]);
    else if (p.keepDims)
      out.push_back(1);
  }
  if (out.empty()) out = {1};
  c.out(0).dims = out;
  params = p;
}

}  // namespace

void registerReduceRules(RuleTable& table) { table.add(ANEURALNETWORKS_MEAN, meanRule); }

}  // namespace nnapi_rules::detail
