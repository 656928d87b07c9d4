// Plain reference implementations of the float kernels, written straight from the NNAPI definitions
// (nnapi-reference.md §10) with no tiling, no threads and double accumulation, plus test utilities.
// The optimised kernels are checked against these on random data.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "kernels/spatial.h"

namespace nnapi_host::kernels::test {

inline std::vector<float> randomValues(std::size_t count, uint32_t seed, float limit = 1.0f) {
  std::mt19937 generator(seed);
  std::uniform_real_distribution<float> distribution(-limit, limit);
  std::vector<float> values(count);
  for (float& v : values) v = distribution(generator);
  return values;
}

// §9: out = (in − eff_k + s + head + tail) / s.
inline uint32_t outputExtent(uint32_t in, uint32_t filter, uint32_t stride, uint32_t dilation, uint32_t head,
                             uint32_t tail) {
  const uint32_t effective = (filter - 1) * dilation + 1;
  return (in - effective + stride + head + tail) / stride;
}

inline Shape4 convOutputShape(Shape4 in, const Window& win, uint32_t outChannels) {
  return {in.n, outputExtent(in.h, win.filter_h, win.stride_h, win.dilation_h, win.pad_top, win.pad_bottom),
          outputExtent(in.w, win.filter_w, win.stride_w, win.dilation_w, win.pad_left, win.pad_right), outChannels};
}

inline float clampTo(double v, FloatRange act) {
  return float(std::min<double>(std::max<double>(v, act.min), act.max));
}

inline std::size_t nhwc(Shape4 s, std::size_t n, std::size_t h, std::size_t w, std::size_t c) {
  return ((n * s.h + h) * s.w + w) * s.c + c;
}

// CONV_2D / GROUPED_CONV_2D: filter [Cout, KH, KW, Cin/G].
inline std::vector<float> referenceConv(const std::vector<float>& input, Shape4 in, const std::vector<float>& filter,
                                        const std::vector<float>& bias, uint32_t groups, const Window& win,
                                        FloatRange act, Shape4 out) {
  std::vector<float> result(out.elements());
  const uint32_t cinG = in.c / groups, coutG = out.c / groups;
  for (uint32_t n = 0; n < out.n; ++n)
    for (uint32_t oh = 0; oh < out.h; ++oh)
      for (uint32_t ow = 0; ow < out.w; ++ow)
        for (uint32_t o = 0; o < out.c; ++o) {
          const uint32_t g = o / coutG;
          double sum = bias.empty() ? 0.0 : bias[o];
          for (uint32_t kh = 0; kh < win.filter_h; ++kh)
            for (uint32_t kw = 0; kw < win.filter_w; ++kw) {
              const long ih = long(oh * win.stride_h + kh * win.dilation_h) - long(win.pad_top);
              const long iw = long(ow * win.stride_w + kw * win.dilation_w) - long(win.pad_left);
              if (ih < 0 || iw < 0 || ih >= long(in.h) || iw >= long(in.w)) continue;
              for (uint32_t i = 0; i < cinG; ++i) {
                sum += double(input[nhwc(in, n, ih, iw, g * cinG + i)]) *
                       filter[((std::size_t(o) * win.filter_h + kh) * win.filter_w + kw) * cinG + i];
              }
            }
          result[nhwc(out, n, oh, ow, o)] = clampTo(sum, act);
        }
  return result;
}

// DEPTHWISE_CONV_2D: filter [1, KH, KW, Cout]; output channel k·m+q reads input channel k.
inline std::vector<float> referenceDepthwise(const std::vector<float>& input, Shape4 in,
                                             const std::vector<float>& filter, const std::vector<float>& bias,
                                             uint32_t multiplier, const Window& win, FloatRange act, Shape4 out) {
  std::vector<float> result(out.elements());
  for (uint32_t n = 0; n < out.n; ++n)
    for (uint32_t oh = 0; oh < out.h; ++oh)
      for (uint32_t ow = 0; ow < out.w; ++ow)
        for (uint32_t o = 0; o < out.c; ++o) {
          double sum = bias.empty() ? 0.0 : bias[o];
          for (uint32_t kh = 0; kh < win.filter_h; ++kh)
            for (uint32_t kw = 0; kw < win.filter_w; ++kw) {
              const long ih = long(oh * win.stride_h + kh * win.dilation_h) - long(win.pad_top);
              const long iw = long(ow * win.stride_w + kw * win.dilation_w) - long(win.pad_left);
              if (ih < 0 || iw < 0 || ih >= long(in.h) || iw >= long(in.w)) continue;
              sum += double(input[nhwc(in, n, ih, iw, o / multiplier)]) *
                     filter[(std::size_t(kh) * win.filter_w + kw) * out.c + o];
            }
          result[nhwc(out, n, oh, ow, o)] = clampTo(sum, act);
        }
  return result;
}

// TRANSPOSE_CONV_2D in NNAPI's own scatter form: every input pixel adds in[h,w,:]·filter[o,i,j,:] at
// (h·s_h − pad_top + i, w·s_w − pad_left + j) when that lies inside the output. Filter [Cout, KH, KW, Cin].
inline std::vector<float> referenceTransposeConv(const std::vector<float>& input, Shape4 in,
                                                 const std::vector<float>& filter, const std::vector<float>& bias,
                                                 const Window& win, FloatRange act, Shape4 out) {
  std::vector<double> sums(out.elements(), 0.0);
  for (uint32_t n = 0; n < in.n; ++n)
    for (uint32_t h = 0; h < in.h; ++h)
      for (uint32_t w = 0; w < in.w; ++w)
        for (uint32_t i = 0; i < win.filter_h; ++i)
          for (uint32_t j = 0; j < win.filter_w; ++j) {
            const long oh = long(h * win.stride_h + i) - long(win.pad_top);
            const long ow = long(w * win.stride_w + j) - long(win.pad_left);
            if (oh < 0 || ow < 0 || oh >= long(out.h) || ow >= long(out.w)) continue;
            for (uint32_t o = 0; o < out.c; ++o)
              for (uint32_t c = 0; c < in.c; ++c)
                sums[nhwc(out, n, oh, ow, o)] += double(input[nhwc(in, n, h, w, c)]) *
                                                 filter[((std::size_t(o) * win.filter_h + i) * win.filter_w + j) * in.c + c];
          }
  std::vector<float> result(out.elements());
  for (std::size_t k = 0; k < result.size(); ++k) result[k] = clampTo(sums[k] + (bias.empty() ? 0.0 : bias[k % out.c]), act);
  return result;
}

enum class PoolKind { kAverage, kMax, kL2 };

// Pools over the taps inside the input only (padding taps neither count nor divide).
inline std::vector<float> referencePool(PoolKind kind, const std::vector<float>& input, Shape4 in, const Window& win,
                                        FloatRange act, Shape4 out) {
  std::vector<float> result(out.elements());
  for (uint32_t n = 0; n < out.n; ++n)
    for (uint32_t oh = 0; oh < out.h; ++oh)
      for (uint32_t ow = 0; ow < out.w; ++ow)
        for (uint32_t c = 0; c < out.c; ++c) {
          double acc = kind == PoolKind::kMax ? -INFINITY : 0.0;
          int taps = 0;
          for (uint32_t kh = 0; kh < win.filter_h; ++kh)
            for (uint32_t kw = 0; kw < win.filter_w; ++kw) {
              const long ih = long(oh * win.stride_h + kh) - long(win.pad_top);
              const long iw = long(ow * win.stride_w + kw) - long(win.pad_left);
              if (ih < 0 || iw < 0 || ih >= long(in.h) || iw >= long(in.w)) continue;
              const double x = input[nhwc(in, n, ih, iw, c)];
              acc = kind == PoolKind::kMax ? std::max(acc, x) : kind == PoolKind::kL2 ? acc + x * x : acc + x;
              ++taps;
            }
          if (kind == PoolKind::kAverage) acc /= taps;
          if (kind == PoolKind::kL2) acc = std::sqrt(acc / taps);
          result[nhwc(out, n, oh, ow, c)] = clampTo(acc, act);
        }
  return result;
}

inline std::vector<float> referenceFullyConnected(const std::vector<float>& input, uint32_t batch,
                                                  uint32_t inputSize, const std::vector<float>& weights,
                                                  const std::vector<float>& bias, uint32_t units, FloatRange act) {
  std::vector<float> result(std::size_t(batch) * units);
  for (uint32_t b = 0; b < batch; ++b)
    for (uint32_t u = 0; u < units; ++u) {
      double sum = bias.empty() ? 0.0 : bias[u];
      for (uint32_t i = 0; i < inputSize; ++i) sum += double(input[std::size_t(b) * inputSize + i]) * weights[std::size_t(u) * inputSize + i];
      result[std::size_t(b) * units + u] = clampTo(sum, act);
    }
  return result;
}

// Tolerance for a float result that sums `reductionSize` products of values bounded by `maxProduct` (inputs
// in [−1, 1] here, so 1), compared with a double-accumulated reference: float rounding in a sum of K terms
// grows like √K·ε·Σ|terms| in practice (ε = 1.2e-7), below 1e-5·K·maxProduct for the K ≤ 5000 used here, while an
// indexing or padding mistake moves a result by about one whole product.
inline float sumTolerance(std::size_t reductionSize, float maxProduct = 1.0f) {
  return 1e-5f * float(std::max<std::size_t>(reductionSize, 1)) * maxProduct;
}

// Largest |a−b| over two equally long arrays (infinity if the lengths differ or a value is NaN).
inline float maxAbsDifference(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return INFINITY;
  float worst = 0.0f;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const float difference = std::fabs(a[i] - b[i]);
    if (std::isnan(difference)) return INFINITY;  // std::max would silently drop a NaN
    worst = std::max(worst, difference);
  }
  return worst;
}

}  // namespace nnapi_host::kernels::test
