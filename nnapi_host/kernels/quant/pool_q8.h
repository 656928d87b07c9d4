// AVERAGE_POOL_2D and MAX_POOL_2D on TENSOR_QUANT8_ASYMM (uint8_t) / TENSOR_QUANT8_ASYMM_SIGNED (int8_t), NHWC.
// The output has the input's scale and zero point, so the kernels work on raw values (§11.6): the average divides
// the sum of the taps inside the input by their count, rounding half away from zero; then `act` (from
// activationRange<T>(fuse, q)) clamps. Same geometry as averagePool2dF32/maxPool2dF32.
#pragma once

#include "kernels/quant/quant_math.h"
#include "kernels/spatial.h"

namespace nnapi_host::kernels {

template <typename T>
void averagePool2dQ8(const T* input, Shape4 in, const Window& win, IntRange act, T* output, Shape4 out);

template <typename T>
void maxPool2dQ8(const T* input, Shape4 in, const Window& win, IntRange act, T* output, Shape4 out);

}  // namespace nnapi_host::kernels
