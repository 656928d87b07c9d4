#include "kernels/instance_norm_f32.h"

#include <cmath>
#include <cstddef>

namespace nnapi_host::kernels {

void instanceNormF32(const float* in, Shape4 s, float gamma, float beta, float epsilon, float* out) {
  const size_t plane = size_t(s.h) * s.w, C = s.c;
  for (uint32_t n = 0; n < s.n; ++n) {
    const size_t base = size_t(n) * plane * C;
    for (size_t c = 0; c < C; ++c) {
      float mean = 0;
      for (size_t k = 0; k < plane; ++k) mean += in[base + k * C + c];
      mean /= float(plane);
      float sumSquares = 0;
      for (size_t k = 0; k < plane; ++k) {
        const float diff = in[base + k * C + c] - mean;
        sumSquares += diff * diff;
      }
      const float sigma = std::sqrt(sumSquares / float(plane) + epsilon);
      for (size_t k = 0; k < plane; ++k) {
        const size_t i = base + k * C + c;
        out[i] = (in[i] - mean) * gamma / sigma + beta;
      }
    }
  }
}

}  // namespace nnapi_host::kernels
