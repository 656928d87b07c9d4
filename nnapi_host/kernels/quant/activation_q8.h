// Quantized activations on TENSOR_QUANT8_ASYMM (T = uint8_t) / TENSOR_QUANT8_ASYMM_SIGNED (T = int8_t),
// bit-exact to §11.7 (gemmlowp's fixed-point logistic, tanh, exp and reciprocal, as the reference uses them).
// Element-wise ones take a flat buffer of `count` elements.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/quant/quant_math.h"

namespace nnapi_host::kernels {

// RELU, RELU1, RELU6 on a quantized tensor (output q = input q): a clamp to `range`, which is
// activationRange<T>(FuseCode::kRelu / kRelu1 / kRelu6, q).
template <typename T>
void clampQ8(const T* input, std::size_t count, IntRange range, T* output);

// LOGISTIC: output q is fixed (1/256, zp 0 for uint8 / -128 for int8; the caller checks it).
template <typename T>
void logisticQ8(const T* input, std::size_t count, QuantParams inputQuant, T* output);

// TANH: output q is fixed (1/128, zp 128 for uint8 / 0 for int8).
template <typename T>
void tanhQ8(const T* input, std::size_t count, QuantParams inputQuant, T* output);

// SOFTMAX along `axis` of `dims` (as softmaxF32). Output q fixed (1/256, zp 0 for uint8 / -128 for int8).
template <typename T>
void softmaxQ8(const T* input, const std::vector<uint32_t>& dims, uint32_t axis, QuantParams inputQuant, float beta,
               T* output);

// HARD_SWISH: x * relu6(x + 3) / 6, with its own output q.
template <typename T>
void hardSwishQ8(const T* input, std::size_t count, QuantParams inputQuant, T* output, QuantParams outputQuant);

}  // namespace nnapi_host::kernels
