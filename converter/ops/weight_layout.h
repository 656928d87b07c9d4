// Offline re-layout of PyTorch weights into what NNAPI's operations read. Names say from -> to:
// O = output channels, I = input channels (per group), H/W = kernel height/width. Each loop writes its output in
// order (reads are the strided side): strided writes of a power-of-two stride keep evicting the same cache sets.
//
// Templates over the values read: a std::vector (the raw 8-bit values of quantized weights, ops/quant_params.h,
// converted values) or FloatValues (ops/graph.h: a float32 weight read where libtorch holds it); each writes a new
// vector of the same element type.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

namespace nnc {

template <typename Values>
using ElementOf = std::decay_t<decltype(std::declval<const Values&>()[0])>;

// CONV_2D / GROUPED_CONV_2D filter: PyTorch [O, I, H, W] -> NNAPI [O, H, W, I].
template <typename Values, typename T = ElementOf<Values>>
std::vector<T> OIHW_to_OHWI(const Values& weight, const std::vector<int64_t>& oihw) {
  const int64_t O = oihw[0], I = oihw[1], H = oihw[2], W = oihw[3];
  std::vector<T> out(weight.size());
  for (int64_t o = 0; o < O; ++o)
    for (int64_t h = 0; h < H; ++h)
      for (int64_t w = 0; w < W; ++w)
        for (int64_t i = 0; i < I; ++i) out[((o * H + h) * W + w) * I + i] = weight[((o * I + i) * H + h) * W + w];
  return out;
}

// DEPTHWISE_CONV_2D filter: PyTorch [O, 1, H, W] (groups == in channels) -> NNAPI [1, H, W, O].
template <typename Values, typename T = ElementOf<Values>>
std::vector<T> O1HW_to_1HWO(const Values& weight, const std::vector<int64_t>& o1hw) {
  const int64_t O = o1hw[0], H = o1hw[2], W = o1hw[3];
  std::vector<T> out(weight.size());
  for (int64_t h = 0; h < H; ++h)
    for (int64_t w = 0; w < W; ++w)
      for (int64_t o = 0; o < O; ++o) out[(h * W + w) * O + o] = weight[(o * H + h) * W + w];
  return out;
}

// TRANSPOSE_CONV_2D filter: PyTorch ConvTranspose [I, O, H, W] -> NNAPI [O, H, W, I].
template <typename Values, typename T = ElementOf<Values>>
std::vector<T> IOHW_to_OHWI(const Values& weight, const std::vector<int64_t>& iohw) {
  const int64_t I = iohw[0], O = iohw[1], H = iohw[2], W = iohw[3];
  std::vector<T> out(weight.size());
  for (int64_t o = 0; o < O; ++o)
    for (int64_t h = 0; h < H; ++h)
      for (int64_t w = 0; w < W; ++w)
        for (int64_t i = 0; i < I; ++i) out[((o * H + h) * W + w) * I + i] = weight[((i * O + o) * H + h) * W + w];
  return out;
}

// One row of FULLY_CONNECTED weights: the C*H*W columns read from `in` in PyTorch's flatten of an NCHW map are
// written to `out` in a flattened NHWC map's (H, W, C) order.
template <typename In, typename Out>
void rowCHW_to_HWC(In in, Out out, int64_t C, int64_t H, int64_t W) {
  const int64_t HW = H * W;
  for (int64_t hw = 0; hw < HW; ++hw)
    for (int64_t c = 0; c < C; ++c) out[hw * C + c] = in[c * HW + hw];
}

// FULLY_CONNECTED weights [units, C*H*W] whose columns follow PyTorch's flatten of an NCHW map, reordered for an
// input that was flattened from NHWC (columns in (H, W, C) order).
template <typename Values, typename T = ElementOf<Values>>
std::vector<T> columnsCHW_to_HWC(const Values& weight, int64_t units, int64_t C, int64_t H, int64_t W) {
  const int64_t features = C * H * W;
  std::vector<T> out(weight.size());
  for (int64_t u = 0; u < units; ++u) rowCHW_to_HWC(weight.begin() + u * features, out.begin() + u * features, C, H, W);
  return out;
}

// columnsCHW_to_HWC in place on the `units` rows at `rows`, through `scratch` (room for one row, given by the
// caller so that nothing here can fail once the rows change): a weight of hundreds of MB (VGG's first classifier
// layer: 411 MB) is reordered without being held twice.
template <typename T>
void columnsCHW_to_HWC_inPlace(T* rows, int64_t units, int64_t C, int64_t H, int64_t W, T* scratch) {
  const int64_t features = C * H * W;
  for (int64_t u = 0; u < units; ++u) {
    T* const at = rows + u * features;
    std::copy(at, at + features, scratch);
    rowCHW_to_HWC(static_cast<const T*>(scratch), at, C, H, W);
  }
}

// Which of the re-layouts a convolution's filter takes; `None` keeps PyTorch's order (FULLY_CONNECTED [units, in]).
enum class FilterRelayout { OIHW_to_OHWI, O1HW_to_1HWO, IOHW_to_OHWI, None };

// The permutation that turns a filter relayouted by `relayout` back into PyTorch's order: OHWI -> OIHW, depthwise
// [1,H,W,O] -> [O,1,H,W], OHWI -> IOHW (a transposed convolution's weight); empty for None.
inline std::vector<int64_t> torchOrderOf(FilterRelayout relayout) {
  switch (relayout) {
    case FilterRelayout::OIHW_to_OHWI: return {0, 3, 1, 2};
    case FilterRelayout::O1HW_to_1HWO:
    case FilterRelayout::IOHW_to_OHWI: return {3, 0, 1, 2};
    case FilterRelayout::None: break;
  }
  return {};
}

template <typename Values, typename T = ElementOf<Values>>
std::vector<T> relayoutFilter(FilterRelayout relayout, const Values& weight,
                              const std::vector<int64_t>& shape) {
  switch (relayout) {
    case FilterRelayout::OIHW_to_OHWI: return OIHW_to_OHWI(weight, shape);
    case FilterRelayout::O1HW_to_1HWO: return O1HW_to_1HWO(weight, shape);
    case FilterRelayout::IOHW_to_OHWI: return IOHW_to_OHWI(weight, shape);
    case FilterRelayout::None: break;
  }
  return std::vector<T>(weight.begin(), weight.end());
}

}  // namespace nnc
