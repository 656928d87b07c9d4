#include "kernels/reduce_f32.h"

#include <algorithm>
#include <cmath>

namespace nnapi_host::kernels {

void meanF32(const float* in, const Dims& inDims, const std::vector<uint32_t>& axes, float* out) {
  // Each input element adds into the output element whose index drops the reduced axes; output strides on the
  // reduced axes are 0. Sums are kept in double so a 7x7x2048 global average stays exact to float precision.
  const size_t rank = inDims.size();
  uint32_t extent[4] = {1, 1, 1, 1};
  size_t outStride[4] = {0, 0, 0, 0};
  const size_t offset = 4 - rank;
  size_t s = 1, outCount = 1, reduced = 1;
  for (size_t k = rank; k-- > 0;) {
    extent[offset + k] = inDims[k];
    if (std::binary_search(axes.begin(), axes.end(), uint32_t(k))) {
      reduced *= inDims[k];
    } else {
      outStride[offset + k] = s;
      s *= inDims[k];
      outCount *= inDims[k];
    }
  }
  std::vector<double> sums(outCount, 0.0);
  for (uint32_t a = 0; a < extent[0]; ++a)
    for (uint32_t b = 0; b < extent[1]; ++b)
      for (uint32_t c = 0; c < extent[2]; ++c) {
        double* row = sums.data() + a * outStride[0] + b * outStride[1] + c * outStride[2];
        const size_t step = outStride[3];
        for (uint32_t d = 0; d < extent[3]; ++d) row[d * step] += *in++;
      }
  const double scale = reduced ? 1.0 / double(reduced) : 0.0;
  for (size_t i = 0; i < outCount; ++i) out[i] = float(sums[i] * scale);
}

void softmaxF32(const float* in, const Dims& dims, uint32_t axis, float beta, bool logarithmic, float* out) {
  size_t outer = 1, inner = 1;
  for (size_t k = 0; k < axis; ++k) outer *= dims[k];
  for (size_t k = axis + 1; k < dims.size(); ++k) inner *= dims[k];
  const size_t n = dims[axis];
  for (size_t o = 0; o < outer; ++o)
    for (size_t i = 0; i < inner; ++i) {
      const float* x = in + o * n * inner + i;
      float* y = out + o * n * inner + i;
      float maxValue = x[0];
      for (size_t k = 1; k < n; ++k) maxValue = std::max(maxValue, x[k * inner]);
      // Subtracting the max keeps exp in range; it cancels in both formulas.
      float sum = 0.0f;
      for (size_t k = 0; k < n; ++k) sum += std::exp((x[k * inner] - maxValue) * beta);
      if (logarithmic) {
        const float logSum = std::log(sum);
        for (size_t k = 0; k < n; ++k) y[k * inner] = (x[k * inner] - maxValue) * beta - logSum;
      } else {
        for (size_t k = 0; k < n; ++k) y[k * inner] = std::exp((x[k * inner] - maxValue) * beta) / sum;
      }
    }
}

}  // namespace nnapi_host::kernels
