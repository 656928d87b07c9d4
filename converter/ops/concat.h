// What quantized::cat (ops/quantized_elementwise.cpp) borrows from aten::cat (ops/concat.cpp).
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "ops/lowering.h"

namespace nnc {

// CONCATENATION of `tensors` along PyTorch dim `dim` in one shared layout. The output takes `quant` when given
// (else input 0's quantization); inputs quantized otherwise are requantized, which needs feature level 3.
Emitter concatEmitter(const LoweringContext& ctx, const std::vector<ValueId>& tensors, int64_t dim,
                      std::optional<std::pair<float, int32_t>> quant = std::nullopt);

}  // namespace nnc
