// Glue between tensors and the quantized kernels (kernels/quant/): the element type behind an 8-bit operand
// type, its scale/zero point, and fused-activation ranges on the output's q.
#pragma once

#include <cstdint>

#include "executor/op_context.h"
#include "kernels/quant/quant_math.h"

namespace nnapi_host {

constexpr int32_t kQ8A = ANEURALNETWORKS_TENSOR_QUANT8_ASYMM;
constexpr int32_t kQ8S = ANEURALNETWORKS_TENSOR_QUANT8_ASYMM_SIGNED;

inline kernels::QuantParams quantOf(const Tensor& t) { return {t.desc->scale, t.desc->zeroPoint}; }

template <typename T>
kernels::IntRange activationOn(int32_t fuse, const Tensor& output) {
  return kernels::activationRange<T>(static_cast<kernels::FuseCode>(fuse), quantOf(output));
}

// Calls body(T()) with T = uint8_t for TENSOR_QUANT8_ASYMM and int8_t for TENSOR_QUANT8_ASYMM_SIGNED.
template <typename Body>
bool withQ8Type(int32_t type, Body body) {
  return type == kQ8A ? body(uint8_t()) : body(int8_t());
}

}  // namespace nnapi_host
