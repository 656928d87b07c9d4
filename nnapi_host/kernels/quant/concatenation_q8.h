// CONCATENATION of TENSOR_QUANT8_ASYMM (T = uint8_t) / TENSOR_QUANT8_ASYMM_SIGNED (T = int8_t) tensors whose q
// may differ from the output's (§11.8). QUANTIZE and DEQUANTIZE are in kernels/quantize_convert.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/data_movement.h"
#include "kernels/quant/quant_math.h"

namespace nnapi_host::kernels {

// Same parts and axis as concatBytes (data_movement.h, which serves the all-same-q case too); partQuants[i] is
// the q of parts[i]. A part with the output's q is copied; another is requantized with the reference's float
// formula q = clamp(round(q_in * r - zp_in * r) + zp_out), r = s_in * (1 / s_out).
template <typename T>
void concatenationQ8(const std::vector<ConcatPart>& parts, const std::vector<QuantParams>& partQuants, uint32_t axis,
                     T* output, QuantParams outputQuant);

}  // namespace nnapi_host::kernels
