// Broadcasting binary operations on TENSOR_QUANT8_ASYMM (T = uint8_t) / TENSOR_QUANT8_ASYMM_SIGNED (T = int8_t):
// ADD, SUB, MUL (§11.2, §11.3), PRELU, MAXIMUM, MINIMUM (§11.8). Each operand has its own scale and zero point.
// Shapes: the operands' extents (rank <= 4), broadcast from the trailing dimension (§9); the output has the
// broadcast shape, which the caller has validated. `act` comes from activationRange<T>(fuse, output q).
// Multipliers the reference cannot form (e.g. MUL with s_out <= s_a*s_b) throw std::invalid_argument.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/quant/quant_math.h"

namespace nnapi_host::kernels {

using Dims = std::vector<uint32_t>;

template <typename T>
void addQ8(const T* a, const Dims& aDims, QuantParams aQuant, const T* b, const Dims& bDims, QuantParams bQuant,
           IntRange act, T* output, QuantParams outputQuant);

template <typename T>
void subQ8(const T* a, const Dims& aDims, QuantParams aQuant, const T* b, const Dims& bDims, QuantParams bQuant,
           IntRange act, T* output, QuantParams outputQuant);

template <typename T>
void mulQ8(const T* a, const Dims& aDims, QuantParams aQuant, const T* b, const Dims& bDims, QuantParams bQuant,
           IntRange act, T* output, QuantParams outputQuant);

// PRELU: x >= 0 ? x : alpha * x, with alpha broadcast against x.
template <typename T>
void preluQ8(const T* x, const Dims& xDims, QuantParams xQuant, const T* alpha, const Dims& alphaDims,
             QuantParams alphaQuant, T* output, QuantParams outputQuant);

template <typename T>
void maximumQ8(const T* a, const Dims& aDims, QuantParams aQuant, const T* b, const Dims& bDims, QuantParams bQuant,
               T* output, QuantParams outputQuant);

template <typename T>
void minimumQ8(const T* a, const Dims& aDims, QuantParams aQuant, const T* b, const Dims& bDims, QuantParams bQuant,
               T* output, QuantParams outputQuant);

}  // namespace nnapi_host::kernels
