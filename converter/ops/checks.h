// Support checks that several op families share (the question half of a lowering, see ops/lowering.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "ir/model.h"
#include "ops/lowering.h"

namespace nnc {

// Unsupported unless `tensor` is float32: for lowerings that pair it with float constants (weights, bounds,
// factors) or that are not done for quantized tensors yet.
void requireFloat32(const LoweringContext& ctx, const ir::Operand& tensor);

// Tensor input i, which must be quint8 (TENSOR_QUANT8_ASYMM): for PyTorch's quantized ops.
const ir::Operand& quint8Input(const LoweringContext& ctx, size_t i);

// The quint8 output quantization (scale, zero point) a quantized op takes as inputs `scale_input`, `zero_point_input`.
std::pair<float, int32_t> quint8OutputQuant(const LoweringContext& ctx, size_t scale_input, size_t zero_point_input);

// Unsupported unless `rank` is at most 4, the limit of most NNAPI operations.
void requireRankAtMost4(const LoweringContext& ctx, size_t rank);

}  // namespace nnc
