// Shape queries (aten::size, aten::dim, aten::numel: answered at convert time from the known input shapes) and
// shape changes (aten::flatten, aten::view, aten::reshape -> RESHAPE).
//
// Flattening a channels-last map is where layout meets semantics: PyTorch's flatten orders features (C,H,W), the
// NHWC data is in (H,W,C) order. A 1x1 map has the same order either way. Otherwise the result is marked
// ChannelsLastFlattened and a following FULLY_CONNECTED reorders its weight columns offline; any other consumer
// gets a real transpose through LoweringContext::toLayout.
#include "nnapi/NeuralNetworks.h"
#include "ops/checks.h"
#include "ops/registry.h"

namespace nnc {
namespace {

int64_t product(const std::vector<int64_t>& shape, size_t begin = 0, size_t end = SIZE_MAX) {
  int64_t p = 1;
  for (size_t i = begin; i < shape.size() && i < end; ++i) p *= shape[i];
  return p;
}

// PyTorch's shape of input 0, which must be a tensor computed by the model.
std::vector<int64_t> inputShape(const LoweringContext& ctx) {
  ctx.require(ctx.isTensor(0), "the input must be a tensor computed by the model");
  return ctx.inputShape(0);
}

// Shape queries emit nothing: their output is a constant.
Emitter constantOutput(Constant value) {
  return [value](LoweringContext& ctx) { ctx.setOutputConstant(0, value); };
}

Emitter lowerSize(const LoweringContext& ctx) {
  const std::vector<int64_t> shape = inputShape(ctx);
  if (ctx.inputCount() > 1) return constantOutput(shape[normalizeDim(ctx.intInput(1), shape.size())]);
  return constantOutput(shape);
}

Emitter lowerDim(const LoweringContext& ctx) {
  return constantOutput(static_cast<int64_t>(inputShape(ctx).size()));
}

Emitter lowerNumel(const LoweringContext& ctx) { return constantOutput(product(inputShape(ctx))); }

// Reshapes input 0 (PyTorch shape `shape`) to the PyTorch shape `target`, choosing the cheapest layout that keeps
// PyTorch's element order.
Emitter reshapeEmitter(const LoweringContext& ctx, const std::vector<int64_t>& shape, std::vector<int64_t> target) {
  ctx.require(product(shape) == product(target), "the new shape has a different number of elements");
  requireRankAtMost4(ctx, shape.size());
  requireRankAtMost4(ctx, target.size());
  ctx.require(!target.empty(), "a 0-d result is not supported: NNAPI's RESHAPE cannot make one");
  if (shape == target) {
    return [](LoweringContext& ctx) { ctx.setOutputAlias(0, ctx.node().inputs[0]); };
  }
  const ir::Operand& source = ctx.tensor(0);
  ctx.requireOperation(ANEURALNETWORKS_RESHAPE, source.type);
  const bool flattens_map = source.layout == ir::Layout::ChannelsLast && target.size() == 2 && target[0] == shape[0];
  if (flattens_map) {
    const bool one_by_one = shape[2] == 1 && shape[3] == 1;
    const std::vector<uint32_t> chw = {uint32_t(shape[1]), uint32_t(shape[2]), uint32_t(shape[3])};
    return [target, one_by_one, chw](LoweringContext& ctx) {
      const ir::Layout layout = one_by_one ? ir::Layout::Contiguous : ir::Layout::ChannelsLastFlattened;
      const uint32_t out = ctx.emit(ANEURALNETWORKS_RESHAPE,
                                    {ctx.operandInput(0), ctx.i32Tensor({int32_t(target[0]), int32_t(target[1])})},
                                    {layout, {}, {}, ""});
      if (!one_by_one) ctx.model().mutableOperand(out).flattened_chw = chw;
      ctx.setOutput(0, out);
    };
  }
  ctx.requireLayout(0, ir::Layout::Contiguous);
  return [target](LoweringContext& ctx) {
    const uint32_t input = ctx.operandInput(0, ir::Layout::Contiguous);
    ctx.setOutput(0, ctx.emit(ANEURALNETWORKS_RESHAPE,
                              {input, ctx.i32Tensor(std::vector<int32_t>(target.begin(), target.end()))}));
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
    if (target[i] == -1) {
      ctx.require(inferred < 0, "only one dimension of the new shape may be -1");
      inferred = static_cast<int>(i);
    } else {
      known *= target[i];
    }
  }
  if (inferred >= 0) {
    ctx.require(known > 0 && total % known == 0, "the new shape does not divide the number of elements");
    target[inferred] = total / known;
  }
  return reshapeEmitter(ctx, shape, target);
}

}  // namespace

void registerShapeOps(Registry& registry) {
  registry.add({"aten::size"}, lowerSize);
  registry.add({"aten::dim"}, lowerDim);
  registry.add({"aten::numel"}, lowerNumel);
  registry.add({"aten::flatten"}, lowerFlatten);
  registry.add({"aten::view", "aten::reshape"}, lowerView);
}

}  // namespace nnc
