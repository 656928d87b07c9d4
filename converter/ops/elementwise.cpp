// aten::add/sub/mul/div/rsub (tensors with broadcasting, or a scalar) -> ADD, SUB, MUL, DIV, or where the target
// has no SUB/DIV (feature level 1) the same arithmetic from ADD and MUL; aten::maximum/minimum -> MAXIMUM, MINIMUM
// (feature level 3, no fused activation).
// Works in whatever layout its tensor inputs already have, so a channels-last network stays channels-last:
// constants are re-laid out offline to broadcast the same way PyTorch's NCHW shapes would.
// The quantized add/mul (ops/quantized_elementwise.cpp) go through the same planning with a fused activation, an
// output quantization and, for a scalar, a one-element quantized constant.
#include "ops/elementwise.h"

#include <algorithm>

#include <optional>

#include "nnapi/NeuralNetworks.h"
#include "ops/checks.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {
namespace {

// One side of a binary op: a tensor computed by the model (node input `input`), or a constant known at convert
// time.
struct Side {
  bool is_tensor = false;
  size_t input = 0;
  std::vector<float> values;   // constant
  std::vector<int64_t> shape;  // constant's PyTorch shape ({} for a number)
  std::optional<QuantScalar> quantized = std::nullopt;  // a number as a quantized constant (then `values` is unused)
};

Side sideOf(const LoweringContext& ctx, size_t i) {
  Side side;
  side.input = i;
  if (ctx.isTensor(i)) {
    side.is_tensor = true;
  } else if (ctx.isConstTensor(i)) {
    const ConstTensor& tensor = ctx.constTensorInput(i);
    side.values = tensor.toFloats();
    side.shape = tensor.shape;
  } else {
    side.values = {static_cast<float>(ctx.doubleInput(i))};
  }
  return side;
}

// A constant side with every value scaled by `factor` (alpha, -alpha).
Side scaled(Side side, double factor) {
  for (float& v : side.values) v = static_cast<float>(v * factor);
  return side;
}

// A constant divisor as the factor that multiplies instead.
Side reciprocal(Side side) {
  for (float& v : side.values) v = static_cast<float>(1.0 / v);
  return side;
}

// What to emit: op(a, factor * b). A factor other than 1 only goes with a tensor b (a MUL before `op`); constant
// sides are scaled when planned.
struct Binary {
  int32_t op = ANEURALNETWORKS_ADD;
  Side a, b;
  double factor = 1.0;
  int32_t fuse = ANEURALNETWORKS_FUSED_NONE;
  std::optional<std::pair<float, int32_t>> quant = std::nullopt;  // the output's, for quantized tensors
};

// The tensor side (the first if both are), whose type is the operations' main input type.
const ir::Operand& tensorSide(const LoweringContext& ctx, const Side& a, const Side& b) {
  ctx.require(a.is_tensor || b.is_tensor, "one side must be a tensor computed by the model");
  const ir::Operand& tensor = ctx.tensor(a.is_tensor ? a.input : b.input);
  if (a.is_tensor && b.is_tensor) {
    const int32_t other = ctx.tensor(b.input).type;
    ctx.require(tensor.type == other, "both tensors must have the same type, got " +
                                          ir::operandTypeName(tensor.type) + " and " + ir::operandTypeName(other));
  }
  return tensor;
}

// The layout both sides are brought to: channels-last if a tensor side is (or is already held as) a channels-last
// map and every tensor side is a map of that rank (4-D, or 3-D for ChannelsLast1d) with constants no wider; a
// flattened map stays flattened only against a number; otherwise PyTorch's own order.
ir::Layout commonLayout(const LoweringContext& ctx, const std::vector<const Side*>& sides) {
  const auto first_tensor =
      std::find_if(sides.begin(), sides.end(), [](const Side* side) { return side->is_tensor; });
  ctx.require(first_tensor != sides.end(), "one side must be a tensor computed by the model");
  const size_t rank = ctx.tensor((*first_tensor)->input).dims.size();
  const ir::Layout map_layout = channelsLastOfRank(rank);
  bool any_channels_last = false, same_rank = true, any_flattened = false, any_number = false;
  for (const Side* side : sides) {
    if (!side->is_tensor) {
      any_number = any_number || side->shape.empty();
      same_rank = same_rank && side->shape.size() <= rank;
      continue;
    }
    const ir::Operand& tensor = ctx.tensor(side->input);
    // A map the partition already holds channels-last (converted for a convolution) is read that way: the
    // result then feeds the next channels-last op with no TRANSPOSE.
    any_channels_last = any_channels_last || isChannelsLast(tensor.layout) ||
                        (isChannelsLast(map_layout) && ctx.heldIn(side->input, map_layout));
    any_flattened = any_flattened || tensor.layout == ir::Layout::ChannelsLastFlattened;
    same_rank = same_rank && tensor.dims.size() == rank;
  }
  if (any_flattened && any_number) return ir::Layout::ChannelsLastFlattened;
  if (any_channels_last && same_rank && isChannelsLast(map_layout)) return map_layout;
  return ir::Layout::Contiguous;
}

// A one-element constant whose rank does not exceed the tensor's broadcasts away: it is a number, which works in
// any layout. (A higher-rank one adds dimensions to PyTorch's result and keeps its shape.)
Side numberIfBroadcastsAway(const LoweringContext& ctx, Side constant, const Side& tensor) {
  if (constant.is_tensor || constant.values.size() != 1) return constant;
  if (constant.shape.size() <= ctx.tensor(tensor.input).dims.size()) constant.shape.clear();
  return constant;
}

// The rank of a side's NNAPI operand in `layout` (see constantOperand).
size_t operandRank(const LoweringContext& ctx, const Side& side, ir::Layout layout) {
  if (side.is_tensor) return ctx.tensor(side.input).dims.size();
  if (side.shape.empty()) return 1;
  if (layout == ir::Layout::ChannelsLast) return 4;
  if (layout == ir::Layout::ChannelsLast1d) return 3;
  return side.shape.size();
}

// A constant side as an NNAPI operand that broadcasts against tensors stored in `layout`.
uint32_t constantOperand(LoweringContext& ctx, const Side& side, ir::Layout layout) {
  if (side.quantized) {
    ir::Operand type;
    type.type = ANEURALNETWORKS_TENSOR_QUANT8_ASYMM;
    type.dims = {1};
    type.scale = side.quantized->scale;
    type.zero_point = side.quantized->zero_point;
    type.name = ctx.outputName() + " scalar";
    return ctx.model().addConstant(type, &side.quantized->value, 1);
  }
  if (side.shape.empty()) return ctx.f32Tensor({1}, side.values);
  std::vector<int64_t> shape = side.shape;
  if (isChannelsLast(layout)) {
    // Broadcasting aligns trailing dims: pad to the map's rank as PyTorch would, then store NHWC ([N,L,C]) like the
    // tensor side.
    shape.insert(shape.begin(), operandRank(ctx, side, layout) - shape.size(), 1);
    return ctx.f32Tensor(physicalDims(shape, layout), nchwToNhwc(side.values, shape), layout);
  }
  return ctx.f32Tensor(std::vector<uint32_t>(shape.begin(), shape.end()), side.values);
}

uint32_t operandIn(LoweringContext& ctx, const Side& side, ir::Layout layout) {
  return side.is_tensor ? ctx.operandInput(side.input, layout) : constantOperand(ctx, side, layout);
}

Emitter binaryEmitter(const LoweringContext& ctx, Binary plan) {
  const ir::Operand& tensor = tensorSide(ctx, plan.a, plan.b);
  plan.a = numberIfBroadcastsAway(ctx, plan.a, plan.b);
  plan.b = numberIfBroadcastsAway(ctx, plan.b, plan.a);
  // Float constants (the constant side, alpha, the fallbacks' factors) need float32 tensors; a quantized constant
  // a quint8 one.
  const bool float_constant = (!plan.a.is_tensor && !plan.a.quantized) || (!plan.b.is_tensor && !plan.b.quantized);
  if (float_constant || plan.factor != 1.0) requireFloat32(ctx, tensor);
  if (plan.a.quantized || plan.b.quantized) {
    ctx.require(tensor.type == ANEURALNETWORKS_TENSOR_QUANT8_ASYMM, ctx.node().kind + " needs a quint8 tensor");
  }
  if (plan.quant && plan.op == ANEURALNETWORKS_MUL) {
    // NNAPI's quantized MUL requantizes with s_a * s_b / s_out, which must be below 1.
    const float scale_b = plan.b.quantized ? plan.b.quantized->scale : ctx.tensor(plan.b.input).scale;
    const double product = double(tensor.scale) * double(scale_b);
    ctx.require(double(plan.quant->first) > product,
                ctx.node().kind + " with output scale " + std::to_string(plan.quant->first) +
                    " is not supported: NNAPI's quantized MUL needs an output scale above the input scales' product " +
                    std::to_string(product));
  }
  ctx.requireOperation(plan.op, tensor.type);
  if (plan.factor != 1.0) ctx.requireOperation(ANEURALNETWORKS_MUL, tensor.type);
  const ir::Layout layout = commonLayout(ctx, {&plan.a, &plan.b});
  for (const Side* side : {&plan.a, &plan.b}) {
    if (side->is_tensor) ctx.requireLayout(side->input, layout);
    requireRankAtMost4(ctx, operandRank(ctx, *side, layout));
  }
  return [plan, layout](LoweringContext& ctx) {
    const uint32_t lhs = operandIn(ctx, plan.a, layout);
    uint32_t rhs = operandIn(ctx, plan.b, layout);
    if (plan.factor != 1.0) {
      const uint32_t factor = ctx.f32Tensor({1}, {static_cast<float>(plan.factor)});
      rhs = emitKeepingLayout(ctx, ANEURALNETWORKS_MUL, {rhs, factor, ctx.i32(ANEURALNETWORKS_FUSED_NONE)}, rhs);
    }
    // The output is laid out like the tensor side (both sides now share `layout`). MAXIMUM and MINIMUM take no
    // fused activation.
    std::vector<uint32_t> inputs{lhs, rhs};
    if (plan.op != ANEURALNETWORKS_MAXIMUM && plan.op != ANEURALNETWORKS_MINIMUM) inputs.push_back(ctx.i32(plan.fuse));
    ctx.setOutput(0, emitKeepingLayout(ctx, plan.op, inputs, plan.a.is_tensor ? lhs : rhs, plan.quant));
  };
}

double alphaInput(const LoweringContext& ctx) { return ctx.inputCount() > 2 ? ctx.doubleInput(2) : 1.0; }

// a + factor * b: a constant b is scaled now, a tensor b by a MUL.
Binary addScaled(const Side& a, const Side& b, double factor) {
  if (!b.is_tensor) return {ANEURALNETWORKS_ADD, a, scaled(b, factor), 1.0};
  return {ANEURALNETWORKS_ADD, a, b, factor};
}

// a - alpha * b. A constant b is added negated: a - c == a + (-c) exactly, and ADD is in every NNAPI version. A
// tensor b uses SUB where the target has it (feature level 2); below, a float b becomes MUL(b, -alpha) then ADD,
// which gives the same result since -(alpha * b) is exact.
Binary subtract(const LoweringContext& ctx, const Side& a, const Side& b, double alpha) {
  if (!b.is_tensor) return addScaled(a, b, -alpha);
  const int32_t type = ctx.tensor(b.input).type;
  if (!ctx.hasOperation(ANEURALNETWORKS_SUB, type) && type == ANEURALNETWORKS_TENSOR_FLOAT32) {
    return addScaled(a, b, -alpha);
  }
  return {ANEURALNETWORKS_SUB, a, b, alpha};
}

// add(self, other, alpha): self + alpha * other.
Emitter lowerAdd(const LoweringContext& ctx) {
  return binaryEmitter(ctx, addScaled(sideOf(ctx, 0), sideOf(ctx, 1), alphaInput(ctx)));
}

// sub(self, other, alpha): self - alpha * other.
Emitter lowerSub(const LoweringContext& ctx) {
  return binaryEmitter(ctx, subtract(ctx, sideOf(ctx, 0), sideOf(ctx, 1), alphaInput(ctx)));
}

// rsub(self, other, alpha): other - alpha * self.
Emitter lowerRsub(const LoweringContext& ctx) {
  return binaryEmitter(ctx, subtract(ctx, sideOf(ctx, 1), sideOf(ctx, 0), alphaInput(ctx)));
}

Emitter lowerMul(const LoweringContext& ctx) {
  return binaryEmitter(ctx, {ANEURALNETWORKS_MUL, sideOf(ctx, 0), sideOf(ctx, 1)});
}

// div(self, other, rounding_mode=None): true division only; NNAPI's DIV on floats is true division, and exact.
// Below feature level 2 (no DIV) a constant divisor becomes MUL by its reciprocal: float(1/c) is rounded once, so
// x * (1/c) can differ from x / c by one unit in the last place. A computed divisor needs DIV.
Emitter lowerDiv(const LoweringContext& ctx) {
  ctx.require(ctx.inputCount() < 3 || ctx.isNone(2), "division with a rounding mode is not supported");
  const Side a = sideOf(ctx, 0), b = sideOf(ctx, 1);
  if (!b.is_tensor && !ctx.hasOperation(ANEURALNETWORKS_DIV, tensorSide(ctx, a, b).type)) {
    return binaryEmitter(ctx, {ANEURALNETWORKS_MUL, a, reciprocal(b)});
  }
  return binaryEmitter(ctx, {ANEURALNETWORKS_DIV, a, b});
}

// maximum(self, other), minimum(self, other): tensors with broadcasting (a constant side is re-laid out like the
// others). Float32 only: quantized sides would need an output quantization.
template <int32_t kOperation>
Emitter lowerMinMax(const LoweringContext& ctx) {
  const Side a = sideOf(ctx, 0), b = sideOf(ctx, 1);
  requireFloat32(ctx, tensorSide(ctx, a, b));
  return binaryEmitter(ctx, {kOperation, a, b});
}

}  // namespace

