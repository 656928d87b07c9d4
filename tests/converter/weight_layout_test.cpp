// Weight re-layouts are byte-exact permutations: each element checked at its hand-computed destination.
#include <catch2/catch.hpp>

#include <numeric>

#include "ops/weight_layout.h"

namespace {
std::vector<float> iota(size_t n) {
  std::vector<float> v(n);
  std::iota(v.begin(), v.end(), 0.0f);
  return v;
}
}  // namespace

TEST_CASE("OIHW_to_OHWI puts w[o][i][h][w] at [o][h][w][i]", "[weight_layout]") {
  // O=2, I=3, H=2, W=2: source index ((o*3+i)*2+h)*2+w.
  const auto out = nnc::OIHW_to_OHWI(iota(24), {2, 3, 2, 2});
  for (int o = 0; o < 2; ++o)
    for (int i = 0; i < 3; ++i)
      for (int h = 0; h < 2; ++h)
        for (int w = 0; w < 2; ++w) CHECK(out[((o * 2 + h) * 2 + w) * 3 + i] == float(((o * 3 + i) * 2 + h) * 2 + w));
  // Spot values by hand: OHWI[0][0][0][1] = OIHW[0][1][0][0] = 4; OHWI[1][1][1][2] = OIHW[1][2][1][1] = 23.
  CHECK(out[1] == 4.0f);
  CHECK(out[23] == 23.0f);
  CHECK(out[2] == 8.0f);  // OHWI[0][0][0][2] = OIHW[0][2][0][0]
}

TEST_CASE("O1HW_to_1HWO makes the depthwise filter [1,H,W,O]", "[weight_layout]") {
  // O=3, H=1, W=2: OIHW values o*2+w.
  const auto out = nnc::O1HW_to_1HWO(iota(6), {3, 1, 1, 2});
  CHECK(out == std::vector<float>{0, 2, 4, 1, 3, 5});
}

TEST_CASE("IOHW_to_OHWI reorders a transposed-conv weight", "[weight_layout]") {
  // I=2, O=1, H=1, W=2: IOHW index i*2+w; OHWI [1,1,2,2] index w*2+i.
  const auto out = nnc::IOHW_to_OHWI(iota(4), {2, 1, 1, 2});
  CHECK(out == std::vector<float>{0, 2, 1, 3});
}

TEST_CASE("IOHW_to_OHWI with different input and output channel counts tells I from O", "[weight_layout]") {
  // I=2, O=3, H=1, W=1: IOHW value i*3+o. OHWI [3,1,1,2] holds, per output channel o, the values of inputs 0 and 1:
  // (0, 3), (1, 4), (2, 5). Reading the weight as OIHW ([2,3,1,1]: value o'*3+i') would give a [2,1,1,3] filter.
  const auto out = nnc::IOHW_to_OHWI(iota(6), {2, 3, 1, 1});
  CHECK(out == std::vector<float>{0, 3, 1, 4, 2, 5});
}

TEST_CASE("columnsCHW_to_HWC reorders fully-connected columns for an NHWC-flattened input", "[weight_layout]") {
  // units=1, C=2, H=1, W=2: logical column c*2+w, physical (w*2+c).
  const auto out = nnc::columnsCHW_to_HWC(std::vector<float>{10, 11, 20, 21}, 1, 2, 1, 2);
  CHECK(out == std::vector<float>{10, 20, 11, 21});
}

TEST_CASE("columnsCHW_to_HWC_inPlace gives columnsCHW_to_HWC's rows in the weight's own memory", "[weight_layout]") {
  // units=2, C=3, H=2, W=1: unequal C, H and W, so a swapped pair of them shows.
  std::vector<float> weight = iota(12);
  const std::vector<float> expected = nnc::columnsCHW_to_HWC(weight, 2, 3, 2, 1);
  CHECK(expected == std::vector<float>{0, 2, 4, 1, 3, 5, 6, 8, 10, 7, 9, 11});
  const float* const memory = weight.data();
  std::vector<float> scratch(6);
  nnc::columnsCHW_to_HWC_inPlace(weight.data(), 2, 3, 2, 1, scratch.data());
  CHECK(weight == expected);
  CHECK(weight.data() == memory);
}
