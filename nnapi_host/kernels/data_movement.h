// Data-movement kernels of the desktop NNAPI. They move whole elements of `elementSize` bytes (1, 2 or 4), so one
// implementation serves float, half, int32 and 8-bit quantized tensors alike (these operations keep q).
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "kernels/spatial.h"

namespace nnapi_host::kernels {

using Dims = std::vector<uint32_t>;

// out.dim[i] = in.dim[perm[i]] (rank <= 4).
void transposeBytes(size_t elementSize, const void* in, const Dims& inDims, const std::vector<uint32_t>& perm,
                    void* out);

// Concatenates tensors of equal rank along `axis`.
struct ConcatPart {
  const void* data;
  Dims dims;
};
void concatBytes(size_t elementSize, const std::vector<ConcatPart>& parts, uint32_t axis, void* out);

// SPLIT: cuts `axis` into outs.size() equal pieces, piece i to outs[i].
void splitBytes(size_t elementSize, const void* in, const Dims& inDims, uint32_t axis, const std::vector<void*>& outs);

// CHANNEL_SHUFFLE: along `axis` (extent C), out[k*groups + g] = in[g*(C/groups) + k].
void channelShuffleBytes(size_t elementSize, const void* in, const Dims& inDims, uint32_t groups, uint32_t axis,
                         void* out);

// STRIDED_SLICE: per axis, counts[k] elements starting at begin[k] with step strides[k] (rank <= 4).
void stridedSliceBytes(size_t elementSize, const void* in, const Dims& inDims, const std::vector<int32_t>& begin,
                       const std::vector<int32_t>& strides, const std::vector<uint32_t>& counts, void* out);

// PAD: (before, after) per axis; new elements are the `elementSize` bytes at `fill`.
void padBytes(size_t elementSize, const void* in, const Dims& inDims,
              const std::vector<std::pair<uint32_t, uint32_t>>& pads, const void* fill, void* out);

// RESIZE_NEAREST_NEIGHBOR on NHWC (§10 mapping).
void resizeNearestBytes(size_t elementSize, const void* in, Shape4 inShape, uint32_t outH, uint32_t outW,
                        bool alignCorners, bool halfPixelCenters, void* out);

}  // namespace nnapi_host::kernels
