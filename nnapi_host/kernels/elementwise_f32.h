// Elementwise kernels of the desktop NNAPI: broadcasting binary operations and activations. Pure functions on
// dense row-major buffers; shapes are NNAPI dims (rank <= 4, validated by the caller).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/spatial.h"

namespace nnapi_host::kernels {

using Dims = std::vector<uint32_t>;

enum class BinaryOp { Add, Sub, Mul, Div, Max, Min, Prelu };

// out = op(a, b) with NNAPI broadcasting (shapes aligned from the trailing dimension, extents equal or 1),
// clamped to `act`. PRELU: a >= 0 ? a : b * a (b is alpha).
void broadcastBinaryF32(BinaryOp op, const float* a, const Dims& aDims, const float* b, const Dims& bDims,
                        FloatRange act, float* out, const Dims& outDims);
// The int32 form (FL4 ADD/SUB/MUL/DIV, MAXIMUM/MINIMUM): no activation; DIV is floor division (-5/2 = -3).
void broadcastBinaryI32(BinaryOp op, const int32_t* a, const Dims& aDims, const int32_t* b, const Dims& bDims,
                        int32_t* out, const Dims& outDims);

// Activations, then the unary math operations (ABS .. SQRT), each computed as AOSP's reference does (std:: functions;
// RSQRT as 1 / sqrt).
enum class UnaryOp { Logistic, Tanh, HardSwish, Abs, Exp, Log, Neg, Rsqrt, Sin, Sqrt };

// POW: out = std::pow(base, exponent) with NNAPI broadcasting, as AOSP's reference computes it.
void broadcastPowF32(const float* base, const Dims& baseDims, const float* exponent, const Dims& exponentDims,
                     float* out, const Dims& outDims);
// ELU as AOSP's reference: max(0, x) + min(0, alpha * (exp(x) - 1)).
void eluF32(const float* in, size_t count, float alpha, float* out);

// RELU, RELU1, RELU6 and fused activations: out = clamp(in, range).
void clampF32(const float* in, size_t count, FloatRange range, float* out);
void unaryF32(UnaryOp op, const float* in, size_t count, float* out);

}  // namespace nnapi_host::kernels
