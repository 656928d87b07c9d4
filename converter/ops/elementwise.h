// What the quantized element-wise ops (ops/quantized_elementwise.cpp) and clamp (ops/activation.cpp) borrow from
// ops/elementwise.cpp: the choice of a common layout for the sides (a channels-last network stays channels-last)
// and the emission, with a fused activation and the output's quantization.
#pragma once

#include <cstdint>
#include <utility>

#include "ops/lowering.h"

namespace nnc {

// A number as a one-element TENSOR_QUANT8_ASYMM constant of real value (value - zero_point) * scale.
struct QuantScalar {
  uint8_t value = 0;
  float scale = 0.0f;
  int32_t zero_point = 0;
};

// clamp(x, min, max) with tensor bounds (node inputs 1 and 2, each a computed or constant tensor, used when
// has_low / has_high): MAXIMUM with the lower then MINIMUM with the upper, broadcasting, in a layout common to all
// three. Float32.
Emitter clampBetweenTensors(const LoweringContext& ctx, bool has_low, bool has_high);

// op(node input a, node input b), two computed tensors of one type, output quantized as `quant`, with `fuse`.
Emitter quantizedBinary(const LoweringContext& ctx, int32_t op, size_t a, size_t b, int32_t fuse,
                        std::pair<float, int32_t> quant);
// op(node input a, `b`).
Emitter quantizedBinaryScalar(const LoweringContext& ctx, int32_t op, size_t a, QuantScalar b, int32_t fuse,
                              std::pair<float, int32_t> quant);

}  // namespace nnc
