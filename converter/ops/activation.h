// What other lowerings borrow from ops/activation.cpp.
#pragma once

#include <cstdint>

#include "ops/lowering.h"

namespace nnc {

// hardsigmoid of quint8 operand `x` (ADD, MUL; feature level 1), output in PyTorch's quantized hardsigmoid
// quantization: steps of 1/256 from zero point 0.
uint32_t emitQuantizedHardsigmoid(LoweringContext& ctx, uint32_t x);

}  // namespace nnc
