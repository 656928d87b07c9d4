// BATCH_MATMUL (FL6): 0 lhs [..., r_x, c_x], 1 rhs [..., r_y, c_y] (the same type and rank, 2..4, and the same batch
// dimensions "...": NNAPI does not broadcast them, its reference sizes the output by the lhs); 2 adj_x, 3 adj_y
// (BOOL: transpose the last two dimensions of that side first). Output [..., r_o, c_o] of the inputs' type,
// r_o = adj_x ? c_x : r_x, c_o = adj_y ? r_y : c_y; the contracted extents (adj_x ? r_x : c_x and adj_y ? c_y : r_y)
// must agree.
#include "nnapi/NeuralNetworks.h"
#include "validation/op_check.h"

namespace nnapi_rules::detail {
namespace {

void batchMatmulRule(OpCheck& c, OpParams& params) {
  c.expectInputCount({4});
  c.expectOutputCount(1);
  const int32_t type = c.tensorType(0, "lhs");
  c.sameType(1, "rhs", 0);
  c.expectRank(0, "lhs", 2, 4);
  c.expectRank(1, "rhs", 2, 4);
  c.outputType(0, type);
  BatchMatmulParams p;
  p.adjX = c.boolean(2, "adj_x");
  p.adjY = c.boolean(3, "adj_y");
  params = p;
  if (!c.rankKnown(0) || !c.rankKnown(1)) return;
  const std::vector<uint32_t>& x = c.in(0).dims;
  const std::vector<uint32_t>& y = c.in(1).dims;
  const size_t rank = x.size();
  if (y.size() != rank)
    c.failInput(1, "rhs", "rank " + std::to_string(y.size()) + " differs from the lhs's " + std::to_string(rank));
  std::vector<uint32_t> out(rank);
  for (size_t d = 0; d + 2 < rank; ++d) {  // a 0 extent is known only at execution
    if (x[d] != 0 && y[d] != 0 && x[d] != y[d])
      c.failInput(1, "rhs", "batch dimensions of " + dimsToString(y) + " differ from the lhs's " + dimsToString(x));
    out[d] = x[d] != 0 ? x[d] : y[d];
  }
  const uint32_t xInner = p.adjX ? x[rank - 2] : x[rank - 1], yInner = p.adjY ? y[rank - 1] : y[rank - 2];
  if (xInner != 0 && yInner != 0 && xInner != yInner)
    c.failInput(1, "rhs", "shape " + dimsToString(y) + (p.adjY ? " (adjoint)" : "") + " cannot multiply the lhs " +
                              dimsToString(x) + (p.adjX ? " (adjoint)" : "") + ": contracted extents " +
                              std::to_string(xInner) + " and " + std::to_string(yInner));
  out[rank - 2] = p.adjX ? x[rank - 1] : x[rank - 2];
  out[rank - 1] = p.adjY ? y[rank - 2] : y[rank - 1];
  c.out(0).dims = out;
}

}  // namespace

void registerBatchMatmulRules(RuleTable& table) { table.add(ANEURALNETWORKS_BATCH_MATMUL, batchMatmulRule); }

}  // namespace nnapi_rules::detail