Emitter clampBetweenTensors(const LoweringContext& ctx, bool has_low, bool has_high) {
  const Side x = sideOf(ctx, 0);
  ctx.require(x.is_tensor, ctx.node().kind + " needs a tensor computed by the model");
  requireFloat32(ctx, ctx.tensor(0));
  // The bounds in the order they are applied: MAXIMUM with the lower, then MINIMUM with the upper (torch.clamp's
  // order, so a lower bound above the upper gives the upper one, as PyTorch).
  std::vector<std::pair<int32_t, Side>> bounds;
  if (has_low) bounds.emplace_back(ANEURALNETWORKS_MAXIMUM, numberIfBroadcastsAway(ctx, sideOf(ctx, 1), x));
  if (has_high) bounds.emplace_back(ANEURALNETWORKS_MINIMUM, numberIfBroadcastsAway(ctx, sideOf(ctx, 2), x));
  std::vector<const Side*> sides{&x};
  for (const auto& bound : bounds) sides.push_back(&bound.second);
  const ir::Layout layout = commonLayout(ctx, sides);
  ctx.requireLayout(0, layout);
  requireRankAtMost4(ctx, operandRank(ctx, x, layout));
  for (const auto& [op, bound] : bounds) {
    ctx.requireOperation(op, ctx.tensor(0).type, ctx.node().kind + " with tensor bounds");
    if (bound.is_tensor) {
      ctx.require(ctx.tensor(bound.input).type == ctx.tensor(0).type, ctx.node().kind + " needs bounds of the "
                                                                                        "input's type");
      ctx.requireLayout(bound.input, layout);
    }
    requireRankAtMost4(ctx, operandRank(ctx, bound, layout));
  }
  return [x, bounds, layout](LoweringContext& ctx) {
    uint32_t y = operandIn(ctx, x, layout);
    for (const auto& [op, bound] : bounds) y = emitKeepingLayout(ctx, op, {y, operandIn(ctx, bound, layout)}, y);
    ctx.setOutput(0, y);
  };
}

