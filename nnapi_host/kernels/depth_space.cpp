#include "kernels/depth_space.h"

#include <cstring>

namespace nnapi_host::kernels {
namespace {

// Visits every (deep pixel, block row i, block column j) pair of a deep [N, Hs/b, Ws/b, C*b*b] tensor and its wide
// [N, Hs, Ws, C] counterpart, handing `move` the byte offsets of the C elements that correspond in each.
template <typename Move>
void forEachBlockRun(Shape4 wide, uint32_t block, size_t runBytes, Move move) {
  const uint32_t deepH = wide.h / block, deepW = wide.w / block;
  size_t deep = 0;
  for (uint32_t n = 0; n < wide.n; ++n)
    for (uint32_t h = 0; h < deepH; ++h)
      for (uint32_t w = 0; w < deepW; ++w)
        for (uint32_t i = 0; i < block; ++i)
          for (uint32_t j = 0; j < block; ++j) {
            const size_t pixel = (size_t(n) * wide.h + size_t(h) * block + i) * wide.w + size_t(w) * block + j;
            move(deep, pixel * runBytes);
            deep += runBytes;
          }
}

}  // namespace

void depthToSpaceBytes(size_t elementSize, const void* in, Shape4 s, uint32_t block, void* out) {
  const Shape4 wide{s.n, s.h * block, s.w * block, s.c / (block * block)};
  const size_t run = size_t(wide.c) * elementSize;
  const auto* src = static_cast<const uint8_t*>(in);
  auto* dst = static_cast<uint8_t*>(out);
  forEachBlockRun(wide, block, run, [&](size_t deep, size_t wideOffset) { std::memcpy(dst + wideOffset, src + deep, run); });
}

void spaceToDepthBytes(size_t elementSize, const void* in, Shape4 s, uint32_t block, void* out) {
  const size_t run = size_t(s.c) * elementSize;
  const auto* src = static_cast<const uint8_t*>(in);
  auto* dst = static_cast<uint8_t*>(out);
  forEachBlockRun(s, block, run, [&](size_t deep, size_t wideOffset) { std::memcpy(dst + deep, src + wideOffset, run); });
}

}  // namespace nnapi_host::kernels
