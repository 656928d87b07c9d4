// AVERAGE_POOL_2D, MAX_POOL_2D and L2_POOL_2D in float32.
//
// The three differ only in how taps are combined, so one window walk serves all of them, parameterised by a
// small reduction type. Each output pixel's C values are accumulated in place in the output (contiguous in
// NHWC, so the per-tap loop runs over channels and vectorises). Padding taps are skipped entirely: NNAPI
// (like TFLite) divides the average and the L2 mean by the number of taps inside the input.
#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/compute_f32.h"
#include "kernels/parallel_for.h"

namespace nnapi_host::kernels {
namespace {

struct AverageReduction {
  static constexpr float kInitial = 0.0f;
  static float combine(float acc, float x) { return acc + x; }
  static float finish(float acc, float validTaps) { return acc / validTaps; }
};

struct MaxReduction {
  static constexpr float kInitial = -std::numeric_limits<float>::infinity();
  static float combine(float acc, float x) { return std::max(acc, x); }
  static float finish(float acc, float) { return acc; }
};

struct L2Reduction {
  static constexpr float kInitial = 0.0f;
  static float combine(float acc, float x) { return acc + x * x; }
  static float finish(float acc, float validTaps) { return std::sqrt(acc / validTaps); }
};

template <typename Reduction>
void pool2dF32(const float* input, Shape4 in, const Window& win, FloatRange act, float* output, Shape4 out) {
  const std::size_t channels = in.c;
  const std::size_t outRows = std::size_t(out.n) * out.h;
  parallelForRanges(outRows, 1, [&](std::size_t rowBegin, std::size_t rowEnd) {
    for (std::size_t row = rowBegin; row < rowEnd; ++row) {
      const std::size_t n = row / out.h;
      const std::size_t oh = row % out.h;
      // Clipping the window to the input once per pixel keeps the tap loops free of bounds checks.
      const long hStart = long(oh * win.stride_h) - long(win.pad_top);
      const std::size_t h0 = std::size_t(std::max(hStart, 0L));
      const std::size_t h1 = std::size_t(std::clamp(hStart + long(win.filter_h), 0L, long(in.h)));
      for (std::size_t ow = 0; ow < out.w; ++ow) {
        const long wStart = long(ow * win.stride_w) - long(win.pad_left);
        const std::size_t w0 = std::size_t(std::max(wStart, 0L));
        const std::size_t w1 = std::size_t(std::clamp(wStart + long(win.filter_w), 0L, long(in.w)));
        float* __restrict acc = output + (row * out.w + ow) * channels;
        std::fill(acc, acc + channels, Reduction::kInitial);
        for (std::size_t ih = h0; ih < h1; ++ih) {
          for (std::size_t iw = w0; iw < w1; ++iw) {
            const float* __restrict x = input + ((n * in.h + ih) * in.w + iw) * channels;
            for (std::size_t c = 0; c < channels; ++c) acc[c] = Reduction::combine(acc[c], x[c]);
          }
        }
        // The validator guarantees padding < filter size, so every window holds at least one input tap.
        const float validTaps = float((h1 - h0) * (w1 - w0));
        for (std::size_t c = 0; c < channels; ++c) {
          acc[c] = std::min(std::max(Reduction::finish(acc[c], validTaps), act.min), act.max);
        }
      }
    }
  });
}

}  // namespace

void averagePool2dF32(const float* input, Shape4 in, const Window& win, FloatRange act, float* output, Shape4 out) {
  pool2dF32<AverageReduction>(input, in, win, act, output, out);
}

void maxPool2dF32(const float* input, Shape4 in, const Window& win, FloatRange act, float* output, Shape4 out) {
  pool2dF32<MaxReduction>(input, in, win, act, output, out);
}

void l2Pool2dF32(const float* input, Shape4 in, const Window& win, FloatRange act, float* output, Shape4 out) {
  pool2dF32<L2Reduction>(input, in, win, act, output, out);
}

}  // namespace nnapi_host::kernels
