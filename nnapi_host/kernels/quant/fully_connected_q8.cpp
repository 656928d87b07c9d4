// FULLY_CONNECTED, quantized: the int16 matrix product of gemm_s16.h with the §11.5 output stage. A batch is
// usually 1, so the work is split over blocks of output units rather than over rows.
#include "kernels/quant/fully_connected_q8.h"

#include <algorithm>
#include <vector>

#include "kernels/parallel_for.h"
#include "kernels/quant/gemm_s16.h"
#include "kernels/quant/requantize.h"

namespace nnapi_host::kernels {

template <typename T>
void fullyConnectedQ8(const T* input, uint32_t batch, uint32_t inputSize, QuantParams inputQuant, const T* weights,
                      QuantParams weightsQuant, const int32_t* bias, uint32_t units, IntRange act, T* output,
                      QuantParams outputQuant) {
  const QuantizedMultiplier multiplier = quantizeMultiplier(
      convolutionRealMultiplier(inputQuant.scale, weightsQuant.scale, outputQuant.scale), "FULLY_CONNECTED");
  const OutputStage stage(std::vector<QuantizedMultiplier>(units, multiplier), bias, outputQuant.zero_point, act);
  const PackedWeightsS16 packed = packWeightsS16(weights, units, inputSize, weightsQuant.zero_point);
  const uint32_t rowStride = 2 * packed.depthPairs;
  std::vector<int16_t> rows(std::size_t(batch) * rowStride, 0);
  for (uint32_t b = 0; b < batch; ++b) {
    for (uint32_t k = 0; k < inputSize; ++k) {
      rows[std::size_t(b) * rowStride + k] =
          static_cast<int16_t>(input[std::size_t(b) * inputSize + k] - inputQuant.zero_point);
    }
  }

  parallelFor(packed.columnBlocks, [&](std::size_t block) {
    int32_t tile[kTileRows * kTileColumns];
    const uint32_t firstUnit = uint32_t(block) * kTileColumns;
    const uint32_t columns = std::min(kTileColumns, units - firstUnit);
    for (uint32_t b = 0; b < batch; b += kTileRows) {
      const uint32_t tileRows = std::min(kTileRows, batch - b);
      dotTileS16(rows.data() + std::size_t(b) * rowStride, rowStride, tileRows, packed.block(uint32_t(block)),
                 packed.depthPairs, tile);
      for (uint32_t r = 0; r < tileRows; ++r) {
        stage.apply(tile + r * kTileColumns, firstUnit, columns, output + std::size_t(b + r) * units + firstUnit);
      }
    }
  });
}

template void fullyConnectedQ8<uint8_t>(const uint8_t*, uint32_t, uint32_t, QuantParams, const uint8_t*,
                                        QuantParams, const int32_t*, uint32_t, IntRange, uint8_t*, QuantParams);
template void fullyConnectedQ8<int8_t>(const int8_t*, uint32_t, uint32_t, QuantParams, const int8_t*, QuantParams,
                                       const int32_t*, uint32_t, IntRange, int8_t*, QuantParams);

}  // namespace nnapi_host::kernels
