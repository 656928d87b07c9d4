// Shape queries (aten::size, aten::dim, aten::numel: answered at convert time from the known input shapes) and
// shape changes (aten::flatten, aten::view, aten::reshape -> RESHAPE).
//
// Flattening a channels-last map is where layout meets semantics: PyTorch's flatten orders features (C,H,W), the
// NHWC data is in (H,W,C) order. A 1x1 map has the same order either way. Otherwise the result is marked
// ChannelsLastFlattened and a following FULLY_CONNECTED reorders its weight columns offline; any other consumer
// gets a real transpose through LoweringContext::toLayout.
#include "nnapi/NeuralNetworks.h"
#include "ops/registry.h"

namespace nnc {
namespace {

int64_t product(const std::vector<int64_t>& shape, size_t begin = 0, size_t end = SIZE_MAX) {
  int64_t p = 1;
  for (size_t i = begin; i < shape.size() && i < end; ++i) p *= shape[i];
  return p;
}

uint32_t tensorInput(LoweringContext& ctx) {
  ctx.require(ctx.isTensor(0), "the input must be a tensor computed by the model");
  return ctx.input(0).operand;
}

void lowerSize(LoweringContext& ctx) {
  const std::vector<int64_t> shape = ctx.torchShape(tensorInput(ctx));
  if (ctx.inputCount() > 1) {
    ctx.setOutputConstant(0, shape[normalizeDim(ctx.intInput(1), shape.size())]);
  } else {
    ctx.setOutputConstant(0, shape);
  }
}

void lowerDim(LoweringContext& ctx) {
  ctx.setOutputConstant(0, static_cast<int64_t>(ctx.torchShape(tensorInput(ctx)).size()));
}

void lowerNumel(LoweringContext& ctx) { ctx.setOutputConstant(0, product(ctx.torchShape(tensorInput(ctx)))); }

// Reshapes `input` to the PyTorch shape `target`, choosing the cheapest layout that keeps PyTorch's element order.
void emitReshape(LoweringContext& ctx, uint32_t input, const std::vector<int64_t>& target) {
  const std::vector<int64_t> shape = ctx.torchShape(input);
  ctx.require(product(shape) == product(target), "the new shape has a different number of elements");
  ctx.require(target.size() <= 4, "NNAPI's RESHAPE takes tensors of rank 4 at most");
  if (shape == target) {
    ctx.setOutput(0, input);
    return;
  }
  const ir::Operand& source = ctx.operand(input);
  const bool flattens_map = source.layout == ir::Layout::ChannelsLast && target.size() == 2 && target[0] == shape[0];
  if (flattens_map) {
    const bool one_by_one = shape[2] == 1 && shape[3] == 1;
    const std::vector<uint32_t> chw = {uint32_t(shape[1]), uint32_t(shape[2]), uint32_t(shape[3])};
    const ir::Layout layout = one_by_one ? ir::Layout::Contiguous : ir::Layout::ChannelsLastFlattened;
    const uint32_t out = ctx.emit(ANEURALNETWORKS_RESHAPE,
                                  {input, ctx.i32Tensor({int32_t(target[0]), int32_t(target[1])})},
                                  {layout, {}, {}, ""});
    if (!one_by_one) ctx.model().mutableOperand(out).flattened_chw = chw;
    ctx.setOutput(0, out);
    return;
  }
  input = ctx.toLayout(input, ir::Layout::Contiguous);
  ctx.setOutput(0, ctx.emit(ANEURALNETWORKS_RESHAPE,
                            {input, ctx.i32Tensor(std::vector<int32_t>(target.begin(), target.end()))}));
}

// aten::flatten(self, start_dim, end_dim)
void lowerFlatten(LoweringContext& ctx) {
  const uint32_t input = tensorInput(ctx);
  const std::vector<int64_t> shape = ctx.torchShape(input);
  if (shape.empty()) {
    emitReshape(ctx, input, {1});
    return;
  }
  const size_t start = normalizeDim(ctx.intInput(1), shape.size());
  const size_t end = normalizeDim(ctx.intInput(2), shape.size());
  ctx.require(start <= end, "flatten's start_dim is after end_dim");
  std::vector<int64_t> target(shape.begin(), shape.begin() + start);
  target.push_back(product(shape, start, end + 1));
  target.insert(target.end(), shape.begin() + end + 1, shape.end());
  emitReshape(ctx, input, target);
}

// aten::view / aten::reshape(self, shape) with at most one -1.
void lowerView(LoweringContext& ctx) {
  const uint32_t input = tensorInput(ctx);
  std::vector<int64_t> target = ctx.intListInput(1);
  const int64_t total = product(ctx.torchShape(input));
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
  emitReshape(ctx, input, target);
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
