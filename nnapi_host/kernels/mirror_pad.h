// MIRROR_PAD of the desktop NNAPI, as AOSP's reference (MirrorPad.cpp, after TFLite's mirror_pad) computes it: every
// output element is a copy of one input element, found per axis. Whole elements of `elementSize` bytes are moved,
// so one implementation serves every operand type (q is kept).
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace nnapi_host::kernels {

// The input index that output index j of an axis of `extent` elements padded (before, after) reads: in
// [before, before + extent) the element itself; outside, mirrored at the axis' ends, around the edge element when
// `reflect` (extent 4, before 2: 2 1 | 0 1 2 3) and including it otherwise, SYMMETRIC (1 0 | 0 1 2 3).
uint32_t mirroredIndex(uint32_t j, uint32_t extent, uint32_t before, bool reflect);

// MIRROR_PAD of a tensor of rank 1..4 with (before, after) per axis.
void mirrorPadBytes(size_t elementSize, const void* in, const std::vector<uint32_t>& inDims,
                    const std::vector<std::pair<uint32_t, uint32_t>>& pads, bool reflect, void* out);

}  // namespace nnapi_host::kernels
