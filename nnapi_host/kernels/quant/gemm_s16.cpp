// The int16 dot-product tiles of the quantized matrix product, with an AVX2 kernel chosen at run time.
#include "kernels/quant/gemm_s16.h"

#include <cstring>

#include "kernels/quant/requantize.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define NNAPI_HOST_HAVE_X86 1
#endif

namespace nnapi_host::kernels {
namespace {

template <uint32_t Rows>
void dotTilePortable(const int16_t* lhs, std::size_t lhsStride, const int16_t* rhs, uint32_t depthPairs,
                     int32_t* tile) {
  int32_t acc[Rows][kTileColumns] = {};
  for (uint32_t p = 0; p < depthPairs; ++p) {
    const int16_t* b = rhs + std::size_t(p) * kTileColumns * 2;
    for (uint32_t r = 0; r < Rows; ++r) {
      const int32_t a0 = lhs[r * lhsStride + 2 * p];
      const int32_t a1 = lhs[r * lhsStride + 2 * p + 1];
      for (uint32_t j = 0; j < kTileColumns; ++j) acc[r][j] += a0 * b[2 * j] + a1 * b[2 * j + 1];
    }
  }
  std::memcpy(tile, acc, sizeof(acc));
}

#ifdef NNAPI_HOST_HAVE_X86
// One pair (lhs[2p], lhs[2p+1]) broadcast to all lanes times 8 columns' pairs: _mm256_madd_epi16 gives
// a0*b[2p][j] + a1*b[2p+1][j] per 32-bit lane j, exactly (|values| <= 255, so no lane saturates).
template <uint32_t Rows>
__attribute__((target("avx2"))) void dotTileAvx2(const int16_t* lhs, std::size_t lhsStride, const int16_t* rhs,
                                                 uint32_t depthPairs, int32_t* tile) {
  __m256i acc[Rows][2];
  for (uint32_t r = 0; r < Rows; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_si256();
  for (uint32_t p = 0; p < depthPairs; ++p) {
    const __m256i b0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(rhs + std::size_t(p) * 32));
    const __m256i b1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(rhs + std::size_t(p) * 32 + 16));
    for (uint32_t r = 0; r < Rows; ++r) {
      int32_t pair;
      std::memcpy(&pair, lhs + r * lhsStride + 2 * p, sizeof(pair));
      const __m256i a = _mm256_set1_epi32(pair);
      acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_madd_epi16(a, b0));
      acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_madd_epi16(a, b1));
    }
  }
  for (uint32_t r = 0; r < Rows; ++r) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(tile + r * kTileColumns), acc[r][0]);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(tile + r * kTileColumns + 8), acc[r][1]);
  }
}

#endif

}  // namespace

template <typename F>
PackedWeightsS16 packWeightsS16(const F* weights, uint32_t columns, uint32_t depth, int32_t zeroPoint) {
  PackedWeightsS16 packed;
  packed.depth = depth;
  packed.depthPairs = (depth + 1) / 2;
  packed.columns = columns;
  packed.columnBlocks = (columns + kTileColumns - 1) / kTileColumns;
  packed.data.resize(std::size_t(packed.columnBlocks) * packed.depthPairs * kTileColumns * 2);
  // Written in storage order (reading 16 weight rows side by side), with zeros past the last column and depth.
  int16_t* out = packed.data.data();
  for (uint32_t block = 0; block < packed.columnBlocks; ++block) {
    const F* rows[kTileColumns];
    for (uint32_t j = 0; j < kTileColumns; ++j) {
      const uint32_t c = block * kTileColumns + j;
      rows[j] = c < columns ? weights + std::size_t(c) * depth : nullptr;
    }
    for (uint32_t k = 0; k < 2 * packed.depthPairs; k += 2) {
      for (uint32_t j = 0; j < kTileColumns; ++j, out += 2) {
        const bool inside = rows[j] != nullptr;
        out[0] = inside && k < depth ? static_cast<int16_t>(rows[j][k] - zeroPoint) : 0;
        out[1] = inside && k + 1 < depth ? static_cast<int16_t>(rows[j][k + 1] - zeroPoint) : 0;
      }
    }
  }
  return packed;
}
template PackedWeightsS16 packWeightsS16<uint8_t>(const uint8_t*, uint32_t, uint32_t, int32_t);
template PackedWeightsS16 packWeightsS16<int8_t>(const int8_t*, uint32_t, uint32_t, int32_t);

void dotTileS16(const int16_t* lhs, std::size_t lhsStride, uint32_t rows, const int16_t* rhsBlock,
                uint32_t depthPairs, int32_t* tile) {
#ifdef NNAPI_HOST_HAVE_X86
  if (avx2KernelsEnabled()) {
    switch (rows) {
      case 1: return dotTileAvx2<1>(lhs, lhsStride, rhsBlock, depthPairs, tile);
      case 2: return dotTileAvx2<2>(lhs, lhsStride, rhsBlock, depthPairs, tile);
      case 3: return dotTileAvx2<3>(lhs, lhsStride, rhsBlock, depthPairs, tile);
      default: return dotTileAvx2<4>(lhs, lhsStride, rhsBlock, depthPairs, tile);
    }
  }
#endif
  switch (rows) {
    case 1: return dotTilePortable<1>(lhs, lhsStride, rhsBlock, depthPairs, tile);
    case 2: return dotTilePortable<2>(lhs, lhsStride, rhsBlock, depthPairs, tile);
    case 3: return dotTilePortable<3>(lhs, lhsStride, rhsBlock, depthPairs, tile);
    default: return dotTilePortable<4>(lhs, lhsStride, rhsBlock, depthPairs, tile);
  }
}

}  // namespace nnapi_host::kernels
