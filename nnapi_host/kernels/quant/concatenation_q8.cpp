// Quantized CONCATENATION with the reference's single-precision requantization (TFLite ConcatenationWithScaling).
#include "kernels/quant/concatenation_q8.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>


namespace nnapi_host::kernels {

template <typename T>
void concatenationQ8(const std::vector<ConcatPart>& parts, const std::vector<QuantParams>& partQuants, uint32_t axis,
                     T* output, QuantParams outputQuant) {
  // Every tensor viewed as [outer, extent along the axis, inner].
  const Dims& dims = parts.front().dims;
  std::size_t outer = 1, inner = 1, outputAxis = 0;
  for (uint32_t k = 0; k < axis; ++k) outer *= dims[k];
  for (std::size_t k = axis + 1; k < dims.size(); ++k) inner *= dims[k];
  for (const ConcatPart& part : parts) outputAxis += part.dims[axis];
  // The reference requantizes int8 tensors on the uint8 path: values and zero points shifted by +128. The float
  // formula below is not shift-invariant, so the shift is kept to round exactly as it does.
  constexpr int32_t kShift = std::is_signed_v<T> ? 128 : 0;
  const float inverseOutputScale = 1.0f / outputQuant.scale;
  std::size_t axisOffset = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::size_t run = std::size_t(parts[i].dims[axis]) * inner;
    const QuantParams q = partQuants[i];
    const bool sameQuant = q.scale == outputQuant.scale && q.zero_point == outputQuant.zero_point;
    // Both in float, as the reference computes them.
    const float scale = q.scale * inverseOutputScale;
    const float bias = -(q.zero_point + kShift) * scale;
    for (std::size_t o = 0; o < outer; ++o) {
      const T* src = static_cast<const T*>(parts[i].data) + o * run;
      T* dst = output + (o * outputAxis + axisOffset) * inner;
      if (sameQuant) {
        std::memcpy(dst, src, run * sizeof(T));
        continue;
      }
      for (std::size_t j = 0; j < run; ++j) {
        const int32_t value = static_cast<int32_t>(std::round((src[j] + kShift) * scale + bias)) +
                              outputQuant.zero_point + kShift;
        dst[j] = static_cast<T>(std::clamp(value, 0, 255) - kShift);
      }
    }
    axisOffset += parts[i].dims[axis];
  }
}

template void concatenationQ8<uint8_t>(const std::vector<ConcatPart>&, const std::vector<QuantParams>&, uint32_t,
                                       uint8_t*, QuantParams);
template void concatenationQ8<int8_t>(const std::vector<ConcatPart>&, const std::vector<QuantParams>&, uint32_t,
                                      int8_t*, QuantParams);

}  // namespace nnapi_host::kernels
