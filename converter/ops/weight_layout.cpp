#include "ops/weight_layout.h"

namespace nnc {

std::vector<float> OIHW_to_OHWI(const std::vector<float>& weight, const std::vector<int64_t>& s) {
  const int64_t O = s[0], I = s[1], H = s[2], W = s[3];
  std::vector<float> out(weight.size());
  for (int64_t o = 0; o < O; ++o)
    for (int64_t i = 0; i < I; ++i)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t w = 0; w < W; ++w) out[((o * H + h) * W + w) * I + i] = weight[((o * I + i) * H + h) * W + w];
  return out;
}

std::vector<float> O1HW_to_1HWO(const std::vector<float>& weight, const std::vector<int64_t>& s) {
  const int64_t O = s[0], H = s[2], W = s[3];
  std::vector<float> out(weight.size());
  for (int64_t o = 0; o < O; ++o)
    for (int64_t h = 0; h < H; ++h)
      for (int64_t w = 0; w < W; ++w) out[(h * W + w) * O + o] = weight[(o * H + h) * W + w];
  return out;
}

std::vector<float> IOHW_to_OHWI(const std::vector<float>& weight, const std::vector<int64_t>& s) {
  const int64_t I = s[0], O = s[1], H = s[2], W = s[3];
  std::vector<float> out(weight.size());
  for (int64_t i = 0; i < I; ++i)
    for (int64_t o = 0; o < O; ++o)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t w = 0; w < W; ++w) out[((o * H + h) * W + w) * I + i] = weight[((i * O + o) * H + h) * W + w];
  return out;
}

std::vector<float> columnsCHW_to_HWC(const std::vector<float>& weight, int64_t units, int64_t C, int64_t H,
                                     int64_t W) {
  const int64_t features = C * H * W;
  std::vector<float> out(weight.size());
  for (int64_t u = 0; u < units; ++u)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t w = 0; w < W; ++w)
          out[u * features + (h * W + w) * C + c] = weight[u * features + (c * H + h) * W + w];
  return out;
}

}  // namespace nnc
