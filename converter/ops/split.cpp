// chunk, split, split_with_sizes, unbind (and their unsafe_ twins): a tensor cut into pieces along one dimension.
//
// TorchScript returns the pieces as a list that prim::ListUnpack takes apart; the frontend lowers the pair as one
// node whose outputs are the pieces (import_graph.cpp, unpackOfTensorList). A list used as a whole (cat(x.chunk(2)))
// stays on the CPU.
//
// Pieces keep the input's layout and are cut along the physical axis of the dimension, so chunking a channels-last
// map along C (ShuffleNetV2) is SPLIT along its last axis: one operation for all pieces, where they are equal and
// the target has SPLIT (feature level 3). Otherwise one STRIDED_SLICE per piece (feature level 2). unbind drops the
// dimension with STRIDED_SLICE's shrink_axis_mask, so its pieces are as PyTorch orders them (contiguous).
#include <algorithm>

#include "nnapi/NeuralNetworks.h"
#include "ops/checks.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {
namespace {

// Input 0 cut along `dim_input` into pieces of `sizes`; `drop_dim` (unbind) removes the dimension from each piece.
Emitter splitEmitter(const LoweringContext& ctx, int64_t dim_input, const std::vector<int64_t>& sizes, bool drop_dim) {
  const ir::Operand& x = ctx.tensor(0);
  const std::vector<int64_t> shape = ctx.inputShape(0);
  requireRankAtMost4(ctx, shape.size());
  const int64_t dim = normalizeDim(dim_input, shape.size());
  ctx.require(!drop_dim || shape.size() > 1, "unbind of a 1-D tensor makes 0-d tensors, which NNAPI does not have");
  const bool equal = std::all_of(sizes.begin(), sizes.end(), [&](int64_t s) { return s == sizes[0]; });
  ir::Layout layout = x.layout;
  // A flattened map's (H,W,C) order is no dimension to cut along; a map without one of its dimensions is no map.
  if (layout == ir::Layout::ChannelsLastFlattened || (drop_dim && layout == ir::Layout::ChannelsLast)) {
    layout = ir::Layout::Contiguous;
  }
  ctx.requireLayout(0, layout);
  const int32_t axis = physicalAxis(layout, dim);
  const bool split = equal && !drop_dim && ctx.hasOperation(ANEURALNETWORKS_SPLIT, x.type);
  if (!split) {
    ctx.requireOperation(ANEURALNETWORKS_STRIDED_SLICE, x.type, ctx.node().kind + (equal ? "" : " into unequal pieces"));
  }
  ctx.require(ctx.node().outputs.size() == sizes.size(),
              "the list of " + std::to_string(sizes.size()) + " pieces is used as a list, not unpacked into tensors");
  if (split) {
    const size_t count = sizes.size();
    return [layout, axis, count](LoweringContext& ctx) {
      const uint32_t input = ctx.operandInput(0, layout);
      const std::vector<uint32_t> pieces = ctx.emitMany(
          ANEURALNETWORKS_SPLIT, {input, ctx.i32(axis), ctx.i32(int32_t(count))}, std::vector(count, outputIn(layout)));
      for (size_t i = 0; i < count; ++i) ctx.setOutput(i, pieces[i]);
    };
  }
  const ir::Layout piece_layout = drop_dim ? ir::Layout::Contiguous : layout;
  return [layout, piece_layout, axis, sizes, drop_dim](LoweringContext& ctx) {
    const uint32_t input = ctx.operandInput(0, layout);
    const size_t rank = ctx.operand(input).dims.size();
    // Every other axis is taken whole through the masks, so an extent fixed only at run time needs no value.
    const int32_t whole = ((1 << rank) - 1) & ~(1 << axis);
    const int32_t shrink = drop_dim ? 1 << axis : 0;
    int32_t begin = 0;
    for (size_t i = 0; i < sizes.size(); ++i) {
      std::vector<int32_t> starts(rank, 0), ends(rank, 0);
      starts[axis] = begin;
      ends[axis] = begin + int32_t(sizes[i]);
      begin = ends[axis];
      const uint32_t piece = ctx.emit(ANEURALNETWORKS_STRIDED_SLICE,
                                      {input, ctx.i32Tensor(starts), ctx.i32Tensor(ends),
                                       ctx.i32Tensor(std::vector<int32_t>(rank, 1)), ctx.i32(whole), ctx.i32(whole),
                                       ctx.i32(shrink)},
                                      {piece_layout, {}, {}, ctx.outputName(i)});
      ctx.setOutput(i, piece);
    }
  };
}

// PyTorch's split(split_size): pieces of split_size, the last one smaller when it does not divide the extent.
std::vector<int64_t> piecesOf(const LoweringContext& ctx, int64_t extent, int64_t split_size) {
  ctx.require(split_size > 0, "a split size of " + std::to_string(split_size) + " is not supported");
  std::vector<int64_t> sizes;
  for (int64_t begin = 0; begin < extent; begin += split_size) sizes.push_back(std::min(split_size, extent - begin));
  return sizes;
}

// The extent of dimension `dim_input` of input 0, which must be known at convert time.
int64_t extentOf(const LoweringContext& ctx, int64_t dim_input) {
  const std::vector<int64_t> shape = ctx.inputShape(0);
  const int64_t dim = normalizeDim(dim_input, shape.size());
  ctx.require(shape[dim] != 0, "dimension " + std::to_string(dim) +
                                   " is fixed only at run time (--input -1), so its pieces are not known at convert time");
  return shape[dim];
}

// chunk(self, chunks, dim): pieces of ceil(extent / chunks), so there may be fewer than `chunks`.
Emitter lowerChunk(const LoweringContext& ctx) {
  const int64_t chunks = ctx.intInput(1), dim = ctx.intInput(2);
  ctx.require(chunks > 0, "chunk into " + std::to_string(chunks) + " pieces is not supported");
  const int64_t extent = extentOf(ctx, dim);
  return splitEmitter(ctx, dim, piecesOf(ctx, extent, (extent + chunks - 1) / chunks), false);
}

// split(self, split_size: int, dim), or split(self, split_sizes: int[], dim) as split_with_sizes.
Emitter lowerSplit(const LoweringContext& ctx) {
  const int64_t dim = ctx.intInput(2);
  const Value& sizes = ctx.input(1);
  if (sizes.kind == Value::Kind::Constant && std::holds_alternative<int64_t>(sizes.constant)) {
    return splitEmitter(ctx, dim, piecesOf(ctx, extentOf(ctx, dim), ctx.intInput(1)), false);
  }
  const std::vector<int64_t> pieces = ctx.intListInput(1);
  int64_t total = 0;
  for (int64_t size : pieces) {
    ctx.require(size > 0, "a piece of size " + std::to_string(size) + " is not supported (NNAPI has no empty tensors)");
    total += size;
  }
  ctx.require(total == extentOf(ctx, dim), "the split sizes add up to " + std::to_string(total) +
                                               ", not to the extent of the dimension");
  return splitEmitter(ctx, dim, pieces, false);
}

// unbind(self, dim): every index along dim as a tensor without that dimension.
Emitter lowerUnbind(const LoweringContext& ctx) {
  const int64_t dim = ctx.intInput(1);
  return splitEmitter(ctx, dim, std::vector<int64_t>(extentOf(ctx, dim), 1), true);
}

}  // namespace

void registerSplit(Registry& registry) {
  registry.add({"aten::chunk", "aten::unsafe_chunk"}, lowerChunk);
  registry.add({"aten::split", "aten::unsafe_split", "aten::split_with_sizes", "aten::unsafe_split_with_sizes"},
               lowerSplit);
  registry.add({"aten::unbind"}, lowerUnbind);
}

}  // namespace nnc
