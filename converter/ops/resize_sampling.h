// Where each output element of one resized axis reads its input, computed at convert time exactly as PyTorch's CPU
// kernels do (aten/src/ATen/native/UpSample.h). Torch-free and NNAPI-free: converter/ops/resize.cpp turns it into
// GATHERs, MULs and an ADD along that axis, or checks NNAPI's own RESIZE_* mapping against it.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace nnc {

// One spatial axis of a resize: input and output extents and the scale factor PyTorch was given, if any.
struct ResizeAxis {
  int64_t in = 0, out = 0;
  std::optional<double> factor;
};

// PyTorch's scale for one axis (area_pixel_compute_scale, in float): (in-1)/(out-1) with align_corners (0 for one
// output element); otherwise 1/factor when a positive factor was given, else in/out (compute_scales_value).
float torchScale(const ResizeAxis& a, bool align_corners);

// Output element d of the axis is weight0[d] * x[index0[d]] + weight1[d] * x[index1[d]], PyTorch's two taps.
struct AxisSampling {
  std::vector<int32_t> index0, index1;
  std::vector<float> weight0, weight1;
};

// Linear interpolation along the axis (upsample_bilinear2d's compute_source_index_and_lambda).
AxisSampling bilinearSampling(const ResizeAxis& a, bool align_corners);

// Nearest neighbour (nearest_idx; with `exact`, nearest_exact_idx): one tap of weight 1.
AxisSampling nearestSampling(const ResizeAxis& a, bool exact);

// What the axis needs: nothing (each output element is its input element), one GATHER of index0 (every element
// reads one input element with weight 1: where index1 is index0 the weights sum to 1 in float, as 1 - λ1 + λ1
// does), or both taps (two GATHERs, a MUL each, an ADD).
enum class AxisForm { Identity, Gather, Interpolate };
AxisForm axisForm(const ResizeAxis& a, const AxisSampling& s);

}  // namespace nnc
