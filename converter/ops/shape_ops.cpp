// Shape queries (aten::size, aten::dim, aten::numel: answered at convert time from the known input shapes) and
// shape changes (aten::flatten, aten::view, aten::reshape, aten::squeeze, aten::unsqueeze -> RESHAPE).
//
// An extent fixed only at run time (0 here, --input -1,...) cannot be answered at convert time: a query of it stays
// on the CPU. A reshape keeps it as RESHAPE's -1, which NNAPI infers at execution; one that would have to fix it, or
// that has more than one such extent (RESHAPE infers one), stays on the CPU.
//
// Flattening a channels-last map is where layout meets semantics: PyTorch's flatten orders features (C,H,W), the
// NHWC data is in (H,W,C) order. A 1x1 map has the same order either way. Otherwise the result is marked
// ChannelsLastFlattened and a following FULLY_CONNECTED reorders its weight columns offline; any other consumer
// gets a real transpose through LoweringContext::toLayout.
#include "nnapi/NeuralNetworks.h"
#include "ops/checks.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {
namespace {

// PyTorch's shape of input 0, which must be a tensor computed by the model.
std::vector<int64_t> inputShape(const LoweringContext& ctx) {
  ctx.require(ctx.isTensor(0), "the input must be a tensor computed by the model");
  return ctx.inputShape(0);
}

// Shape queries emit nothing: their output is a constant.
Emitter constantOutput(Constant value) {
  return [value](LoweringContext& ctx) { ctx.setOutputConstant(0, value); };
}

void requireKnownAtConvertTime(const LoweringContext& ctx, const std::vector<int64_t>& shape) {
  ctx.require(runTimeExtentCount(shape) == 0, "the input's shape has a dimension fixed only at run time (--input -1), "
                                              "so it is not known at convert time");
}

Emitter lowerSize(const LoweringContext& ctx) {
  const std::vector<int64_t> shape = inputShape(ctx);
  if (ctx.inputCount() > 1) {
    const size_t dim = normalizeDim(ctx.intInput(1), shape.size());
    ctx.require(shape[dim] != 0, "dimension " + std::to_string(dim) +
                                     " is fixed only at run time (--input -1), so its size is not known at convert time");
    return constantOutput(shape[dim]);
  }
  requireKnownAtConvertTime(ctx, shape);
  return constantOutput(shape);
}

Emitter lowerDim(const LoweringContext& ctx) {
  return constantOutput(static_cast<int64_t>(inputShape(ctx).size()));
}

Emitter lowerNumel(const LoweringContext& ctx) {
  const std::vector<int64_t> shape = inputShape(ctx);
  requireKnownAtConvertTime(ctx, shape);
  return constantOutput(product(shape));
}

// Whether a 4-D PyTorch [N,C,H,W] shape stored NHWC has its elements in PyTorch's order: one channel, or 1x1 pixels.
bool nhwcIsTorchOrder(const std::vector<int64_t>& nchw) {
  return nchw.size() == 4 && (nchw[1] == 1 || (nchw[2] == 1 && nchw[3] == 1));
}

// A reshape from `shape` to `target` (run-time extents 0 in both) that RESHAPE can express.
void requireExpressibleReshape(const LoweringContext& ctx, const std::vector<int64_t>& shape,
                               const std::vector<int64_t>& target) {
  const size_t from = runTimeExtentCount(shape), to = runTimeExtentCount(target);
  if (from == 0 && to == 0) {
    ctx.require(product(shape) == product(target), "the new shape has a different number of elements");
    return;
  }
  ctx.require(to > 0, "the new shape fixes every dimension, but the input has one fixed only at run time "
                      "(--input -1): NNAPI's RESHAPE would fix it too");
  ctx.require(to == 1, "the new shape has " + std::to_string(to) +
                           " dimensions that follow one fixed only at run time (--input -1); NNAPI's RESHAPE can "
                           "infer only one (-1)");
  ctx.require(from > 0, "the new shape has a dimension fixed only at run time, the input has none");
}

// Reshapes input 0 (PyTorch shape `shape`) to the PyTorch shape `target`, choosing the cheapest layout that keeps
// PyTorch's element order.
Emitter reshapeEmitter(const LoweringContext& ctx, const std::vector<int64_t>& shape, std::vector<int64_t> target) {
  requireExpressibleReshape(ctx, shape, target);
  requireRankAtMost4(ctx, shape.size());
  requireRankAtMost4(ctx, target.size());
  ctx.require(!target.empty(), "a 0-d result is not supported: NNAPI's RESHAPE cannot make one");
  if (shape == target) {
    return [](LoweringContext& ctx) { ctx.setOutputAlias(0, ctx.node().inputs[0]); };
  }
  const ir::Operand& source = ctx.tensor(0);
  ctx.requireOperation(ANEURALNETWORKS_RESHAPE, source.type);
  // [N,C,H,W] -> [N, C*H*W] with C, H, W known (N may be fixed only at run time).
  const bool flattens_map = source.layout == ir::Layout::ChannelsLast && target.size() == 2 &&
                            runTimeExtentCount({shape[1], shape[2], shape[3]}) == 0 &&
                            target[1] == shape[1] * shape[2] * shape[3];
  if (flattens_map) {
    const bool one_by_one = shape[2] == 1 && shape[3] == 1;
    const std::vector<uint32_t> chw = {uint32_t(shape[1]), uint32_t(shape[2]), uint32_t(shape[3])};
    return [target, one_by_one, chw](LoweringContext& ctx) {
      const ir::Layout layout = one_by_one ? ir::Layout::Contiguous : ir::Layout::ChannelsLastFlattened;
      const uint32_t out = ctx.emit(ANEURALNETWORKS_RESHAPE, {ctx.operandInput(0), ctx.i32Tensor(reshapeTarget(target))},
                                    {layout, {}, {}, ""});
      if (!one_by_one) ctx.model().mutableOperand(out).flattened_chw = chw;
      ctx.setOutput(0, out);
    };
  }
  // A map with one channel, or of 1x1 pixels, holds its elements in PyTorch's order: reshaped as it is stored.
  const bool source_in_order = source.layout == ir::Layout::ChannelsLast && nhwcIsTorchOrder(shape);
  if (!source_in_order) ctx.requireLayout(0, ir::Layout::Contiguous);
  // A 4-D result of that kind is made a map (NHWC), which convolutions and element-wise ops with maps take as it is.
  const bool map_result = target.size() == 4 && nhwcIsTorchOrder(target);
  const std::vector<int64_t> stored = map_result ? std::vector<int64_t>{target[0], target[2], target[3], target[1]}
                                                 : target;
  return [source_in_order, map_result, stored](LoweringContext& ctx) {
    const uint32_t input = source_in_order ? ctx.operandInput(0) : ctx.operandInput(0, ir::Layout::Contiguous);
    ctx.setOutput(0, ctx.emit(ANEURALNETWORKS_RESHAPE, {input, ctx.i32Tensor(reshapeTarget(stored))},
                              outputIn(map_result ? ir::Layout::ChannelsLast : ir::Layout::Contiguous)));
  };
}

// aten::flatten(self, start_dim, end_dim)
Emitter lowerFlatten(const LoweringContext& ctx) {
  const std::vector<int64_t> shape = inputShape(ctx);
  if (shape.empty()) return reshapeEmitter(ctx, shape, {1});
  const size_t start = normalizeDim(ctx.intInput(1), shape.size());
  const size_t end = normalizeDim(ctx.intInput(2), shape.size());
  ctx.require(start <= end, "flatten's start_dim is after end_dim");
  std::vector<int64_t> target(shape.begin(), shape.begin() + start);
  target.push_back(product(shape, start, end + 1));
  target.insert(target.end(), shape.begin() + end + 1, shape.end());
  return reshapeEmitter(ctx, shape, target);
}

// aten::view / aten::reshape(self, shape) with at most one -1.
Emitter lowerView(const LoweringContext& ctx) {
  const std::vector<int64_t> shape = inputShape(ctx);
  std::vector<int64_t> target = ctx.intListInput(1);
  const int64_t total = product(shape);
  int64_t known = 1;
  int inferred = -1;
  for (size_t i = 0; i < target.size(); ++i) {
    ctx.require(target[i] > 0 || target[i] == -1, "the new shape has an extent of " + std::to_string(target[i]) +
                                                      " (NNAPI has no empty tensors)");
    if (target[i] == -1) {
      ctx.require(inferred < 0, "only one dimension of the new shape may be -1");
      inferred = static_cast<int>(i);
    } else {
      known *= target[i];
    }
  }
  if (inferred >= 0 && runTimeExtentCount(shape) > 0) {
    target[inferred] = 0;  // follows the run-time extent: RESHAPE infers it at execution
  } else if (inferred >= 0) {
    ctx.require(total % known == 0, "the new shape does not divide the number of elements");
    target[inferred] = total / known;
  }
  return reshapeEmitter(ctx, shape, target);
}

// squeeze(self), squeeze(self, dim), squeeze(self, dims): drops dimensions of extent 1 (a given one that is not 1
// stays, as in PyTorch). An extent fixed only at run time might be 1 when the model runs: not decidable here.
Emitter lowerSqueeze(const LoweringContext& ctx) {
  const std::vector<int64_t> shape = inputShape(ctx);
  std::vector<bool> drop(shape.size(), ctx.inputCount() < 2);
  if (ctx.inputCount() >= 2) {
    for (int64_t dim : ctx.intListInput(1)) drop.at(normalizeDim(dim, shape.size())) = true;
  }
  std::vector<int64_t> target;
  for (size_t i = 0; i < shape.size(); ++i) {
    ctx.require(!drop[i] || shape[i] != 0, "dimension " + std::to_string(i) + " is fixed only at run time (--input "
                                           "-1): whether squeeze removes it is only known when the model runs");
    if (!drop[i] || shape[i] != 1) target.push_back(shape[i]);
  }
  return reshapeEmitter(ctx, shape, target);
}

// unsqueeze(self, dim): a dimension of extent 1 inserted before `dim` (dim may be rank: at the end).
Emitter lowerUnsqueeze(const LoweringContext& ctx) {
  std::vector<int64_t> shape = inputShape(ctx);
  const int64_t dim = normalizeDim(ctx.intInput(1), shape.size() + 1);
  std::vector<int64_t> target = shape;
  target.insert(target.begin() + dim, 1);
  return reshapeEmitter(ctx, shape, target);
}

}  // namespace

void registerShapeOps(Registry& registry) {
  registry.add({"aten::size"}, lowerSize);
  registry.add({"aten::dim"}, lowerDim);
  registry.add({"aten::numel"}, lowerNumel);
  registry.add({"aten::flatten"}, lowerFlatten);
  registry.add({"aten::view", "aten::reshape"}, lowerView);
  registry.add({"aten::squeeze"}, lowerSqueeze);
  registry.add({"aten::unsqueeze"}, lowerUnsqueeze);
}

}  // namespace nnc
