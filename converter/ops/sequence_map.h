// 1-D convolutions and pools run as their 2-D forms on a map of height 1. PyTorch's [N,C,L] is held channels-last
// as [N,L,C] (ir::Layout::ChannelsLast1d), which has the same bytes as the NHWC map [N,1,L,C] of PyTorch's
// [N,C,1,L]: a RESHAPE, not a TRANSPOSE, turns one into the other, so a stack of 1-D layers pays no layout change
// between layers.
#pragma once

#include <cstdint>

#include "ops/lowering.h"

namespace nnc {

// The support question for reading input 0 as a 2-D map: a 4-D map channels-last, or a 3-D [N,C,L] map as
// [N,L,C] with at most one extent fixed only at run time (RESHAPE infers one).
void requireMapInput(const LoweringContext& ctx);

// Input 0 as an NHWC operand: the 4-D map itself, or the 3-D map reshaped to [N,1,L,C].
uint32_t mapInput(LoweringContext& ctx);

// Sets node output 0 to the NHWC map `out` computed from mapInput: itself for a 4-D input, reshaped back to
// [N,L,C] (ChannelsLast1d) for a 3-D one.
void setMapOutput(LoweringContext& ctx, uint32_t out);

}  // namespace nnc
