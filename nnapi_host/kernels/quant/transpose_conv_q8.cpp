// TRANSPOSE_CONV_2D, quantized, in the reference's own form (§11.5, AOSP TransposeConv2D.cpp): every input pixel
// scatters its products into an int32 buffer the size of the output, then bias and the output stage follow.
// Rare in the models we convert, so it stays simple; batches run in parallel.
#include <algorithm>
#include <vector>

#include "kernels/parallel_for.h"
#include "kernels/quant/conv_q8.h"
#include "kernels/quant/requantize.h"

namespace nnapi_host::kernels {

template <typename T, typename F>
void transposeConv2dQ8(const T* input, Shape4 in, const F* filter, const int32_t* bias, const Window& win,
                       const ConvQuant& quant, IntRange act, T* output, Shape4 out) {
  const OutputStage stage(convolutionMultipliers("TRANSPOSE_CONV_2D", quant, out.c), bias, quant.output.zero_point,
                          act);
  const int32_t filterZeroPoint = quant.filter.scaleCount == 1 ? quant.filter.zero_point : 0;
  const std::size_t imageSize = std::size_t(out.h) * out.w * out.c;

  parallelFor(out.n, [&](std::size_t batch) {
    std::vector<int32_t> acc(imageSize, 0);
    for (uint32_t h = 0; h < in.h; ++h) {
      for (uint32_t w = 0; w < in.w; ++w) {
        const T* src = input + ((batch * in.h + h) * in.w + w) * in.c;
        for (uint32_t i = 0; i < win.filter_h; ++i) {
          const int64_t y = int64_t(h) * win.stride_h - win.pad_top + i;
          if (y < 0 || y >= out.h) continue;
          for (uint32_t j = 0; j < win.filter_w; ++j) {
            const int64_t x = int64_t(w) * win.stride_w - win.pad_left + j;
            if (x < 0 || x >= out.w) continue;
            int32_t* dst = acc.data() + (std::size_t(y) * out.w + x) * out.c;
            for (uint32_t o = 0; o < out.c; ++o) {
              const F* f = filter + ((std::size_t(o) * win.filter_h + i) * win.filter_w + j) * in.c;
              int32_t sum = 0;
              for (uint32_t c = 0; c < in.c; ++c) {
                sum += (int32_t(src[c]) - quant.input.zero_point) * (int32_t(f[c]) - filterZeroPoint);
              }
              dst[o] += sum;
            }
          }
        }
      }
    }
    for (std::size_t p = 0; p < std::size_t(out.h) * out.w; ++p) {
      stage.apply(acc.data() + p * out.c, 0, out.c, output + batch * imageSize + p * out.c);
    }
  });
}

template void transposeConv2dQ8<uint8_t, uint8_t>(const uint8_t*, Shape4, const uint8_t*, const int32_t*,
                                                  const Window&, const ConvQuant&, IntRange, uint8_t*, Shape4);
template void transposeConv2dQ8<uint8_t, int8_t>(const uint8_t*, Shape4, const int8_t*, const int32_t*,
                                                 const Window&, const ConvQuant&, IntRange, uint8_t*, Shape4);
template void transposeConv2dQ8<int8_t, int8_t>(const int8_t*, Shape4, const int8_t*, const int32_t*,
                                                const Window&, const ConvQuant&, IntRange, int8_t*, Shape4);

}  // namespace nnapi_host::kernels
