// Internal to the quantized kernels: §11.1's primitives on 8 int32 lanes with AVX2, bit-identical to the scalar
// ones in quant_math.h. Only included by files that check for AVX2 at run time (every function here is
// compiled for AVX2 alone), and only on x86.
#pragma once

#include <immintrin.h>

#include <cstdint>
#include <type_traits>

namespace nnapi_host::kernels::avx2 {

#define NNAPI_HOST_AVX2 __attribute__((target("avx2"), always_inline)) inline

NNAPI_HOST_AVX2 __m256i load8(const int32_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }

// 8 quantized bytes widened to int32 lanes.
template <typename T>
NNAPI_HOST_AVX2 __m256i widen8(const T* p) {
  const __m128i bytes = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
  return std::is_signed_v<T> ? _mm256_cvtepi8_epi32(bytes) : _mm256_cvtepu8_epi32(bytes);
}

// Narrows 8 int32 lanes already inside T's range and stores them.
template <typename T>
NNAPI_HOST_AVX2 void store8(__m256i v, T* out) {
  const __m128i halves = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  const __m128i bytes = std::is_signed_v<T> ? _mm_packs_epi16(halves, halves) : _mm_packus_epi16(halves, halves);
  _mm_storel_epi64(reinterpret_cast<__m128i*>(out), bytes);
}

// SaturatingRoundingDoublingHighMul(x, m) for m >= 0, on magnitudes so that only unsigned 64-bit shifts are
// needed: for x >= 0 the reference's (x*m + 2^30) / 2^31 is (|x|*m + 2^30) >> 31; for x < 0 its truncating
// division of (x*m + 1 - 2^30) is -((|x|*m + 2^30 - 1) >> 31). (m >= 0 rules out the saturating case.)
NNAPI_HOST_AVX2 __m256i srdhmNonNegative(__m256i x, __m256i m) {
  const __m256i sign = _mm256_srai_epi32(x, 31);  // -1 where x < 0
  const __m256i magnitude = _mm256_abs_epi32(x);  // INT32_MIN becomes 2^31 read as unsigned: still exact
  const __m256i nudge = _mm256_add_epi32(_mm256_set1_epi32(1 << 30), sign);
  const __m256i low32 = _mm256_set1_epi64x(0xffffffffll);
  const __m256i even = _mm256_add_epi64(_mm256_mul_epu32(magnitude, m), _mm256_and_si256(nudge, low32));
  const __m256i odd = _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(magnitude, 32), _mm256_srli_epi64(m, 32)),
                                       _mm256_srli_epi64(nudge, 32));
  const __m256i high =
      _mm256_blend_epi32(_mm256_srli_epi64(even, 31), _mm256_slli_epi64(_mm256_srli_epi64(odd, 31), 32), 0xaa);
  return _mm256_sub_epi32(_mm256_xor_si256(high, sign), sign);
}

// RoundingDivideByPOT(x, exponent) with a per-lane exponent in [0, 31]: half away from zero.
NNAPI_HOST_AVX2 __m256i roundingDivideByPOT(__m256i x, __m256i exponent) {
  const __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(_mm256_set1_epi32(1), exponent), _mm256_set1_epi32(1));
  const __m256i remainder = _mm256_and_si256(x, mask);
  const __m256i threshold = _mm256_sub_epi32(_mm256_srli_epi32(mask, 1), _mm256_srai_epi32(x, 31));
  const __m256i roundUp = _mm256_cmpgt_epi32(remainder, threshold);  // -1 where rounding up
  return _mm256_sub_epi32(_mm256_srav_epi32(x, exponent), roundUp);
}

// MultiplyByQuantizedMultiplier with per-lane multiplier (>= 0) and shifts (leftShift, rightShift >= 0).
NNAPI_HOST_AVX2 __m256i multiplyByQuantizedMultiplier(__m256i x, __m256i multiplier, __m256i leftShift,
                                                      __m256i rightShift) {
  return roundingDivideByPOT(srdhmNonNegative(_mm256_sllv_epi32(x, leftShift), multiplier), rightShift);
}

#undef NNAPI_HOST_AVX2

}  // namespace nnapi_host::kernels::avx2
