// Offline re-layout of PyTorch weights into what NNAPI's operations read. Names say from -> to:
// O = output channels, I = input channels (per group), H/W = kernel height/width.
#pragma once

#include <cstdint>
#include <vector>

namespace nnc {

// CONV_2D / GROUPED_CONV_2D filter: PyTorch [O, I, H, W] -> NNAPI [O, H, W, I].
std::vector<float> OIHW_to_OHWI(const std::vector<float>& weight, const std::vector<int64_t>& oihw);
// DEPTHWISE_CONV_2D filter: PyTorch [O, 1, H, W] (groups == in channels) -> NNAPI [1, H, W, O].
std::vector<float> O1HW_to_1HWO(const std::vector<float>& weight, const std::vector<int64_t>& o1hw);
// TRANSPOSE_CONV_2D filter: PyTorch ConvTranspose [I, O, H, W] -> NNAPI [O, H, W, I].
std::vector<float> IOHW_to_OHWI(const std::vector<float>& weight, const std::vector<int64_t>& iohw);
// FULLY_CONNECTED weights [units, C*H*W] whose columns follow PyTorch's flatten of an NCHW map, reordered for an
// input that was flattened from NHWC (columns in (H, W, C) order).
std::vector<float> columnsCHW_to_HWC(const std::vector<float>& weight, int64_t units, int64_t c, int64_t h,
                                     int64_t w);

}  // namespace nnc
