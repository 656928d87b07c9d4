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
// NNAPI's bilinear before level 4 maps src = dst * in/out, which is neither of PyTorch's, so bilinear needs level 4.
// PyTorch's scale is 1/scale_factor when a scale factor is given, in/out otherwise; NNAPI always uses in/out. The
// support question computes every source index (nearest) or the scale (bilinear) both ways and refuses when they
// differ (a scale factor whose output size was rounded, e.g. 1.5 on 7 pixels), instead of emitting a shifted grid.
#include <algorithm>
#include <climits>
#include <cmath>
#include <optional>
#include <string>

#include "nnapi/NeuralNetworks.h"
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
