// Geometry shared by the spatial kernels (convolutions and pools). All feature maps are NHWC, row-major.
#pragma once

#include <cstdint>
#include <limits>

namespace nnapi_host::kernels {

struct Shape4 {
  uint32_t n = 0, h = 0, w = 0, c = 0;
  uint64_t elements() const { return uint64_t(n) * h * w * c; }
};

// Explicit padding and strides; implicit (SAME/VALID) padding is resolved to this before a kernel runs.
struct Window {
  uint32_t pad_left = 0, pad_right = 0, pad_top = 0, pad_bottom = 0;
  uint32_t stride_w = 1, stride_h = 1;
  uint32_t dilation_w = 1, dilation_h = 1;
  uint32_t filter_w = 1, filter_h = 1;
};

// The clamp of a fused activation, already mapped to the output's value space.
struct FloatRange {
  float min = -std::numeric_limits<float>::infinity();
  float max = std::numeric_limits<float>::infinity();
};

}  // namespace nnapi_host::kernels
