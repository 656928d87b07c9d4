// What other op families borrow from the pooling lowerings (ops/pooling.cpp).
#pragma once

#include <cstdint>

#include "ops/lowering.h"

namespace nnc {

// AVERAGE_POOL_2D over the whole H x W of the channels-last map `x` (feature level 1): [N,H,W,C] -> [N,1,1,C].
uint32_t emitGlobalAveragePool(LoweringContext& ctx, uint32_t x);

}  // namespace nnc
