// Quantized pools: per output pixel, a contiguous per-channel loop over the taps that fall inside the input.
#include "kernels/quant/pool_q8.h"

#include <algorithm>
#include <vector>

#include "kernels/parallel_for.h"

namespace nnapi_host::kernels {
namespace {

// The taps of output pixel (oy, ox) that lie inside the input: [y0, y1) x [x0, x1).
struct TapBox {
  uint32_t y0, y1, x0, x1;
  uint32_t count() const { return (y1 - y0) * (x1 - x0); }
};

TapBox tapsInside(Shape4 in, const Window& win, uint32_t oy, uint32_t ox) {
  const int64_t top = int64_t(oy) * win.stride_h - win.pad_top;
  const int64_t left = int64_t(ox) * win.stride_w - win.pad_left;
  TapBox box;
  box.y0 = uint32_t(std::max<int64_t>(top, 0));
  box.y1 = uint32_t(std::clamp<int64_t>(top + win.filter_h, box.y0, in.h));
  box.x0 = uint32_t(std::max<int64_t>(left, 0));
  box.x1 = uint32_t(std::clamp<int64_t>(left + win.filter_w, box.x0, in.w));
  return box;
}

// Calls visit(outputPixelIndex, batch, box) for every output pixel, in parallel over pixels.
template <typename Visit>
void forEachOutputPixel(Shape4 in, const Window& win, Shape4 out, const Visit& visit) {
  const std::size_t pixels = std::size_t(out.n) * out.h * out.w;
  parallelForRanges(pixels, 16, [&](std::size_t begin, std::size_t end) {
    for (std::size_t pixel = begin; pixel < end; ++pixel) {
      const uint32_t ox = uint32_t(pixel % out.w);
      const uint32_t oy = uint32_t(pixel / out.w % out.h);
      visit(pixel, pixel / (std::size_t(out.w) * out.h), tapsInside(in, win, oy, ox));
    }
  });
}

// Integer division rounding half away from zero, as the reference's average pool rounds.
inline int32_t divideRounded(int32_t sum, int32_t count) {
  return sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
}

}  // namespace

template <typename T>
void averagePool2dQ8(const T* input, Shape4 in, const Window& win, IntRange act, T* output, Shape4 out) {
  forEachOutputPixel(in, win, out, [&](std::size_t pixel, std::size_t batch, TapBox box) {
    thread_local std::vector<int32_t> sums;
    sums.assign(in.c, 0);
    for (uint32_t y = box.y0; y < box.y1; ++y) {
      for (uint32_t x = box.x0; x < box.x1; ++x) {
        const T* src = input + ((batch * in.h + y) * in.w + x) * in.c;
        for (uint32_t c = 0; c < in.c; ++c) sums[c] += src[c];
      }
    }
    const int32_t count = int32_t(box.count());
    T* dst = output + pixel * out.c;
    for (uint32_t c = 0; c < in.c; ++c) dst[c] = clampTo<T>(divideRounded(sums[c], count), act);
  });
}

template <typename T>
void maxPool2dQ8(const T* input, Shape4 in, const Window& win, IntRange act, T* output, Shape4 out) {
  forEachOutputPixel(in, win, out, [&](std::size_t pixel, std::size_t batch, TapBox box) {
    T* dst = output + pixel * out.c;
    std::fill(dst, dst + out.c, std::numeric_limits<T>::lowest());
    for (uint32_t y = box.y0; y < box.y1; ++y) {
      for (uint32_t x = box.x0; x < box.x1; ++x) {
        const T* src = input + ((batch * in.h + y) * in.w + x) * in.c;
        for (uint32_t c = 0; c < in.c; ++c) dst[c] = std::max(dst[c], src[c]);
      }
    }
    for (uint32_t c = 0; c < in.c; ++c) dst[c] = clampTo<T>(dst[c], act);
  });
}

template void averagePool2dQ8<uint8_t>(const uint8_t*, Shape4, const Window&, IntRange, uint8_t*, Shape4);
template void averagePool2dQ8<int8_t>(const int8_t*, Shape4, const Window&, IntRange, int8_t*, Shape4);
template void maxPool2dQ8<uint8_t>(const uint8_t*, Shape4, const Window&, IntRange, uint8_t*, Shape4);
template void maxPool2dQ8<int8_t>(const int8_t*, Shape4, const Window&, IntRange, int8_t*, Shape4);

}  // namespace nnapi_host::kernels
