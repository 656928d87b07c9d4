// DEPTH_TO_SPACE and SPACE_TO_DEPTH on NHWC tensors, as TFLite's reference kernels (which AOSP's DepthToSpace.cpp and
// SpaceToDepth.cpp call) order them: a block of b*b pixels holds depth slices in row-major (i, j) order, so
//   depth_to_space: out[n][h*b + i][w*b + j][c] = in[n][h][w][(i*b + j)*C_out + c]
//   space_to_depth: out[n][h][w][(i*b + j)*C_in + c] = in[n][h*b + i][w*b + j][c]
// They move whole elements of `elementSize` bytes, so every tensor type shares them.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/spatial.h"

namespace nnapi_host::kernels {

// `inShape` is the depth-side (deep) tensor's shape.
void depthToSpaceBytes(size_t elementSize, const void* in, Shape4 inShape, uint32_t block, void* out);
// `inShape` is the space-side (wide) tensor's shape.
void spaceToDepthBytes(size_t elementSize, const void* in, Shape4 inShape, uint32_t block, void* out);

}  // namespace nnapi_host::kernels
