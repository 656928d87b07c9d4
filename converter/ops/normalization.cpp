// Normalizations over a tensor's own statistics: aten::layer_norm, aten::instance_norm, aten::group_norm.
//
// All three are one NNAPI INSTANCE_NORMALIZATION (feature level 3), which normalizes each channel of an NHWC
// tensor over its H and W: (x - mean) * gamma / sqrt(var + eps) + beta with the population variance, as PyTorch's
// norms compute (x - mean) * rsqrt(var + eps) * weight + bias. The elements one statistic covers are brought onto
// the H and W axes of a 4-D view by RESHAPE (and for group_norm with several channels per group a TRANSPOSE):
//   - layer_norm over the last dims (D elements, M rows before them): [M, 1, D, 1], one "channel" per row;
//   - instance_norm on an NHWC map: as it is;
//   - group_norm of G groups of K channels on an NHWC map [N,H,W,G*K]: G == C as instance_norm; G == 1 as
//     [N, 1, H*W*C, 1]; otherwise [N, H*W, G, K] transposed to [N, H*W, K, G] so each group is a channel.
// One operation instead of the MEAN, SUB, MUL, MEAN, ADD, RSQRT, MUL a decomposition needs; RSQRT is feature
// level 3 too, so no decomposition would reach an older device either.
//
// NNAPI's gamma and beta are scalars: a weight and bias with one value each (or none) become them; per-element
// ones follow as MUL and ADD by constants laid out like the data (omitted where the weight is all 1 or the bias
// all 0).
//
// instance_norm with use_input_stats=False normalizes with the running statistics: that is batch_norm in eval
// mode (same arguments in the same places), lowered by batch_norm's lowering.
#include <algorithm>
#include <functional>
#include <optional>
#include <string>

