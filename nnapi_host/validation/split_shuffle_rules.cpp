// SPLIT and CHANNEL_SHUFFLE (§10, feature level 3): element moves along one axis. Outputs keep the input's q.
#include "nnapi/NeuralNetworks.h"
#include "validation/op_check.h"

namespace nnapi_rules::detail {
namespace {

// Input 0 of one of the operation's types and rank 1..4, and its axis (input `axisInput`, in [-rank, rank)) made
// non-negative; 0 when the rank is not known yet.
uint32_t tensorAndAxis(OpCheck& c, size_t axisInput) {
  c.tensorType(0, "input");
  c.expectRank(0, "input", 1, 4);
  const int32_t axis = c.i32(axisInput, "axis");
  return c.rankKnown(0) ? c.axis(axisInput, "axis", axis, c.in(0).dims.size()) : 0;
}

// Output o has input 0's type, q and shape, except `axisExtent` along `axis` (when the rank is known).
void likeInput(OpCheck& c, size_t o, uint32_t axis, uint32_t axisExtent) {
  c.outputType(o, c.in(0).type);
  c.outputSameQuant(o, 0);
  if (!c.rankKnown(0)) return;
  std::vector<uint32_t> dims = c.in(0).dims;
  dims[axis] = axisExtent;
  c.out(o).dims = dims;
}

// Inputs: 0 tensor, 1 axis, 2 num_splits (> 0, dividing the axis' extent). Outputs: num_splits equal pieces.
void splitRule(OpCheck& c, OpParams& params) {
  c.expectInputCount({3});
  const uint32_t axis = tensorAndAxis(c, 1);
  const int32_t count = c.i32(2, "num_splits");
  if (count < 1) c.failInput(2, "num_splits", "is " + std::to_string(count) + ", must be at least 1");
  c.expectOutputCount(size_t(count));
  const uint32_t extent = c.rankKnown(0) ? c.in(0).dims[axis] : 0;
  if (extent % uint32_t(count) != 0)
    c.failInput(2, "num_splits",
                "is " + std::to_string(count) + ", which does not divide the extent " + std::to_string(extent) +
                    " of axis " + std::to_string(axis));
  for (size_t o = 0; o < size_t(count); ++o) likeInput(c, o, axis, extent / uint32_t(count));
  params = SplitParams{axis};
}

// Inputs: 0 tensor, 1 num_groups (> 0, dividing the axis' extent), 2 axis. Output: input 0's shape.
void channelShuffleRule(OpCheck& c, OpParams& params) {
  c.expectInputCount({3});
  c.expectOutputCount(1);
  const uint32_t axis = tensorAndAxis(c, 2);
  const int32_t groups = c.i32(1, "num_groups");
  if (groups < 1) c.failInput(1, "num_groups", "is " + std::to_string(groups) + ", must be at least 1");
  const uint32_t extent = c.rankKnown(0) ? c.in(0).dims[axis] : 0;
  if (extent % uint32_t(groups) != 0)
    c.failInput(1, "num_groups",
                "is " + std::to_string(groups) + ", which does not divide the extent " + std::to_string(extent) +
                    " of axis " + std::to_string(axis));
  likeInput(c, 0, axis, extent);
  params = ChannelShuffleParams{uint32_t(groups), axis};
}

}  // namespace

void registerSplitShuffleRules(RuleTable& table) {
  table.add(ANEURALNETWORKS_SPLIT, splitRule);
  table.add(ANEURALNETWORKS_CHANNEL_SHUFFLE, channelShuffleRule);
}

}  // namespace nnapi_rules::detail
