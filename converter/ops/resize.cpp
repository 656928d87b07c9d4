// Resizing: aten::upsample_nearest2d, aten::_upsample_nearest_exact2d and aten::upsample_bilinear2d (what
// F.interpolate and nn.Upsample trace to), by output size or by scale factor, on the NHWC map. Two forms:
//
// 1. NNAPI's RESIZE_NEAREST_NEIGHBOR / RESIZE_BILINEAR, with the output size as i32 inputs, wherever NNAPI's
//    coordinate mapping at the target level is PyTorch's. NNAPI's scale is (align_corners && out > 1) ?
//    (in-1)/(out-1) : in/out, in float, from the operation's own input and output sizes:
//   - nearest:        PyTorch src = min(floor(dst * scale), in-1)        = NNAPI with neither flag (feature level 3);
//   - nearest-exact:  PyTorch src = min(floor((dst + 0.5) * scale), in-1) = NNAPI half_pixel_centers (level 4);
//   - bilinear, align_corners=True:  src = dst * (in-1)/(out-1)           = NNAPI align_corners (level 4);
//   - bilinear, align_corners=False: src = (dst + 0.5) * scale - 0.5      = NNAPI half_pixel_centers (level 4).
//    NNAPI's bilinear before level 4 maps src = dst * in/out ("legacy"), which is PyTorch's only where an axis is
//    unchanged or has one pixel (every mapping reads X[0]). PyTorch's scale is 1/scale_factor when a factor is
//    given: where that differs from in/out (a factor whose output size was rounded, e.g. 1.5 on 7 pixels), NNAPI's
//    mapping is not PyTorch's either.
// 2. Everywhere else (every bilinear resize below level 4 but those trivial ones, nearest-exact below level 4, a
//    factor NNAPI's in/out does not reproduce): the separable form, exact at feature level 3. PyTorch's kernels
//    interpolate one axis after the other, width first (h0·(w0·x00 + w1·x01) + h1·(w0·x10 + w1·x11)); the index
//    and weight vectors of each axis are computed at convert time as PyTorch computes them (ops/resize_sampling.h),
//    and each axis of the NHWC map becomes GATHER index0, GATHER index1, a MUL of each by its weights (a constant
//    shaped to broadcast along that axis: [out,1] for W of [N,H,W,C], [out,1,1] for H) and an ADD. An axis whose
//    mapping is the identity costs nothing, one whose every element reads one input pixel (nearest; bilinear from
//    a 1-pixel axis or by whole-pixel steps) only the GATHER of index0. The cost: about 2 GATHERs + 2 MULs + 1 ADD
//    per axis, on tensors of the output's size (the width pass on the input's height).
//    It replaces a padded legacy RESIZE_BILINEAR at twice the size and a STRIDED_SLICE, which was exact only for
//    align_corners=False by a whole factor and cost a resize 4 (1 + 1/in)^2 times the output's size: one general
//    exact form instead of two.
#include <algorithm>
#include <climits>
#include <cmath>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "nnapi/NeuralNetworks.h"
#include "ops/axis_layout.h"
#include "ops/checks.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"
#include "ops/resize_sampling.h"