Emitter quantizedBinary(const LoweringContext& ctx, int32_t op, size_t a, size_t b, int32_t fuse,
                        std::pair<float, int32_t> quant) {
  ctx.require(ctx.isTensor(a) && ctx.isTensor(b), ctx.node().kind + " needs two tensors computed by the model");
  Binary plan{op, sideOf(ctx, a), sideOf(ctx, b)};
  plan.fuse = fuse;
  plan.quant = quant;
  return binaryEmitter(ctx, plan);
}

Emitter quantizedBinaryScalar(const LoweringContext& ctx, int32_t op, size_t a, QuantScalar b, int32_t fuse,
                              std::pair<float, int32_t> quant) {
  ctx.require(ctx.isTensor(a), ctx.node().kind + " needs a tensor computed by the model");
  Side number;
  number.quantized = b;
  Binary plan{op, sideOf(ctx, a), number};
  plan.fuse = fuse;
  plan.quant = quant;
  return binaryEmitter(ctx, plan);
}

void registerElementwise(Registry& registry) {
  registry.add({"aten::add", "aten::add_"}, lowerAdd);
  registry.add({"aten::sub", "aten::sub_"}, lowerSub);
  registry.add({"aten::rsub"}, lowerRsub);
  registry.add({"aten::mul", "aten::mul_"}, lowerMul);
  registry.add({"aten::div", "aten::div_"}, lowerDiv);
  registry.add({"aten::maximum"}, lowerMinMax<ANEURALNETWORKS_MAXIMUM>);
  registry.add({"aten::minimum"}, lowerMinMax<ANEURALNETWORKS_MINIMUM>);
}

}  // namespace nnc
