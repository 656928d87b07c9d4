// For lowerings that address logical dimensions of a tensor (pad, select, slice, narrow, index_select, expand,
// repeat): which physical layout to work in, and the one-GATHER emission several of them share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "ir/model.h"
#include "ops/lowering.h"

namespace nnc {

// The layout in which tensor input i is addressed by logical dimension: its own, or channels-last for a 4-D tensor
// already held so (a conversion emitted for an earlier node: no new TRANSPOSE) or computed on the CPU (a forward
// argument): such a map enters the partition through one TRANSPOSE of the partition input either way, and taking it
// channels-last at once keeps that TRANSPOSE at the partition's edge, where the convolutions that follow need it.
// A flattened map is restored to PyTorch's order (its features are in (H,W,C) order: no logical dimension is a
// physical axis). The support question must also ask requireLayout(i, that layout).
ir::Layout axisLayout(const LoweringContext& ctx, size_t i);

// GATHER of `indices` (a constant index vector) along physical axis `axis` of operand `x`; the output keeps x's
// layout. Needs GATHER (feature level 3): the support question asks for it.
uint32_t emitGatherAlong(LoweringContext& ctx, uint32_t x, int32_t axis, const std::vector<int32_t>& indices);

}  // namespace nnc
