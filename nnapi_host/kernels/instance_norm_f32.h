// INSTANCE_NORMALIZATION for float32 NHWC tensors, as AOSP's reference (InstanceNormalization.cpp) computes it: per
// (batch, channel) the mean over H*W, then the population variance from the differences to it (two passes),
// sigma = sqrt(variance + epsilon), out = (x - mean) * gamma / sigma + beta.
#pragma once

#include "kernels/spatial.h"

namespace nnapi_host::kernels {

void instanceNormF32(const float* in, Shape4 shape, float gamma, float beta, float epsilon, float* out);

}  // namespace nnapi_host::kernels
