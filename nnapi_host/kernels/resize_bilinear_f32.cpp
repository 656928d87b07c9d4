#include "kernels/resize_bilinear_f32.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace nnapi_host::kernels {
namespace {

// Source coordinates of one output axis: lower index, upper index, weight of the upper one.
struct Tap {
  uint32_t lo, hi;
  float frac;
};

std::vector<Tap> taps(uint32_t inSize, uint32_t outSize, bool alignCorners, bool halfPixelCenters) {
  const float scale =
      (alignCorners && outSize > 1) ? float(inSize - 1) / float(outSize - 1) : float(inSize) / float(outSize);
  std::vector<Tap> t(outSize);
  for (uint32_t o = 0; o < outSize; ++o) {
    const float y = halfPixelCenters ? (float(o) + 0.5f) * scale - 0.5f : float(o) * scale;
    const float y0 = std::max(std::floor(y), 0.0f);
    const float y1 = std::min(std::ceil(y), float(inSize - 1));
    t[o] = {uint32_t(y0), uint32_t(y1), y - y0};
  }
  return t;
}

}  // namespace

void resizeBilinearF32(const float* in, Shape4 s, uint32_t outH, uint32_t outW, bool alignCorners,
                       bool halfPixelCenters, float* out) {
  const std::vector<Tap> ty = taps(s.h, outH, alignCorners, halfPixelCenters);
  const std::vector<Tap> tx = taps(s.w, outW, alignCorners, halfPixelCenters);
  const size_t C = s.c;
  for (uint32_t n = 0; n < s.n; ++n) {
    const float* image = in + size_t(n) * s.h * s.w * C;
    for (uint32_t y = 0; y < outH; ++y) {
      const float* row0 = image + size_t(ty[y].lo) * s.w * C;
      const float* row1 = image + size_t(ty[y].hi) * s.w * C;
      const float fy = ty[y].frac;
      for (uint32_t x = 0; x < outW; ++x) {
        const float fx = tx[x].frac;
        const float* p00 = row0 + tx[x].lo * C;
        const float* p01 = row0 + tx[x].hi * C;
        const float* p10 = row1 + tx[x].lo * C;
        const float* p11 = row1 + tx[x].hi * C;
        for (size_t c = 0; c < C; ++c) {
          const float top = p00[c] + (p01[c] - p00[c]) * fx;
          const float bottom = p10[c] + (p11[c] - p10[c]) * fx;
          *out++ = top + (bottom - top) * fy;
        }
      }
    }
  }
}

}  // namespace nnapi_host::kernels