#include "nnapi/NeuralNetworks.h"
#include "ops/checks.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {
namespace {

// The weight and bias of a norm as NNAPI takes them: scalars when each holds one value, else constants of
// `dims` (the data's physical trailing dims) with `weight`/`bias` empty when they change nothing.
struct Affine {
  float gamma = 1.0f, beta = 0.0f;
  std::vector<float> weight, bias;
  std::vector<uint32_t> dims;
};

// Values of optional constant input i with `count` elements (empty for None), reordered by `order` (physical
// position -> PyTorch element) when given.
std::vector<float> affineValues(const LoweringContext& ctx, size_t i, const char* what, int64_t count,
                                const std::vector<int64_t>& order) {
  if (ctx.isNone(i)) return {};
  ctx.require(ctx.isConstTensor(i), ctx.node().kind + "'s " + what + " must be a constant");
  const std::vector<float> values = ctx.constTensorInput(i).toFloats();
  ctx.require(int64_t(values.size()) == count, ctx.node().kind + "'s " + what + " has " +
                                                   std::to_string(values.size()) + " values, expected " +
                                                   std::to_string(count));
  if (order.empty()) return values;
  std::vector<float> reordered(values.size());
  for (size_t k = 0; k < order.size(); ++k) reordered[k] = values[order[k]];
  return reordered;
}

bool allEqual(const std::vector<float>& v) {
  return std::adjacent_find(v.begin(), v.end(), std::not_equal_to<>()) == v.end();
}

Affine affineOf(const LoweringContext& ctx, size_t weight_input, size_t bias_input, std::vector<uint32_t> dims,
                const std::vector<int64_t>& order = {}) {
  int64_t count = 1;
  for (uint32_t d : dims) count *= d;
  Affine a;
  a.weight = affineValues(ctx, weight_input, "weight", count, order);
  a.bias = affineValues(ctx, bias_input, "bias", count, order);
  if (allEqual(a.weight) && allEqual(a.bias)) {
    if (!a.weight.empty()) a.gamma = a.weight[0];
    if (!a.bias.empty()) a.beta = a.bias[0];
    a.weight.clear();
    a.bias.clear();
  }
  if (std::all_of(a.weight.begin(), a.weight.end(), [](float w) { return w == 1.0f; })) a.weight.clear();
  if (std::all_of(a.bias.begin(), a.bias.end(), [](float b) { return b == 0.0f; })) a.bias.clear();
  a.dims = std::move(dims);
  return a;
}

void requireNormOperations(const LoweringContext& ctx, const ir::Operand& x, const Affine& a, bool reshapes,
                           bool transposes) {
  requireFloat32(ctx, x);
  ctx.requireOperation(ANEURALNETWORKS_INSTANCE_NORMALIZATION, x.type);
  const std::string use = ctx.node().kind;
  if (reshapes) ctx.requireOperation(ANEURALNETWORKS_RESHAPE, x.type, use);
  if (transposes) ctx.requireOperation(ANEURALNETWORKS_TRANSPOSE, x.type, use);
  if (!a.weight.empty()) ctx.requireOperation(ANEURALNETWORKS_MUL, x.type, use + " with a weight");
  if (!a.bias.empty()) ctx.requireOperation(ANEURALNETWORKS_ADD, x.type, use + " with a bias");
}

// How the statistics' elements are brought onto H and W: `view` (PyTorch's 4-D NHWC view of the physical data;
// empty: the data as it is), optionally transposed (0,1,3,2) around the normalization.
struct NormPlan {
  ir::Layout layout;             // the layout the input is taken in, and the output's
  std::vector<int64_t> view;     // physical 4-D view, or empty
  bool transpose = false;
  std::vector<int64_t> physical;  // the input's physical dims, to reshape back to
  float eps;
  Affine affine;
};

Emitter normEmitter(NormPlan plan) {
  return [plan](LoweringContext& ctx) {
    const uint32_t x = ctx.operandInput(0, plan.layout);
    const uint32_t none = ctx.i32(ANEURALNETWORKS_FUSED_NONE);
    const uint32_t swap = plan.transpose ? ctx.i32Tensor({0, 1, 3, 2}) : 0;
    uint32_t y = x;
    if (!plan.view.empty()) y = ctx.emit(ANEURALNETWORKS_RESHAPE, {y, ctx.i32Tensor(reshapeTarget(plan.view))});
    if (plan.transpose) y = ctx.emit(ANEURALNETWORKS_TRANSPOSE, {y, swap});
    const Affine& a = plan.affine;
    const ir::OutputSpec direct = plan.view.empty() ? outputIn(plan.layout) : ir::OutputSpec{};
    y = ctx.emit(ANEURALNETWORKS_INSTANCE_NORMALIZATION,
                 {y, ctx.f32(a.gamma), ctx.f32(a.beta), ctx.f32(plan.eps), ctx.boolean(false) /* NCHW */}, direct);
    if (plan.transpose) y = ctx.emit(ANEURALNETWORKS_TRANSPOSE, {y, swap});
    if (!plan.view.empty()) {
      y = ctx.emit(ANEURALNETWORKS_RESHAPE, {y, ctx.i32Tensor(reshapeTarget(plan.physical))}, outputIn(plan.layout));
    }
    if (!a.weight.empty()) {
      const uint32_t w = ctx.f32Tensor(a.dims, a.weight, ir::Layout::Contiguous, ctx.outputName() + " weight");
      y = ctx.emit(ANEURALNETWORKS_MUL, {y, w, none}, outputIn(plan.layout));
    }
    if (!a.bias.empty()) {
      const uint32_t b = ctx.f32Tensor(a.dims, a.bias, ir::Layout::Contiguous, ctx.outputName() + " bias");
      y = ctx.emit(ANEURALNETWORKS_ADD, {y, b, none}, outputIn(plan.layout));
    }
    ctx.setOutput(0, y);
  };
}

// PyTorch's [N,C,H,W] map `shape` as NHWC dims, and the order that takes a [C,H,W] weight to [H,W,C].
std::vector<int64_t> nhwc(const std::vector<int64_t>& s) { return {s[0], s[2], s[3], s[1]}; }
std::vector<int64_t> chwToHwc(int64_t c, int64_t h, int64_t w) {
  std::vector<int64_t> order;
  for (int64_t y = 0; y < h; ++y)
    for (int64_t x = 0; x < w; ++x)
      for (int64_t k = 0; k < c; ++k) order.push_back((k * h + y) * w + x);
  return order;
}

void requireOneRunTimeExtent(const LoweringContext& ctx, const std::vector<int64_t>& shape) {
  ctx.require(runTimeExtentCount(shape) <= 1, ctx.node().kind + " of a tensor with more than one dimension fixed "
                                                                "only at run time (--input -1): RESHAPE infers one");
}

// A 4-D [N,C,H,W] map for instance_norm and group_norm.
std::vector<int64_t> mapShape(const LoweringContext& ctx) {
  const std::vector<int64_t> shape = ctx.inputShape(0);
  ctx.require(shape.size() == 4, ctx.node().kind + " is supported on 4-D [N,C,H,W] input only, got rank " +
                                     std::to_string(shape.size()));
  ctx.require(shape[1] != 0, ctx.node().kind + " of a map whose channel count is fixed only at run time");
  return shape;
}

// layer_norm(input, normalized_shape, weight?, bias?, eps, cudnn_enable)
Emitter lowerLayerNorm(const LoweringContext& ctx) {
  const ir::Operand& x = ctx.tensor(0);
  const std::vector<int64_t> shape = ctx.inputShape(0);
  const std::vector<int64_t> normalized = ctx.intListInput(1);
  const size_t k = normalized.size(), rank = shape.size();
  requireRankAtMost4(ctx, rank);
  ctx.require(k >= 1 && k <= rank && std::equal(normalized.begin(), normalized.end(), shape.end() - k),
              "layer_norm's normalized_shape must be the input's last dimensions");
  ctx.require(runTimeExtentCount(normalized) == 0,
              "layer_norm over a dimension fixed only at run time (--input -1) is not supported");
  requireOneRunTimeExtent(ctx, shape);
  const int64_t d = product(normalized);
  const int64_t rows = product(shape, 0, shape.size() - k);
  NormPlan plan;
  plan.eps = float(ctx.doubleInput(4));
  // A map normalized over C, H and W: the same elements in NHWC order; its weight [C,H,W] is reordered to match.
  const bool whole_map = x.layout == ir::Layout::ChannelsLast && k == 3;
  if (whole_map) {
    plan.layout = ir::Layout::ChannelsLast;
    plan.physical = nhwc(shape);
    plan.affine = affineOf(ctx, 2, 3, {uint32_t(shape[2]), uint32_t(shape[3]), uint32_t(shape[1])},
                           chwToHwc(shape[1], shape[2], shape[3]));
  } else {
    plan.layout = ir::Layout::Contiguous;
    plan.physical = shape;
    std::vector<uint32_t> dims(normalized.begin(), normalized.end());
    plan.affine = affineOf(ctx, 2, 3, dims);
  }
  plan.view = {rows, 1, d, 1};
  requireNormOperations(ctx, x, plan.affine, true, false);
  ctx.requireLayout(0, plan.layout);
  return normEmitter(plan);
}

// instance_norm(input, weight?, bias?, running_mean?, running_var?, use_input_stats, momentum, eps, cudnn_enabled)
Emitter lowerInstanceNorm(const LoweringContext& ctx) {
  if (!ctx.boolInput(5)) {
    const LowerFn batch_norm = registry().find("aten::batch_norm");
    return batch_norm(ctx);
  }
  const ir::Operand& x = ctx.tensor(0);
  const std::vector<int64_t> shape = mapShape(ctx);
  NormPlan plan{ir::Layout::ChannelsLast, {}, false, {}, float(ctx.doubleInput(7)),
                affineOf(ctx, 1, 2, {uint32_t(shape[1])})};
  requireNormOperations(ctx, x, plan.affine, false, false);
  ctx.requireLayout(0, plan.layout);
  return normEmitter(plan);
}

// group_norm(input, num_groups, weight?, bias?, eps, cudnn_enabled)
Emitter lowerGroupNorm(const LoweringContext& ctx) {
  const ir::Operand& x = ctx.tensor(0);
  const std::vector<int64_t> shape = mapShape(ctx);
  const int64_t groups = ctx.intInput(1), c = shape[1];
  ctx.require(groups >= 1 && c % groups == 0,
              "group_norm: " + std::to_string(c) + " channels are not divisible into " + std::to_string(groups) +
                  " groups");
  NormPlan plan{ir::Layout::ChannelsLast, {}, false, nhwc(shape), float(ctx.doubleInput(4)),
                affineOf(ctx, 2, 3, {uint32_t(c)})};
  if (groups == 1) {
    plan.view = {shape[0], 1, shape[2] * shape[3] * c, 1};
  } else if (groups != c) {
    plan.view = {shape[0], shape[2] * shape[3], groups, c / groups};
    plan.transpose = true;
  }
  if (!plan.view.empty()) requireOneRunTimeExtent(ctx, shape);
  requireNormOperations(ctx, x, plan.affine, !plan.view.empty(), plan.transpose);
  ctx.requireLayout(0, plan.layout);
  return normEmitter(plan);
}

}  // namespace

void registerNormalization(Registry& registry) {
  registry.add({"aten::layer_norm"}, lowerLayerNorm);
  registry.add({"aten::instance_norm"}, lowerInstanceNorm);
  registry.add({"aten::group_norm"}, lowerGroupNorm);
}

}  // namespace nnc
