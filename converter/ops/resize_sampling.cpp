#include "ops/resize_sampling.h"

#include <algorithm>
#include <cmath>

namespace nnc {

float torchScale(const ResizeAxis& a, bool align_corners) {
  if (align_corners) return a.out > 1 ? float(a.in - 1) / float(a.out - 1) : 0.0f;
  if (a.factor && *a.factor > 0) return float(1.0 / *a.factor);
  return float(a.in) / float(a.out);
}

AxisSampling bilinearSampling(const ResizeAxis& a, bool align_corners) {
  AxisSampling s;
  const float scale = torchScale(a, align_corners);
  for (int64_t d = 0; d < a.out; ++d) {
    if (a.out == a.in) {  // PyTorch copies an axis of unchanged extent, whatever its scale factor
      s.index0.push_back(int32_t(d));
      s.index1.push_back(int32_t(d));
      s.weight0.push_back(1.0f);
      s.weight1.push_back(0.0f);
      continue;
    }
    // The source position is computed in double (PyTorch's accumulate type for float) from the float scale, and
    // clamped at 0 for align_corners=False; the weights are float.
    const double src = align_corners ? double(scale) * double(d)
                                     : std::max(double(scale) * (double(d) + 0.5) - 0.5, 0.0);
    const int64_t i0 = int64_t(src);
    const float lambda1 = float(src - double(i0));
    s.index0.push_back(int32_t(i0));
    s.index1.push_back(int32_t(i0 < a.in - 1 ? i0 + 1 : i0));
    s.weight0.push_back(1.0f - lambda1);
    s.weight1.push_back(lambda1);
  }
  return s;
}

AxisSampling nearestSampling(const ResizeAxis& a, bool exact) {
  AxisSampling s;
  const float scale = torchScale(a, false);
  for (int64_t d = 0; d < a.out; ++d) {
    int64_t i = 0;
    if (exact) {
      // (d + 0.5) is a double, the product too; floorf takes it rounded to float.
      i = int64_t(std::floor(float((double(d) + 0.5) * double(scale))));
    } else if (a.out == a.in) {  // nearest_idx's special cases, whatever the scale factor
      i = d;
    } else if (a.out == 2 * a.in) {
      i = d >> 1;
    } else {
      i = int64_t(std::floor(float(d) * scale));
    }
    i = std::min(i, a.in - 1);
    s.index0.push_back(int32_t(i));
    s.index1.push_back(int32_t(i));
    s.weight0.push_back(1.0f);
    s.weight1.push_back(0.0f);
  }
  return s;
}

AxisForm axisForm(const ResizeAxis& a, const AxisSampling& s) {
  bool identity = a.in == a.out;
  for (size_t d = 0; d < s.index0.size(); ++d) {
    const bool one_tap = (s.weight1[d] == 0.0f && s.weight0[d] == 1.0f) ||
                         (s.index1[d] == s.index0[d] && s.weight0[d] + s.weight1[d] == 1.0f);
    if (!one_tap) return AxisForm::Interpolate;
    identity = identity && s.index0[d] == int32_t(d);
  }
  return identity ? AxisForm::Identity : AxisForm::Gather;
}

}  // namespace nnc
