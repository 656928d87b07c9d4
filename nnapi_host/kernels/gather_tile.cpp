#include "kernels/gather_tile.h"

#include <cstring>

namespace nnapi_host::kernels {
namespace {

size_t product(const std::vector<uint32_t>& dims, size_t begin, size_t end) {
  size_t n = 1;
  for (size_t k = begin; k < end; ++k) n *= dims[k];
  return n;
}

// Tiles axes [axis, rank) of one block of the input at `in` into `out`; returns the bytes written. The block is
// first laid out with its inner axes tiled, then copied multiples[axis] - 1 more times (the copies are contiguous).
size_t tileAxis(size_t elementSize, const uint8_t* in, const std::vector<uint32_t>& dims,
                const std::vector<uint32_t>& multiples, size_t axis, uint8_t* out) {
  size_t written = 0;
  if (axis + 1 == dims.size()) {  // the innermost axis: one contiguous row
    written = dims[axis] * elementSize;
    std::memcpy(out, in, written);
  } else {
    const size_t inner = product(dims, axis + 1, dims.size()) * elementSize;  // input bytes of one slice
    for (uint32_t i = 0; i < dims[axis]; ++i)
      written += tileAxis(elementSize, in + i * inner, dims, multiples, axis + 1, out + written);
  }
  for (uint32_t copy = 1; copy < multiples[axis]; ++copy) std::memcpy(out + copy * written, out, written);
  return written * multiples[axis];
}

}  // namespace

bool gatherBytes(size_t elementSize, const void* in, const std::vector<uint32_t>& inDims, uint32_t axis,
                 const int32_t* indices, size_t indexCount, void* out) {
  const size_t outer = product(inDims, 0, axis);
  const size_t extent = inDims[axis];
  const size_t inner = product(inDims, axis + 1, inDims.size()) * elementSize;
  const uint8_t* src = static_cast<const uint8_t*>(in);
  uint8_t* dst = static_cast<uint8_t*>(out);
  for (size_t o = 0; o < outer; ++o)
    for (size_t i = 0; i < indexCount; ++i) {
      const int32_t index = indices[i];
      if (index < 0 || size_t(index) >= extent) return false;
      std::memcpy(dst, src + (o * extent + size_t(index)) * inner, inner);
      dst += inner;
    }
  return true;
}

void tileBytes(size_t elementSize, const void* in, const std::vector<uint32_t>& inDims,
               const std::vector<uint32_t>& multiples, void* out) {
  tileAxis(elementSize, static_cast<const uint8_t*>(in), inDims, multiples, 0, static_cast<uint8_t*>(out));
}

}  // namespace nnapi_host::kernels
