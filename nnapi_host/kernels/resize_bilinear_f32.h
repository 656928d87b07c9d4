// RESIZE_BILINEAR for float32 NHWC tensors (§10 mapping: align_corners, half_pixel_centers).
#pragma once

#include <cstdint>

#include "kernels/spatial.h"

namespace nnapi_host::kernels {

void resizeBilinearF32(const float* in, Shape4 inShape, uint32_t outH, uint32_t outW, bool alignCorners,
                       bool halfPixelCenters, float* out);

}  // namespace nnapi_host::kernels
