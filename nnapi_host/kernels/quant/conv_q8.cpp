// CONV_2D and GROUPED_CONV_2D, quantized: im2col into int16 rows (zero point subtracted, padding taps 0), an
// int16 matrix product against the packed filter, and the §11.5 output stage applied tile by tile while the
// accumulators are still in registers' reach.
#include "kernels/quant/conv_q8.h"

#include <algorithm>
#include <vector>

#include "kernels/parallel_for.h"
#include "kernels/quant/gemm_s16.h"
#include "kernels/quant/requantize.h"

namespace nnapi_host::kernels {
namespace {

// Output pixels whose im2col rows are built and multiplied together: small enough that the rows stay in L2
// while every column block of the filter passes over them.
constexpr uint32_t kPixelsPerChunk = 32;

// im2col row of output pixel (batch, oy, ox) for the input channels [firstChannel, firstChannel + channels):
// ordered (ky, kx, channel) like a filter row [KH, KW, Cin/groups], input zero point subtracted, taps in the
// padding left 0 (the reference pads with zp_in, whose difference is 0).
template <typename T>
void fillIm2colRow(const T* input, Shape4 in, const Window& win, uint32_t batch, uint32_t oy, uint32_t ox,
                   uint32_t firstChannel, uint32_t channels, int32_t zeroPoint, int16_t* row) {
  const int64_t y0 = int64_t(oy) * win.stride_h - win.pad_top;
  const int64_t x0 = int64_t(ox) * win.stride_w - win.pad_left;
  for (uint32_t ky = 0; ky < win.filter_h; ++ky) {
    const int64_t y = y0 + int64_t(ky) * win.dilation_h;
    for (uint32_t kx = 0; kx < win.filter_w; ++kx, row += channels) {
      const int64_t x = x0 + int64_t(kx) * win.dilation_w;
      if (y < 0 || y >= in.h || x < 0 || x >= in.w) {
        std::fill(row, row + channels, int16_t(0));
        continue;
      }
      const T* src = input + ((std::size_t(batch) * in.h + y) * in.w + x) * in.c + firstChannel;
      for (uint32_t c = 0; c < channels; ++c) row[c] = static_cast<int16_t>(src[c] - zeroPoint);
    }
  }
}

}  // namespace

std::vector<QuantizedMultiplier> convolutionMultipliers(const char* operation, const ConvQuant& quant,
                                                        uint32_t channels) {
  const auto forScale = [&](float filterScale) {
    return quantizeMultiplier(convolutionRealMultiplier(quant.input.scale, filterScale, quant.output.scale),
                              operation);
  };
  if (quant.filter.scaleCount == 1) {
    return std::vector<QuantizedMultiplier>(channels, forScale(quant.filter.scales[0]));
  }
  std::vector<QuantizedMultiplier> multipliers(channels);
  for (uint32_t c = 0; c < channels; ++c) multipliers[c] = forScale(quant.filter.scales[c]);
  return multipliers;
}

template <typename T, typename F>
void conv2dQ8(const T* input, Shape4 in, const F* filter, const int32_t* bias, uint32_t groups, const Window& win,
              const ConvQuant& quant, IntRange act, T* output, Shape4 out) {
  const uint32_t inPerGroup = in.c / groups;
  const uint32_t outPerGroup = out.c / groups;
  const uint32_t depth = win.filter_h * win.filter_w * inPerGroup;
  const OutputStage stage(convolutionMultipliers(groups > 1 ? "GROUPED_CONV_2D" : "CONV_2D", quant, out.c), bias,
                          quant.output.zero_point, act);
  const int32_t filterZeroPoint = quant.filter.scaleCount == 1 ? quant.filter.zero_point : 0;
  std::vector<PackedWeightsS16> packed;
  for (uint32_t g = 0; g < groups; ++g) {
    packed.push_back(
        packWeightsS16(filter + std::size_t(g) * outPerGroup * depth, outPerGroup, depth, filterZeroPoint));
  }
  const uint32_t rowStride = 2 * packed[0].depthPairs;
  const std::size_t pixels = std::size_t(out.n) * out.h * out.w;

  parallelForRanges(pixels, kPixelsPerChunk, [&](std::size_t begin, std::size_t end) {
    std::vector<int16_t> rows(std::size_t(kPixelsPerChunk) * rowStride, 0);
    int32_t tile[kTileRows * kTileColumns];
    for (std::size_t chunk = begin; chunk < end; chunk += kPixelsPerChunk) {
      const uint32_t chunkPixels = uint32_t(std::min<std::size_t>(kPixelsPerChunk, end - chunk));
      for (uint32_t g = 0; g < groups; ++g) {
        for (uint32_t p = 0; p < chunkPixels; ++p) {
          const std::size_t pixel = chunk + p;
          const uint32_t ox = uint32_t(pixel % out.w);
          const uint32_t oy = uint32_t(pixel / out.w % out.h);
          const uint32_t batch = uint32_t(pixel / (std::size_t(out.w) * out.h));
          fillIm2colRow(input, in, win, batch, oy, ox, g * inPerGroup, inPerGroup, quant.input.zero_point,
                        rows.data() + std::size_t(p) * rowStride);
        }
        const PackedWeightsS16& weights = packed[g];
        for (uint32_t block = 0; block < weights.columnBlocks; ++block) {
          const uint32_t firstColumn = g * outPerGroup + block * kTileColumns;
          const uint32_t columns = std::min(kTileColumns, outPerGroup - block * kTileColumns);
          for (uint32_t p = 0; p < chunkPixels; p += kTileRows) {
            const uint32_t tileRows = std::min(kTileRows, chunkPixels - p);
            dotTileS16(rows.data() + std::size_t(p) * rowStride, rowStride, tileRows, weights.block(block),
                       weights.depthPairs, tile);
            for (uint32_t r = 0; r < tileRows; ++r) {
              T* dst = output + (chunk + p + r) * out.c + firstColumn;
              stage.apply(tile + r * kTileColumns, firstColumn, columns, dst);
            }
          }
        }
      }
    }
  });
}

template void conv2dQ8<uint8_t, uint8_t>(const uint8_t*, Shape4, const uint8_t*, const int32_t*, uint32_t,
                                         const Window&, const ConvQuant&, IntRange, uint8_t*, Shape4);
template void conv2dQ8<uint8_t, int8_t>(const uint8_t*, Shape4, const int8_t*, const int32_t*, uint32_t,
                                        const Window&, const ConvQuant&, IntRange, uint8_t*, Shape4);
template void conv2dQ8<int8_t, int8_t>(const int8_t*, Shape4, const int8_t*, const int32_t*, uint32_t,
                                       const Window&, const ConvQuant&, IntRange, int8_t*, Shape4);

}  // namespace nnapi_host::kernels
