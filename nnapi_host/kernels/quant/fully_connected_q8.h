// FULLY_CONNECTED on TENSOR_QUANT8_ASYMM (T = uint8_t) or TENSOR_QUANT8_ASYMM_SIGNED (T = int8_t), bit-exact to
// §11.5 (the reference has no per-channel form here, so the weights share the input's type). Same layout as
// fullyConnectedF32: input [batch, inputSize], weights [units, inputSize], bias [units] or nullptr.
#pragma once

#include <cstdint>

#include "kernels/quant/quant_math.h"

namespace nnapi_host::kernels {

template <typename T>
void fullyConnectedQ8(const T* input, uint32_t batch, uint32_t inputSize, QuantParams inputQuant, const T* weights,
                      QuantParams weightsQuant, const int32_t* bias, uint32_t units, IntRange act, T* output,
                      QuantParams outputQuant);

}  // namespace nnapi_host::kernels
