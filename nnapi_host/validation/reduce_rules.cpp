// MEAN and REDUCE_SUM / REDUCE_MAX / REDUCE_MIN (§10): input rank <= 4; axes TENSOR_INT32 in [-rank, rank)
// (duplicates allowed); keep_dims is an i32 for MEAN, a bool for the REDUCE_* operations. Output keeps the input q.
#include <algorithm>

#include "nnapi/NeuralNetworks.h"
#include "validation/op_check.h"

namespace nnapi_rules::detail {
namespace {

// Checks the input and axes and infers the output shape; keep_dims (input 2) read by the caller.
void reduceRule(OpCheck& c, OpParams& params, bool keepDims) {
  const int32_t type = c.tensorType(0, "input");
  c.expectRank(0, "input", 1, 4);
  c.outputType(0, type);
  c.outputSameQuant(0, 0);
  const std::vector<int32_t> axes = c.i32Tensor(1, "axes");
  ReduceParams p;
  p.keepDims = keepDims;
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

void meanRule(OpCheck& c, OpParams& params) {
  c.expectInputCount({3});
  c.expectOutputCount(1);
  reduceRule(c, params, c.i32(2, "keep_dims") > 0);
}

void reduceBoolRule(OpCheck& c, OpParams& params) {
  c.expectInputCount({3});
  c.expectOutputCount(1);
  reduceRule(c, params, c.boolean(2, "keep_dims"));
}

}  // namespace

void registerReduceRules(RuleTable& table) {
  table.add(ANEURALNETWORKS_MEAN, meanRule);
  for (int32_t op : {ANEURALNETWORKS_REDUCE_SUM, ANEURALNETWORKS_REDUCE_MAX, ANEURALNETWORKS_REDUCE_MIN})
    table.add(op, reduceBoolRule);
}

}  // namespace nnapi_rules::detail
