// Multiply-adds per node, for the summary's "share of the model on NNAPI": hand-counted for each counted kind.
#include <catch2/catch.hpp>

#include "frontend/multiply_adds.h"

using nnc::multiplyAdds;

TEST_CASE("A convolution costs output elements x input channels per group x kernel taps", "[multiply_adds]") {
  // [1,8,16,16] -> conv 3x3, 4 groups (weight [16,2,3,3]) -> [1,16,16,16]: 4096 outputs x 2 x 9.
  CHECK(multiplyAdds("aten::_convolution", {{1, 8, 16, 16}, {16, 2, 3, 3}, {16}}, {1, 16, 16, 16}, false) ==
        4096 * 2 * 9);
  // Transposed, weight [Cin=8, Cout/groups=4, 2, 2]: each of the 1x8x4x4 inputs feeds 4 x 2 x 2 outputs.
  CHECK(multiplyAdds("aten::_convolution", {{1, 8, 4, 4}, {8, 4, 2, 2}, {}}, {1, 4, 8, 8}, true) == 128 * 4 * 4);
  CHECK(multiplyAdds("aten::conv1d", {{1, 1, 400}, {16, 1, 9}, {16}}, {1, 16, 98}, false) == 16 * 98 * 9);
}

TEST_CASE("Linear layers and matrix products cost output elements x the reduced dimension", "[multiply_adds]") {
  CHECK(multiplyAdds("aten::linear", {{2, 32}, {10, 32}, {10}}, {2, 10}, false) == 20 * 32);
  CHECK(multiplyAdds("aten::matmul", {{4, 6}, {6, 5}}, {4, 5}, false) == 20 * 6);
  CHECK(multiplyAdds("aten::addmm", {{5}, {4, 6}, {6, 5}}, {4, 5}, false) == 20 * 6);
}

TEST_CASE("A fused transformer encoder layer counts its four weight matrices per token and attention",
          "[multiply_adds]") {
  std::vector<std::vector<int64_t>> inputs(18);
  inputs[0] = {1, 16, 32};  // B, S, E
  inputs[3] = {96, 32};     // qkv
  inputs[5] = {32, 32};     // out projection
  inputs[14] = {64, 32};    // feed-forward
  inputs[16] = {32, 64};
  CHECK(multiplyAdds("aten::_transformer_encoder_layer_fwd", inputs, {1, 16, 32}, false) ==
        16 * (96 * 32 + 32 * 32 + 64 * 32 + 32 * 64) + 2 * 16 * 16 * 32);
}

TEST_CASE("Multi-head attention counts its projections and the attention products", "[multiply_adds]") {
  std::vector<std::vector<int64_t>> inputs(10);
  inputs[0] = inputs[1] = inputs[2] = {2, 16, 32};  // self-attention: B, L = S, E
  inputs[5] = {96, 32};
  inputs[7] = {32, 32};
  CHECK(multiplyAdds("aten::_native_multi_head_attention", inputs, {2, 16, 32}, false) ==
        2 * ((16 + 2 * 16) * 32 * 32 + 16 * 32 * 32 + 2 * 16 * 16 * 32));
}

TEST_CASE("Everything else and non-tensor results count 0", "[multiply_adds]") {
  CHECK(multiplyAdds("aten::relu", {{1, 8}}, {1, 8}, false) == 0);
  CHECK(multiplyAdds("aten::linear", {{2, 32}, {10, 32}}, {}, false) == 0);
}
