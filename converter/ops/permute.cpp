// permute(self, dims), transpose(self, dim0, dim1), t(self): PyTorch's views that reorder dimensions.
//
// The converter tracks where each logical dimension lives physically (ir::Layout), so a permute is first a question
// of bookkeeping: a channels-last map (PyTorch [N,C,H,W] stored [N,H,W,C]) permuted by (0,2,3,1) is the contiguous
// [N,H,W,C] tensor of the very same bytes, and a contiguous 4-D tensor permuted by (0,3,1,2) is a channels-last map
// of them (likewise a [N,C,L] map stored [N,L,C] and transposed on dims 1 and 2). Such a permute costs no NNAPI
// operation: its output is the input operand seen with the other layout (ir::Model::addLayoutAlias). Any other permutation is one TRANSPOSE (feature level 2) from the physical order,
// whose output keeps the input's layout family (a 4-D result of a map stays a map, so convolutions after it need no
// TRANSPOSE of their own).
//
// NNAPI's TRANSPOSE takes `perm` with out.dim[i] = in.dim[perm[i]], PyTorch's permute the same convention over
// logical dimensions; the two differ only through the layouts, which physicalPerm translates.
#include <numeric>

#include "nnapi/NeuralNetworks.h"
#include "ops/checks.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {
namespace {

using Perm = std::vector<int32_t>;

// Logical dimension held by physical axis `axis` of a tensor stored in `layout` (Contiguous, ChannelsLast or
// ChannelsLast1d): the inverse of physicalAxis.
int64_t logicalDimAt(ir::Layout layout, size_t axis) {
  static constexpr int64_t kNhwcToNchwDim[4] = {0, 2, 3, 1};
  static constexpr int64_t kNlcToNclDim[3] = {0, 2, 1};
  if (layout == ir::Layout::ChannelsLast) return kNhwcToNchwDim[axis];
  if (layout == ir::Layout::ChannelsLast1d) return kNlcToNclDim[axis];
  return static_cast<int64_t>(axis);
}

// The TRANSPOSE permutation that takes the input's physical order (`from`) to an output stored in `to`, for the
// logical permutation `dims` (output dimension i is input dimension dims[i]).
Perm physicalPerm(ir::Layout from, ir::Layout to, const std::vector<int64_t>& dims) {
  Perm perm;
  for (size_t axis = 0; axis < dims.size(); ++axis) perm.push_back(physicalAxis(from, dims[logicalDimAt(to, axis)]));
  return perm;
}

// The permutation of `rank` dimensions that swaps a and b (a == b: none).
std::vector<int64_t> swapping(size_t rank, size_t a, size_t b) {
  std::vector<int64_t> dims(rank);
  std::iota(dims.begin(), dims.end(), 0);
  if (a != b) std::swap(dims[a], dims[b]);
  return dims;
}

bool isIdentity(const Perm& perm) {
  for (size_t i = 0; i < perm.size(); ++i) {
    if (perm[i] != static_cast<int32_t>(i)) return false;
  }
  return true;
}

// The permutation `dims` of input 0: one alias, one TRANSPOSE or nothing at all.
Emitter permuteEmitter(const LoweringContext& ctx, const std::vector<int64_t>& dims) {
  const ir::Operand& x = ctx.tensor(0);
  requireRankAtMost4(ctx, x.dims.size());
  if (dims == swapping(dims.size(), 0, 0)) {
    return [](LoweringContext& ctx) { ctx.setOutputAlias(0, ctx.node().inputs[0]); };
  }

  // A flattened map is put back into PyTorch's feature order first: its (H,W,C) order is no dimension of its own.
  const ir::Layout from = x.layout == ir::Layout::ChannelsLastFlattened ? ir::Layout::Contiguous : x.layout;
  if (from != x.layout) ctx.requireLayout(0, from);
  // Free: the output is the same bytes in the other layout. Only for an operand an operation of this partition
  // computes: a partition input seen in another layout could end up as the partition's output too, which NNAPI
  // does not allow.
  const ir::Layout map_layout = channelsLastOfRank(dims.size());
  if (isChannelsLast(map_layout) && x.layout == from && ctx.computedHere(0)) {
    for (ir::Layout to : {ir::Layout::Contiguous, map_layout}) {
      if (!isIdentity(physicalPerm(from, to, dims))) continue;
      return [to](LoweringContext& ctx) {
        const uint32_t x = ctx.operandInput(0);
        ctx.setOutput(0, ctx.model().addLayoutAlias(x, to, ctx.outputName()));
      };
    }
  }
  ctx.requireOperation(ANEURALNETWORKS_TRANSPOSE, x.type);
  const ir::Layout to = from;
  const Perm perm = physicalPerm(from, to, dims);
  return [from, to, perm](LoweringContext& ctx) {
    const uint32_t x = ctx.operandInput(0, from);
    ctx.setOutput(0, ctx.emit(ANEURALNETWORKS_TRANSPOSE, {x, ctx.i32Tensor(perm)}, outputIn(to)));
  };
}

// permute(self, dims): dims may be negative.
Emitter lowerPermute(const LoweringContext& ctx) {
  const size_t rank = ctx.inputShape(0).size();
  std::vector<int64_t> dims = ctx.intListInput(1);
  ctx.require(dims.size() == rank, "permute's dims has " + std::to_string(dims.size()) +
                                       " entries for a tensor of rank " + std::to_string(rank));
  std::vector<bool> seen(rank, false);
  for (int64_t& dim : dims) {
    dim = normalizeDim(dim, rank);
    ctx.require(!seen[dim], "permute's dims repeats dimension " + std::to_string(dim));
    seen[dim] = true;
  }
  return permuteEmitter(ctx, dims);
}

// transpose(self, dim0, dim1)
Emitter lowerTranspose(const LoweringContext& ctx) {
  const size_t rank = ctx.inputShape(0).size();
  return permuteEmitter(ctx, swapping(rank, normalizeDim(ctx.intInput(1), rank), normalizeDim(ctx.intInput(2), rank)));
}

// t(self): transposes a 2-D tensor, leaves 0-D and 1-D ones as they are (PyTorch's rule; it rejects rank > 2).
Emitter lowerT(const LoweringContext& ctx) {
  const size_t rank = ctx.inputShape(0).size();
  ctx.require(rank <= 2, "t() of a tensor of rank " + std::to_string(rank) + " (PyTorch takes rank 2 at most)");
  return permuteEmitter(ctx, rank == 2 ? swapping(2, 0, 1) : swapping(rank, 0, 0));
}

}  // namespace

void registerPermute(Registry& registry) {
  registry.add({"aten::permute"}, lowerPermute);
  registry.add({"aten::transpose"}, lowerTranspose);
  registry.add({"aten::t"}, lowerT);
}

}  // namespace nnc
