#include "kernels/mirror_pad.h"

#include <cstring>

namespace nnapi_host::kernels {

uint32_t mirroredIndex(uint32_t j, uint32_t extent, uint32_t before, bool reflect) {
  const uint32_t edge = reflect ? 0 : 1;  // SYMMETRIC repeats the edge element
  if (j < before) return before - j - edge;
  const uint32_t k = j - before;
  if (k < extent) return k;
  return 2 * extent - 1 - k - (reflect ? 1 : 0);
}

void mirrorPadBytes(size_t elementSize, const void* in, const std::vector<uint32_t>& inDims,
                    const std::vector<std::pair<uint32_t, uint32_t>>& pads, bool reflect, void* out) {
  // As rank 4, leading axes of extent 1 unpadded; per axis, the input index each output index reads.
  const size_t lead = 4 - inDims.size();
  uint32_t inExtent[4] = {1, 1, 1, 1};
  std::vector<uint32_t> source[4];
  for (size_t a = 0; a < 4; ++a) {
    if (a < lead) {
      source[a] = {0};
      continue;
    }
    const auto [before, after] = pads[a - lead];
    inExtent[a] = inDims[a - lead];
    for (uint32_t j = 0; j < before + inExtent[a] + after; ++j)
      source[a].push_back(mirroredIndex(j, inExtent[a], before, reflect));
  }
  const auto* from = static_cast<const uint8_t*>(in);
  auto* to = static_cast<uint8_t*>(out);
  for (uint32_t i0 : source[0])
    for (uint32_t i1 : source[1])
      for (uint32_t i2 : source[2])
        for (uint32_t i3 : source[3]) {
          const size_t index = ((size_t(i0) * inExtent[1] + i1) * inExtent[2] + i2) * inExtent[3] + i3;
          std::memcpy(to, from + index * elementSize, elementSize);
          to += elementSize;
        }
}

}  // namespace nnapi_host::kernels
