// Internal to the quantized kernels: the integer matrix product behind CONV_2D, GROUPED_CONV_2D and
// FULLY_CONNECTED. Both operands are int16 values that already had their zero points subtracted (uint8 - zp and
// int8 - zp both fit), so one product of two of them, and the sum of two such products, fit int32 exactly: the
// accumulation is the reference's int32 sum (§11.5) in a different order, which integer addition does not see.
//
// The right-hand side (weights) is packed once per call into blocks of kTileColumns columns, depth pairs
// interleaved, so that an x86 `pmaddwd` multiplies one broadcast pair of left-hand values by a pair of rows of
// 8 columns at once. On CPUs without AVX2 (or under setPortableKernelsForTesting) a plain C++ kernel computes
// the same sums.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nnapi_host::kernels {

constexpr uint32_t kTileRows = 4;
constexpr uint32_t kTileColumns = 16;

// Weights [columns][depth] (row c at weights + c * depth), zero point subtracted, laid out as
// [columnBlocks][depthPairs][kTileColumns][2] with zeros past `columns` and past `depth`.
struct PackedWeightsS16 {
  uint32_t depth = 0;
  uint32_t depthPairs = 0;  // ceil(depth / 2): left-hand rows must hold 2 * depthPairs values, the last one 0
  uint32_t columns = 0;
  uint32_t columnBlocks = 0;
  std::vector<int16_t> data;

  const int16_t* block(uint32_t columnBlock) const {
    return data.data() + std::size_t(columnBlock) * depthPairs * kTileColumns * 2;
  }
};

template <typename F>
PackedWeightsS16 packWeightsS16(const F* weights, uint32_t columns, uint32_t depth, int32_t zeroPoint);

// tile[r * kTileColumns + j] = sum over k of lhs[r * lhsStride + k] * column (block start + j) at depth k,
// for r < rows (1..kTileRows). lhsStride and the rows' padding are in int16 elements.
void dotTileS16(const int16_t* lhs, std::size_t lhsStride, uint32_t rows, const int16_t* rhsBlock,
                uint32_t depthPairs, int32_t* tile);

}  // namespace nnapi_host::kernels
