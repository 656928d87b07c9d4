#include "kernels/reduce_f32.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nnapi_host::kernels {
namespace {

// Combines every input element into the output element whose index drops the reduced axes (output strides 0 on
// them), in element order, starting from `init`.
template <typename T, typename F>
void reduceInto(const float* in, const Dims& inDims, const std::vector<uint32_t>& axes, T init, F combine, T* out,
                size_t* reducedCount) {
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
  std::fill(out, out + outCount, init);
  for (uint32_t a = 0; a < extent[0]; ++a)
    for (uint32_t b = 0; b < extent[1]; ++b)
      for (uint32_t c = 0; c < extent[2]; ++c) {
        T* row = out + a * outStride[0] + b * outStride[1] + c * outStride[2];
        const size_t step = outStride[3];
        for (uint32_t d = 0; d < extent[3]; ++d, ++in) row[d * step] = combine(row[d * step], *in);
      }
  if (reducedCount) *reducedCount = reduced;
}

size_t keptCount(const Dims& inDims, const std::vector<uint32_t>& axes) {
  size_t n = 1;
  for (size_t k = 0; k < inDims.size(); ++k)
    if (!std::binary_search(axes.begin(), axes.end(), uint32_t(k))) n *= inDims[k];
  return n;
}

}  // namespace

void meanF32(const float* in, const Dims& inDims, const std::vector<uint32_t>& axes, float* out) {
  // Sums are kept in double so a 7x7x2048 global average stays exact to float precision.
  std::vector<double> sums(keptCount(inDims, axes));
  size_t reduced = 0;
  reduceInto<double>(in, inDims, axes, 0.0, [](double sum, float x) { return sum + x; }, sums.data(), &reduced);
  const double scale = reduced ? 1.0 / double(reduced) : 0.0;
  for (size_t i = 0; i < sums.size(); ++i) out[i] = float(sums[i] * scale);
}

void reduceF32(Reduction reduction, const float* in, const Dims& inDims, const std::vector<uint32_t>& axes,
               float* out) {
  switch (reduction) {
    case Reduction::Sum:
      return reduceInto<float>(in, inDims, axes, 0.0f, [](float sum, float x) { return sum + x; }, out, nullptr);
    case Reduction::Max:
      return reduceInto<float>(in, inDims, axes, std::numeric_limits<float>::lowest(),
                               [](float m, float x) { return std::max(m, x); }, out, nullptr);
    case Reduction::Min:
      return reduceInto<float>(in, inDims, axes, std::numeric_limits<float>::max(),
                               [](float m, float x) { return std::min(m, x); }, out, nullptr);
  }
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
