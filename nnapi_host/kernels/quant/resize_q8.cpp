// Quantized RESIZE_BILINEAR with the reference's float source coordinates and interpolation order (§10).
#include "kernels/quant/resize_q8.h"

#include <algorithm>
#include <cmath>

#include "kernels/parallel_for.h"

namespace nnapi_host::kernels {
namespace {

// Source coordinate of output index `o` and the two input indices around it (ComputeInterpolationValues).
struct Sample {
  float position;
  uint32_t lower, upper;
};

Sample sampleAt(uint32_t o, float scale, bool halfPixelCenters, uint32_t inSize) {
  Sample s;
  s.position = halfPixelCenters ? (float(o) + 0.5f) * scale - 0.5f : float(o) * scale;
  s.lower = uint32_t(std::max(int32_t(std::floor(s.position)), 0));
  s.upper = uint32_t(std::min(int32_t(std::ceil(s.position)), int32_t(inSize) - 1));
  return s;
}

float resizeScale(uint32_t inSize, uint32_t outSize, bool alignCorners) {
  return alignCorners && outSize > 1 ? float(inSize - 1) / float(outSize - 1) : float(inSize) / float(outSize);
}

}  // namespace

template <typename T>
void resizeBilinearQ8(const T* input, Shape4 in, uint32_t outH, uint32_t outW, bool alignCorners, bool halfPixelCenters,
                      T* output) {
  const Shape4 out{in.n, outH, outW, in.c};
  const float heightScale = resizeScale(in.h, out.h, alignCorners);
  const float widthScale = resizeScale(in.w, out.w, alignCorners);
  parallelForRanges(std::size_t(out.n) * out.h, 1, [&](std::size_t begin, std::size_t end) {
    for (std::size_t row = begin; row < end; ++row) {
      const std::size_t batch = row / out.h;
      const Sample y = sampleAt(uint32_t(row % out.h), heightScale, halfPixelCenters, in.h);
      const float dy = y.position - float(y.lower);
      for (uint32_t ox = 0; ox < out.w; ++ox) {
        const Sample x = sampleAt(ox, widthScale, halfPixelCenters, in.w);
        const float dx = x.position - float(x.lower);
        const auto at = [&](uint32_t yy, uint32_t xx) {
          return input + ((batch * in.h + yy) * in.w + xx) * in.c;
        };
        const T* topLeft = at(y.lower, x.lower);
        const T* bottomLeft = at(y.upper, x.lower);
        const T* topRight = at(y.lower, x.upper);
        const T* bottomRight = at(y.upper, x.upper);
        T* dst = output + (row * out.w + ox) * out.c;
        for (uint32_t c = 0; c < in.c; ++c) {
          // The reference's sum, term order and float arithmetic kept as they are.
          const float value = topLeft[c] * (1 - dy) * (1 - dx) + bottomLeft[c] * dy * (1 - dx) +
                              topRight[c] * (1 - dy) * dx + bottomRight[c] * dy * dx;
          dst[c] = static_cast<T>(value);
        }
      }
    }
  });
}

template void resizeBilinearQ8<uint8_t>(const uint8_t*, Shape4, uint32_t, uint32_t, bool, bool, uint8_t*);
template void resizeBilinearQ8<int8_t>(const int8_t*, Shape4, uint32_t, uint32_t, bool, bool, int8_t*);

}  // namespace nnapi_host::kernels
