// RESIZE_BILINEAR on TENSOR_QUANT8_ASYMM (uint8_t) / TENSOR_QUANT8_ASYMM_SIGNED (int8_t), NHWC, same q in and out.
// The reference interpolates raw values in float and converts with a C cast (truncation toward zero), as the
// TFLite revision of Android 11 did; nnapi-reference.md §13 lists this rounding as unconfirmed (treat as +-1).
#pragma once

#include <cstdint>

#include "kernels/quant/quant_math.h"
#include "kernels/spatial.h"

namespace nnapi_host::kernels {

template <typename T>
void resizeBilinearQ8(const T* input, Shape4 in, uint32_t outH, uint32_t outW, bool alignCorners, bool halfPixelCenters,
                      T* output);

}  // namespace nnapi_host::kernels
