// Internal helper for the GEMM-based float kernels: the epilogue that follows a matrix product.
#pragma once

#include <algorithm>
#include <cstddef>

#include "kernels/spatial.h"

namespace nnapi_host::kernels {

// For `rows` rows of `cols` outputs, `rowStride` floats apart: adds bias[col] (bias may be nullptr) and clamps to
// the fused activation's range. Run right after the product of a tile, while its outputs are still in cache.
inline void addBiasAndClampF32(float* out, std::size_t rows, std::size_t cols, std::size_t rowStride,
                               const float* bias, FloatRange act) {
  for (std::size_t r = 0; r < rows; ++r) {
    float* __restrict row = out + r * rowStride;
    if (bias != nullptr) {
      for (std::size_t c = 0; c < cols; ++c) row[c] = std::min(std::max(row[c] + bias[c], act.min), act.max);
    } else {
      for (std::size_t c = 0; c < cols; ++c) row[c] = std::min(std::max(row[c], act.min), act.max);
    }
  }
}

}  // namespace nnapi_host::kernels
