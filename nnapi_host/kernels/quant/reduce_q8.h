// MEAN on TENSOR_QUANT8_ASYMM (uint8_t) / TENSOR_QUANT8_ASYMM_SIGNED (int8_t) with the output sharing the
// input's q (§11.8): an int32 sum of raw values divided by the count with C integer division (truncation).
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/quant/quant_math.h"

namespace nnapi_host::kernels {

using Dims = std::vector<uint32_t>;

// Same contract as meanF32: axes non-negative, ascending, no duplicates; the output holds the kept extents in
// order (keep_dims only changes its declared shape, not its layout).
template <typename T>
void meanQ8(const T* input, const Dims& dims, const std::vector<uint32_t>& axes, T* output);

}  // namespace nnapi_host::kernels
