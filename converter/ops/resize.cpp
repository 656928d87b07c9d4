// Resizing: aten::upsample_nearest2d, aten::_upsample_nearest_exact2d and aten::upsample_bilinear2d (what
// F.interpolate and nn.Upsample trace to), by output size or by scale factor -> RESIZE_NEAREST_NEIGHBOR /
// RESIZE_BILINEAR on the NHWC map, always with the output size as i32 inputs (known at convert time).
//
// Which NNAPI coordinate mapping matches PyTorch's (NNAPI: scale = (align_corners && out > 1) ? (in-1)/(out-1)
// : in/out, in float, from the operation's own input and output sizes):
//   - nearest:        PyTorch src = min(floor(dst * scale), in-1)        = NNAPI with neither flag (feature level 3);
//   - nearest-exact:  PyTorch src = min(floor((dst + 0.5) * scale), in-1) = NNAPI half_pixel_centers (level 4);
//   - bilinear, align_corners=True:  src = dst * (in-1)/(out-1)           = NNAPI align_corners (level 4);
//   - bilinear, align_corners=False: src = (dst + 0.5) * scale - 0.5      = NNAPI half_pixel_centers (level 4).
// NNAPI's bilinear before level 4 maps src = dst * in/out ("legacy"), which is neither of PyTorch's, so bilinear
// takes the level-4 flags when the target has them. Below level 4 (Android 10) two cases are still exact, per axis:
//   - in == 1 or in == out: every mapping reads X[0], or src = dst exactly (scale 1): plain legacy RESIZE_BILINEAR;
//   - align_corners=False and out = s * in, s a whole number >= 2 (the usual segmentation upsample): pad the axis by
//     ONE edge-replicated pixel in front (P[i] = X[max(i - 1, 0)], extent in + 1), resize P with the legacy mapping
//     to out' = 2s(in + 1), and keep every second element from index s + 1 (out of them). Output element dst is
//     legacy element dst' = 2 dst + s + 1, whose source is dst' * (in + 1) / out' = (2 dst + s + 1) / (2s)
//     = (dst + 0.5) / s - 0.5 + 1: PyTorch's source position, plus one for the padded pixel. PyTorch clamps a
//     negative source to 0: that is the padded pixel P[0] = X[0] (P's positions stay >= (s + 1) / (2s) > 0.5, so
//     between P[0] and P[1] = X[0]); past in - 1 it clamps to X[in - 1], which NNAPI's own clamp at P[in] is (the
//     largest position, in + 0.5 - 1/(2s), stays below in + 1). In float the legacy scale is float(in + 1) /
//     float(out'), the correctly rounded 1/(2s), exact for s a power of two and within an ulp of PyTorch's
//     float(1/s) / 2 otherwise; the interpolation is continuous in the position, so the result is PyTorch's to
//     float rounding.
//     The pad is one GATHER per padded axis (indices 0, 0, 1, ..., in - 1 along the NHWC axis, feature level 3)
//     rather than a one-row STRIDED_SLICE and a CONCATENATION: one operation instead of two, copying the same map.
//     The slice is one STRIDED_SLICE over both axes. The cost is a legacy resize about 4 (1 + 1/in)^2 times the
//     output's size.
// Every other bilinear resize needs level 4 and is refused below it.
// PyTorch's scale is 1/scale_factor when a scale factor is given, in/out otherwise; NNAPI always uses in/out. The
// support question computes every source index (nearest) or the scale (bilinear) both ways and refuses when they
// differ (a scale factor whose output size was rounded, e.g. 1.5 on 7 pixels), instead of emitting a shifted grid.
#include <algorithm>
#include <climits>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>

#include "nnapi/NeuralNetworks.h"
#include "ops/axis_layout.h"
#include "ops/checks.h"
#include "ops/layout_axes.h"
#include "ops/registry.h"