namespace nnc {
namespace {

enum class Mode { Nearest, NearestExact, Bilinear };

// NNAPI's scale for one axis (the reference kernels' formula, in float).
float nnapiScale(const ResizeAxis& a, bool align_corners) {
  if (align_corners && a.out > 1) return float(a.in - 1) / float(a.out - 1);
  return float(a.in) / float(a.out);
}

// NNAPI's nearest source index with align_corners false and half_pixel_centers `exact`.
int64_t nnapiNearestIndex(const ResizeAxis& a, int64_t dst, bool exact) {
  const float scale = nnapiScale(a, false);
  const float f = exact ? (float(dst) + 0.5f) * scale : float(dst) * scale;
  return std::clamp<int64_t>(int64_t(std::floor(f)), 0, a.in - 1);
}

// Whether RESIZE_* with the level-4 flags (`flags`) or without them reads along axis `a` what PyTorch reads (see
// the file comment).
bool nnapiMapsAlike(const ResizeAxis& a, Mode mode, bool align_corners, bool flags) {
  if (mode == Mode::Bilinear) {
    if (!flags) return a.in == 1 || a.in == a.out;
    return torchScale(a, align_corners) == nnapiScale(a, align_corners);
  }
  const bool exact = mode == Mode::NearestExact;
  if (exact && !flags) return false;
  const std::vector<int32_t> torch = nearestSampling(a, exact).index0;
  for (int64_t dst = 0; dst < a.out; ++dst) {
    if (torch[size_t(dst)] != nnapiNearestIndex(a, dst, exact)) return false;
  }
  return true;
}

// The output size of one axis: given, or floor(in * factor) as PyTorch computes it.
int64_t outputExtent(const LoweringContext& ctx, const ResizeAxis& a) {
  const int64_t out = a.factor ? int64_t(std::floor(double(a.in) * *a.factor)) : a.out;
  ctx.require(out >= 1 && out <= INT32_MAX, ctx.node().kind + ": output extent " + std::to_string(out) +
                                                 " is outside NNAPI's range 1..2^31-1");
  return out;
}

// The two spatial axes from the node's size and scale arguments. Two overloads trace: .vec (output_size?,
// [align_corners,] scale_factors?) and the one with output_size and per-axis scales (scales_h?, scales_w?).
std::pair<ResizeAxis, ResizeAxis> spatialAxes(const LoweringContext& ctx, const std::vector<int64_t>& shape,
                                              size_t size_input, size_t scales_input) {
  ResizeAxis h{shape[2], 0, std::nullopt}, w{shape[3], 0, std::nullopt};
  const bool vec = ctx.inputCount() == scales_input + 1;
  if (!ctx.isNone(size_input)) {
    const std::vector<int64_t> size = ctx.intListInput(size_input);
    ctx.require(size.size() == 2, ctx.node().kind + " needs a 2-element output size");
    h.out = size[0];
    w.out = size[1];
  }
  if (vec && !ctx.isNone(scales_input)) {
    ctx.require(ctx.isNone(size_input), ctx.node().kind + " takes an output size or scale factors, not both");
    const Constant& factors = ctx.input(scales_input).constant;
    const auto* list = std::get_if<std::vector<double>>(&factors);
    ctx.require(list != nullptr && list->size() == 2, ctx.node().kind + " needs 2 scale factors");
    h.factor = (*list)[0];
    w.factor = (*list)[1];
  } else if (!vec) {
    if (!ctx.isNone(scales_input)) h.factor = ctx.doubleInput(scales_input);
    if (!ctx.isNone(scales_input + 1)) w.factor = ctx.doubleInput(scales_input + 1);
  }
  ctx.require(h.out > 0 || h.factor, ctx.node().kind + " needs an output size or scale factors");
  // Only the vec overload computes the size from the factors; the other is given both and keeps the factors for
  // the mapping alone.
  if (vec) {
    h.out = outputExtent(ctx, h);
    w.out = outputExtent(ctx, w);
  }
  return {h, w};
}
// RESIZE_NEAREST_NEIGHBOR / RESIZE_BILINEAR, with the layout input where the target has it (level 3; NHWC is
// the default before) and the level-4 flags when `flags`.
Emitter nnapiResizeEmitter(const LoweringContext& ctx, Mode mode, const ResizeAxis& h, const ResizeAxis& w,
                           bool align_corners, bool flags) {
  const int32_t op = mode == Mode::Bilinear ? ANEURALNETWORKS_RESIZE_BILINEAR : ANEURALNETWORKS_RESIZE_NEAREST_NEIGHBOR;
  const bool half_pixel = mode == Mode::NearestExact || (mode == Mode::Bilinear && !align_corners);
  const bool layout_input = ctx.hasFeature(nnapi_rules::Feature::LayoutInput);
  const int32_t out_h = int32_t(h.out), out_w = int32_t(w.out);
  return [=](LoweringContext& ctx) {
    // NNAPI takes (width, height), PyTorch's sizes are (height, width).
    std::vector<uint32_t> inputs = {ctx.operandInput(0, ir::Layout::ChannelsLast), ctx.i32(out_w), ctx.i32(out_h)};
    if (layout_input) inputs.push_back(ctx.boolean(false) /* NCHW */);
    if (flags) {
      inputs.push_back(ctx.boolean(align_corners));
      inputs.push_back(ctx.boolean(half_pixel));
    }
    ctx.setOutput(0, ctx.emit(op, inputs, outputIn(ir::Layout::ChannelsLast)));
  };
}

// One axis of the separable form: its physical NHWC axis, output extent, form and PyTorch's taps.
struct AxisStep {
  int32_t axis;
  uint32_t out;
  AxisForm form;
  AxisSampling sampling;
};

uint32_t emitAxisStep(LoweringContext& ctx, uint32_t x, const AxisStep& step) {
  const AxisSampling& s = step.sampling;
  const uint32_t tap0 = emitGatherAlong(ctx, x, step.axis, s.index0);
  if (step.form == AxisForm::Gather) return tap0;
  const uint32_t tap1 = emitGatherAlong(ctx, x, step.axis, s.index1);
  // The weights vary along the axis and broadcast over the axes after it: [out, 1] for W, [out, 1, 1] for H.
  std::vector<uint32_t> dims(size_t(4 - step.axis), 1);
  dims[0] = step.out;
  const std::string name = ctx.outputName() + (step.axis == 1 ? " height" : " width") + " weights";
  auto weighted = [&](uint32_t tap, const std::vector<float>& weights, const char* which) {
    const uint32_t w = ctx.f32Tensor(dims, weights, ir::Layout::Contiguous, name + which);
    return emitKeepingLayout(ctx, ANEURALNETWORKS_MUL, {tap, w, ctx.i32(ANEURALNETWORKS_FUSED_NONE)}, tap);
  };
  const uint32_t part0 = weighted(tap0, s.weight0, " 0");
  const uint32_t part1 = weighted(tap1, s.weight1, " 1");
  return emitKeepingLayout(ctx, ANEURALNETWORKS_ADD, {part0, part1, ctx.i32(ANEURALNETWORKS_FUSED_NONE)}, part0);
}

// The separable GATHER form (see the file comment), width first as PyTorch.
Emitter separableEmitter(const LoweringContext& ctx, Mode mode, const ResizeAxis& h, const ResizeAxis& w,
                         bool align_corners) {
  const int32_t type = ctx.tensor(0).type;
  const std::string use = ctx.node().kind + " where NNAPI's RESIZE does not map like PyTorch (GATHERs per axis)";
  ctx.requireOperation(ANEURALNETWORKS_GATHER, type, use);
  std::vector<AxisStep> steps;
  // NHWC: width is physical axis 2, height axis 1.
  for (const auto& [axis, a, name] : {std::tuple{2, w, "width"}, std::tuple{1, h, "height"}}) {
    AxisSampling s = mode == Mode::Bilinear ? bilinearSampling(a, align_corners)
                                            : nearestSampling(a, mode == Mode::NearestExact);
    const int32_t last = std::max(*std::max_element(s.index0.begin(), s.index0.end()),
                                  *std::max_element(s.index1.begin(), s.index1.end()));
    ctx.require(last < a.in, ctx.node().kind + ": PyTorch's scale factor " + std::to_string(a.factor.value_or(0)) +
                                 " reads " + name + " " + std::to_string(last) + " of an input of " +
                                 std::to_string(a.in) + " (an output size and scale factors that disagree)");
    const AxisForm form = axisForm(a, s);
    if (form == AxisForm::Identity) continue;
    if (form == AxisForm::Interpolate) {
      ctx.requireOperation(ANEURALNETWORKS_MUL, type, use);
      ctx.requireOperation(ANEURALNETWORKS_ADD, type, use);
    }
    steps.push_back({axis, uint32_t(a.out), form, std::move(s)});
  }
  return [steps](LoweringContext& ctx) {
    uint32_t y = ctx.operandInput(0, ir::Layout::ChannelsLast);
    for (const AxisStep& step : steps) y = emitAxisStep(ctx, y, step);
    ctx.setOutput(0, y);
  };
}

Emitter resizeEmitter(const LoweringContext& ctx, Mode mode, size_t size_input, size_t scales_input,
                      bool align_corners) {
  const ir::Operand& x = ctx.tensor(0);
  requireFloat32(ctx, x);
  const std::vector<int64_t> shape = ctx.inputShape(0);
  ctx.require(shape.size() == 4, ctx.node().kind + " is supported on 4-D [N,C,H,W] input only, got rank " +
                                     std::to_string(shape.size()));
  ctx.require(shape[2] != 0 && shape[3] != 0, ctx.node().kind + " of a map whose height or width is fixed only at "
                                              "run time (--input -1): where it reads is not known");
  const auto [h, w] = spatialAxes(ctx, shape, size_input, scales_input);
  ctx.requireLayout(0, ir::Layout::ChannelsLast);
  const int32_t op = mode == Mode::Bilinear ? ANEURALNETWORKS_RESIZE_BILINEAR : ANEURALNETWORKS_RESIZE_NEAREST_NEIGHBOR;
  // Plain nearest is NNAPI's default mapping; the others take the level-4 flags where the target has them.
  const bool flags = mode != Mode::Nearest && ctx.hasFeature(nnapi_rules::Feature::ResizeAlignCorners);
  if (ctx.hasOperation(op, x.type) && nnapiMapsAlike(h, mode, align_corners, flags) &&
      nnapiMapsAlike(w, mode, align_corners, flags)) {
    return nnapiResizeEmitter(ctx, mode, h, w, align_corners, flags);
  }
  return separableEmitter(ctx, mode, h, w, align_corners);
}

// upsample_nearest2d.vec(input, output_size?, scale_factors?) / (input, output_size, scales_h?, scales_w?)
template <Mode kMode>
Emitter lowerUpsampleNearest(const LoweringContext& ctx) {
  return resizeEmitter(ctx, kMode, 1, 2, false);
}

// upsample_bilinear2d.vec(input, output_size?, align_corners, scale_factors?) /
// (input, output_size, align_corners, scales_h?, scales_w?)
Emitter lowerUpsampleBilinear(const LoweringContext& ctx) {
  return resizeEmitter(ctx, Mode::Bilinear, 1, 3, ctx.boolInput(2));
}

}  // namespace

void registerResize(Registry& registry) {
  registry.add({"aten::upsample_nearest2d"}, lowerUpsampleNearest<Mode::Nearest>);
  registry.add({"aten::_upsample_nearest_exact2d"}, lowerUpsampleNearest<Mode::NearestExact>);
  registry.add({"aten::upsample_bilinear2d"}, lowerUpsampleBilinear);
}

}  // namespace nnc
