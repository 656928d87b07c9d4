// The kernels' Window from a convolution's or pool's parsed parameters, in one place for both executors.
#pragma once

#include <algorithm>
#include <type_traits>

#include "kernels/spatial.h"
#include "validation/op_params.h"

namespace nnapi_host {

template <typename Params>
kernels::Window windowOf(const Params& p) {
  static_assert(std::is_same_v<Params, nnapi_rules::ConvParams> || std::is_same_v<Params, nnapi_rules::PoolParams>);
  kernels::Window w;
  // TRANSPOSE_CONV_2D's right/bottom pads may be negative; its kernel reads only left/top, which are >= 0.
  w.pad_left = uint32_t(std::max(0, p.pad.left));
  w.pad_right = uint32_t(std::max(0, p.pad.right));
  w.pad_top = uint32_t(std::max(0, p.pad.top));
  w.pad_bottom = uint32_t(std::max(0, p.pad.bottom));
  w.stride_w = p.strideW;
  w.stride_h = p.strideH;
  w.filter_w = p.filterW;
  w.filter_h = p.filterH;
  if constexpr (std::is_same_v<Params, nnapi_rules::ConvParams>) {  // pools have no dilation
    w.dilation_w = p.dilationW;
    w.dilation_h = p.dilationH;
  }
  return w;
}

}  // namespace nnapi_host
