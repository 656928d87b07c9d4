// aten::add/sub/mul/div/rsub (tensors with broadcasting, or a scalar) -> ADD, SUB, MUL, DIV.
// Works in whatever layout its tensor inputs already have, so a channels-last network stays channels-last:
// constants are re-laid out offline to broadcast the same way PyTorch's NCHW shapes would.
#include <cmath>

#include "nnapi/NeuralNetworks.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {
namespace {

// One side of a binary op: a model tensor, or a constant known at convert time.
struct Side {
  bool is_tensor = false;
  uint32_t operand = 0;
  std::vector<float> values;   // constant
  std::vector<int64_t> shape;  // constant's PyTorch shape ({} for a Python number)
};

Side sideOf(LoweringContext& ctx, size_t i) {
  Side side;
  if (ctx.isTensor(i)) {
    side.is_tensor = true;
    side.operand = ctx.input(i).operand;
  } else if (ctx.isConstTensor(i)) {
    const ConstTensor& tensor = ctx.constTensorInput(i);
    side.values = tensor.toFloats();
    side.shape = tensor.shape;
  } else {
    side.values = {static_cast<float>(ctx.doubleInput(i))};
  }
  return side;
}

// A constant side as an NNAPI operand that broadcasts against tensors stored in `layout`.
uint32_t constantOperand(LoweringContext& ctx, const Side& side, ir::Layout layout) {
  if (side.values.size() == 1) return ctx.f32Tensor({1}, side.values);
  std::vector<int64_t> shape = side.shape;
  if (layout == ir::Layout::ChannelsLast) {
    // Broadcasting aligns trailing dims: pad to 4-D as PyTorch would, then store NHWC like the tensor side.
    ctx.require(shape.size() <= 4, "a constant of rank above 4 cannot broadcast against a 4-D map");
    shape.insert(shape.begin(), 4 - shape.size(), 1);
    return ctx.f32Tensor(physicalDims(shape, layout), nchwToNhwc(side.values, shape), layout);
  }
  ctx.require(layout == ir::Layout::Contiguous, "only a single number can combine with a flattened feature map");
  if (shape.empty()) shape = {1};
  return ctx.f32Tensor(std::vector<uint32_t>(shape.begin(), shape.end()), side.values);
}

// The layout both sides are brought to: channels-last if a tensor side is a channels-last map and every tensor
// side is 4-D; a flattened map stays flattened only against a single number; otherwise PyTorch's own order.
ir::Layout commonLayout(LoweringContext& ctx, const Side& a, const Side& b) {
  bool any_channels_last = false, all_4d = true, any_flattened = false;
  for (const Side* side : {&a, &b}) {
    if (!side->is_tensor) {
      all_4d = all_4d && side->shape.size() <= 4;
      continue;
    }
    const ir::Operand& operand = ctx.operand(side->operand);
    any_channels_last = any_channels_last || operand.layout == ir::Layout::ChannelsLast;
    any_flattened = any_flattened || operand.layout == ir::Layout::ChannelsLastFlattened;
    all_4d = all_4d && ctx.torchShape(side->operand).size() == 4;
  }
  const bool other_is_number = (!a.is_tensor && a.values.size() == 1) || (!b.is_tensor && b.values.size() == 1);
  if (any_flattened && other_is_number) return ir::Layout::ChannelsLastFlattened;
  if (any_channels_last && all_4d) return ir::Layout::ChannelsLast;
  return ir::Layout::Contiguous;
}

uint32_t operandIn(LoweringContext& ctx, const Side& side, ir::Layout layout) {
  if (!side.is_tensor) return constantOperand(ctx, side, layout);
  if (layout == ir::Layout::ChannelsLastFlattened) return side.operand;
  return ctx.toLayout(side.operand, layout);
}

// Multiplies a side by alpha (PyTorch's add/sub `alpha`): folded into a constant, or a MUL on a tensor.
Side scaled(LoweringContext& ctx, Side side, double alpha) {
  if (alpha == 1.0) return side;
  if (!side.is_tensor) {
    for (float& v : side.values) v = static_cast<float>(v * alpha);
    return side;
  }
  const uint32_t factor = ctx.f32Tensor({1}, {float(alpha)});
  side.operand = emitKeepingLayout(ctx, ANEURALNETWORKS_MUL,
                                   {side.operand, factor, ctx.i32(ANEURALNETWORKS_FUSED_NONE)}, side.operand);
  return side;
}

void emitBinary(LoweringContext& ctx, int32_t op, const Side& a, const Side& b) {
  ctx.require(a.is_tensor || b.is_tensor, "one side must be a tensor computed by the model");
  const ir::Layout layout = commonLayout(ctx, a, b);
  const uint32_t lhs = operandIn(ctx, a, layout);
  const uint32_t rhs = operandIn(ctx, b, layout);
  ctx.require(ctx.operand(lhs).dims.size() <= 4 && ctx.operand(rhs).dims.size() <= 4,
              "NNAPI's element-wise ops take tensors of rank 4 at most");
  // The output is laid out like the tensor side (both sides now share `layout`).
  const uint32_t fuse = ctx.i32(ANEURALNETWORKS_FUSED_NONE);
  ctx.setOutput(0, emitKeepingLayout(ctx, op, {lhs, rhs, fuse}, a.is_tensor ? lhs : rhs));
}

// add/sub(self, other, alpha): self +/- alpha * other.
void lowerAddSub(LoweringContext& ctx) {
  const bool sub = ctx.node().kind.rfind("aten::sub", 0) == 0;
  const double alpha = ctx.inputCount() > 2 ? ctx.doubleInput(2) : 1.0;
  emitBinary(ctx, sub ? ANEURALNETWORKS_SUB : ANEURALNETWORKS_ADD, sideOf(ctx, 0), scaled(ctx, sideOf(ctx, 1), alpha));
}

// rsub(self, other, alpha): other - alpha * self.
void lowerRsub(LoweringContext& ctx) {
  const double alpha = ctx.inputCount() > 2 ? ctx.doubleInput(2) : 1.0;
  emitBinary(ctx, ANEURALNETWORKS_SUB, sideOf(ctx, 1), scaled(ctx, sideOf(ctx, 0), alpha));
}

void lowerMul(LoweringContext& ctx) { emitBinary(ctx, ANEURALNETWORKS_MUL, sideOf(ctx, 0), sideOf(ctx, 1)); }

// div(self, other, rounding_mode=None): true division only; NNAPI's DIV on floats is true division.
void lowerDiv(LoweringContext& ctx) {
  ctx.require(ctx.inputCount() < 3 || ctx.isNone(2), "division with a rounding mode is not supported");
  emitBinary(ctx, ANEURALNETWORKS_DIV, sideOf(ctx, 0), sideOf(ctx, 1));
}

}  // namespace

void registerElementwise(Registry& registry) {
  registry.add({"aten::add", "aten::add_", "aten::sub", "aten::sub_"}, lowerAddSub);
  registry.add({"aten::rsub"}, lowerRsub);
  registry.add({"aten::mul", "aten::mul_"}, lowerMul);
  registry.add({"aten::div", "aten::div_"}, lowerDiv);
}

}  // namespace nnc