namespace nnc {
namespace {

enum class Mode { Nearest, NearestExact, Bilinear };

// One spatial axis of the resize: input and output extents and the scale factor PyTorch was given, if any.
struct Axis {
  int64_t in = 0, out = 0;
  std::optional<double> factor;
};

// NNAPI's scale for one axis (the reference kernels' formula, in float).
float nnapiScale(const Axis& a, bool align_corners) {
  if (align_corners && a.out > 1) return float(a.in - 1) / float(a.out - 1);
  return float(a.in) / float(a.out);
}

// PyTorch's scale for one axis (area_pixel_compute_scale / compute_scales_value, in float).
float torchScale(const Axis& a, bool align_corners) {
  if (align_corners) return a.out > 1 ? float(a.in - 1) / float(a.out - 1) : 0.0f;
  if (a.factor && *a.factor > 0) return float(1.0 / *a.factor);
  return float(a.in) / float(a.out);
}

// PyTorch's nearest source index (nearest_idx, and nearest_neighbor_exact_compute_source_index whose
// dst + 0.5 is a double).
int64_t torchNearestIndex(const Axis& a, int64_t dst, bool exact) {
  const float scale = torchScale(a, false);
  if (exact) return std::min(int64_t(std::floor((double(dst) + 0.5) * scale)), a.in - 1);
  if (a.out == a.in) return dst;
  if (a.out == 2 * a.in) return dst >> 1;
  return std::min(int64_t(std::floor(float(dst) * scale)), a.in - 1);
}

// NNAPI's nearest source index with align_corners false and half_pixel_centers `exact`.
int64_t nnapiNearestIndex(const Axis& a, int64_t dst, bool exact) {
  const float scale = nnapiScale(a, false);
  const float f = exact ? (float(dst) + 0.5f) * scale : float(dst) * scale;
  return std::clamp<int64_t>(int64_t(std::floor(f)), 0, a.in - 1);
}

void requireSameMapping(const LoweringContext& ctx, const Axis& a, const char* name, Mode mode, bool align_corners) {
  const std::string how = a.factor ? "PyTorch's scale factor " + std::to_string(*a.factor) : "PyTorch's rounding";
  const std::string why = ctx.node().kind + ": " + how + " maps " + name + " " + std::to_string(a.out) + " -> " +
                          std::to_string(a.in) + " differently from the output size NNAPI computes its scale from "
                          "(in/out, in float)";
  if (mode == Mode::Bilinear) {
    ctx.require(torchScale(a, align_corners) == nnapiScale(a, align_corners), why);
    return;
  }
  for (int64_t dst = 0; dst < a.out; ++dst) {
    const bool exact = mode == Mode::NearestExact;
    ctx.require(torchNearestIndex(a, dst, exact) == nnapiNearestIndex(a, dst, exact), why);
  }
}

// The output size of one axis: given, or floor(in * factor) as PyTorch computes it.
int64_t outputExtent(const LoweringContext& ctx, const Axis& a) {
  const int64_t out = a.factor ? int64_t(std::floor(double(a.in) * *a.factor)) : a.out;
  ctx.require(out >= 1 && out <= INT32_MAX, ctx.node().kind + ": output extent " + std::to_string(out) +
                                                 " is outside NNAPI's range 1..2^31-1");
  return out;
}

// The two spatial axes from the node's size and scale arguments. Two overloads trace: .vec (output_size?,
// [align_corners,] scale_factors?) and the one with output_size and per-axis scales (scales_h?, scales_w?).
std::pair<Axis, Axis> spatialAxes(const LoweringContext& ctx, const std::vector<int64_t>& shape, size_t size_input,
                                  size_t scales_input) {
  Axis h{shape[2], 0, std::nullopt}, w{shape[3], 0, std::nullopt};
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

// How the level-3 form resizes one axis (see the file comment): `factor` s >= 2 when padded, 0 when plain.
struct LegacyAxis {
  int32_t in = 0, out = 0, factor = 0;

  int32_t resized() const { return factor ? 2 * factor * (in + 1) : out; }
};

LegacyAxis legacyAxis(const LoweringContext& ctx, const Axis& a, const char* name, bool align_corners) {
  if (a.in == 1 || a.in == a.out) return {int32_t(a.in), int32_t(a.out), 0};
  ctx.require(!align_corners && a.out % a.in == 0,
              ctx.node().kind + " of " + name + " " + std::to_string(a.in) + " -> " + std::to_string(a.out) +
                  (align_corners ? " with align_corners=True" : "") +
                  " needs Android 11 (feature level 4: RESIZE_BILINEAR's align_corners / half_pixel_centers); "
                  "below it only align_corners=False by a whole factor, a 1-pixel axis or an unchanged one are exact");
  const int64_t factor = a.out / a.in;
  ctx.require(2 * factor * (a.in + 1) <= INT32_MAX, ctx.node().kind + ": the padded resize of " + name + " " +
                                                        std::to_string(a.in) + " -> " + std::to_string(a.out) +
                                                        " is beyond NNAPI's int32 extents");
  return {int32_t(a.in), int32_t(a.out), int32_t(factor)};
}

// Bilinear below feature level 4: GATHER pads, legacy RESIZE_BILINEAR, STRIDED_SLICE (see the file comment).
Emitter legacyBilinearEmitter(const LoweringContext& ctx, const Axis& height, const Axis& width, bool align_corners) {
  const LegacyAxis h = legacyAxis(ctx, height, "height", align_corners);
  const LegacyAxis w = legacyAxis(ctx, width, "width", align_corners);
  const int32_t type = ctx.tensor(0).type;
  ctx.requireOperation(ANEURALNETWORKS_RESIZE_BILINEAR, type);
  const bool padded = h.factor || w.factor;
  if (padded) {
    ctx.requireOperation(ANEURALNETWORKS_GATHER, type, "bilinear upsampling below Android 11 (edge padding)");
    ctx.requireOperation(ANEURALNETWORKS_STRIDED_SLICE, type, "bilinear upsampling below Android 11");
  }
  ctx.requireLayout(0, ir::Layout::ChannelsLast);
  return [h, w, padded](LoweringContext& ctx) {
    const auto spec = outputIn(ir::Layout::ChannelsLast);
    uint32_t y = ctx.operandInput(0, ir::Layout::ChannelsLast);
    // NHWC: height is physical axis 1, width axis 2.
    for (const auto& [axis, a] : {std::pair{1, h}, std::pair{2, w}}) {
      if (!a.factor) continue;
      std::vector<int32_t> indices(size_t(a.in) + 1, 0);  // 0, then 0 .. in-1
      std::iota(indices.begin() + 1, indices.end(), 0);
      y = emitGatherAlong(ctx, y, axis, indices);
    }
    // NNAPI takes (width, height).
    y = ctx.emit(ANEURALNETWORKS_RESIZE_BILINEAR,
                 {y, ctx.i32(w.resized()), ctx.i32(h.resized()), ctx.boolean(false) /* NCHW */}, spec);
    if (padded) {
      // Padded axes: elements s+1, s+3, ..., s+1 + 2(out-1); plain ones whole. N and C masked (bits 0 and 3).
      auto begin = [](const LegacyAxis& a) { return a.factor ? a.factor + 1 : 0; };
      auto end = [](const LegacyAxis& a) { return a.factor ? a.factor + 2 * a.out : a.out; };
      auto stride = [](const LegacyAxis& a) { return a.factor ? 2 : 1; };
      const int32_t batch_and_channels = 0b1001;
      y = ctx.emit(ANEURALNETWORKS_STRIDED_SLICE,
                   {y, ctx.i32Tensor({0, begin(h), begin(w), 0}), ctx.i32Tensor({0, end(h), end(w), 0}),
                    ctx.i32Tensor({1, stride(h), stride(w), 1}), ctx.i32(batch_and_channels),
                    ctx.i32(batch_and_channels), ctx.i32(0)},
                   spec);
    }
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
                                              "run time (--input -1): the scale NNAPI uses is not known");
  const auto [h, w] = spatialAxes(ctx, shape, size_input, scales_input);
  requireSameMapping(ctx, h, "height", mode, align_corners);
  requireSameMapping(ctx, w, "width", mode, align_corners);
  if (mode == Mode::Bilinear && !ctx.hasFeature(nnapi_rules::Feature::ResizeAlignCorners)) {
    return legacyBilinearEmitter(ctx, h, w, align_corners);
  }
  const int32_t op = mode == Mode::Bilinear ? ANEURALNETWORKS_RESIZE_BILINEAR : ANEURALNETWORKS_RESIZE_NEAREST_NEIGHBOR;
  ctx.requireOperation(op, x.type);
  // Plain nearest is NNAPI's default mapping; the others need the level-4 flags.
  const bool flags = mode != Mode::Nearest;
  if (flags) ctx.requireFeature(nnapi_rules::Feature::ResizeAlignCorners, op);
  ctx.requireLayout(0, ir::Layout::ChannelsLast);
  const bool half_pixel = mode == Mode::NearestExact || (mode == Mode::Bilinear && !align_corners);
  const int32_t out_h = int32_t(h.out), out_w = int32_t(w.out);
  return [=](LoweringContext& ctx) {
    // NNAPI takes (width, height), PyTorch's sizes are (height, width).
    std::vector<uint32_t> inputs = {ctx.operandInput(0, ir::Layout::ChannelsLast), ctx.i32(out_w), ctx.i32(out_h),
                                    ctx.boolean(false) /* NCHW */};
    if (flags) {
      inputs.push_back(ctx.boolean(align_corners));
      inputs.push_back(ctx.boolean(half_pixel));
    }
    ctx.setOutput(0, ctx.emit(op, inputs, outputIn(ir::Layout::ChannelsLast)));
  };
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
