// pixel_shuffle -> DEPTH_TO_SPACE, pixel_unshuffle -> SPACE_TO_DEPTH: no reorder with one wide-side channel, the
// per-pixel depth transpose (RESHAPE, TRANSPOSE, RESHAPE) on the deep side otherwise, and the refusals.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

TEST_CASE("pixel_shuffle to one channel is a lone DEPTH_TO_SPACE, available at feature level 1", "[pixel_shuffle]") {
  LoweringHarness h(27);
  const auto x = h.tensor({1, 9, 4, 5}, Layout::ChannelsLast);
  h.lower("aten::pixel_shuffle", {x, h.integer(3)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_DEPTH_TO_SPACE});
  const auto& op = h.operation(0);
  REQUIRE(op.inputs.size() == 2);  // no NCHW input: that one needs feature level 3
  CHECK(op.inputs[0] == h.operandOf(x));
  CHECK(h.scalarInt(op.inputs[1]) == 3);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 12, 15, 1});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

TEST_CASE("pixel_shuffle to several channels reorders PyTorch's c*r*r + k into NNAPI's k*C + c first",
          "[pixel_shuffle]") {
  LoweringHarness h;
  // C = 3 wide-side channels, r = 2: each pixel's 12 channels as a 3x4 matrix, transposed to 4x3.
  const auto x = h.tensor({2, 12, 4, 5}, Layout::ChannelsLast);
  h.lower("aten::pixel_shuffle", {x, h.integer(2)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_TRANSPOSE,
                                                     ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_DEPTH_TO_SPACE});
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{2, 20, 3, 4});
  CHECK(h.intValues(h.operation(1).inputs[1]) == std::vector<int32_t>{0, 1, 3, 2});
  CHECK(h.intValues(h.operation(2).inputs[1]) == std::vector<int32_t>{2, 4, 5, 12});
  CHECK(h.operation(3).inputs[0] == h.operation(2).outputs[0]);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 8, 10, 3});
}

TEST_CASE("pixel_unshuffle is SPACE_TO_DEPTH, then NNAPI's k*C + c reordered into PyTorch's c*r*r + k",
          "[pixel_shuffle]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 3, 6, 4}, Layout::ChannelsLast);
  h.lower("aten::pixel_unshuffle", {x, h.integer(2)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_SPACE_TO_DEPTH, ANEURALNETWORKS_RESHAPE,
                                                     ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_RESHAPE});
  CHECK(h.operand(h.operation(0).outputs[0]).dims == std::vector<uint32_t>{1, 3, 2, 12});
  // Each pixel's depth as a 4x3 matrix (block position major), transposed to 3x4 (channel major).
  CHECK(h.intValues(h.operation(1).inputs[1]) == std::vector<int32_t>{1, 6, 4, 3});
  CHECK(h.intValues(h.operation(3).inputs[1]) == std::vector<int32_t>{1, 3, 2, 12});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

TEST_CASE("pixel_shuffle keeps a run-time batch as RESHAPE's -1, and a factor of 1 emits nothing", "[pixel_shuffle]") {
  LoweringHarness h;
  SECTION("run-time batch") {
    const auto x = h.tensor({0, 8, 3, 3}, Layout::ChannelsLast);
    h.lower("aten::pixel_shuffle", {x, h.integer(2)});
    CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{-1, 9, 2, 4});
  }
  SECTION("factor 1") {
    const auto x = h.tensor({1, 8, 3, 3}, Layout::ChannelsLast);
    h.lower("aten::pixel_shuffle", {x, h.integer(1)});
    CHECK(h.operations().empty());
  }
}

TEST_CASE("pixel_shuffle and pixel_unshuffle refuse what they cannot emit", "[pixel_shuffle]") {
  SECTION("a channel reorder below feature level 2 (TRANSPOSE)") {
    LoweringHarness h(27);
    const auto x = h.tensor({1, 8, 3, 3}, Layout::ChannelsLast);
    CHECK_THAT(h.unsupportedReason("aten::pixel_shuffle", {x, h.integer(2)}),
               Catch::Contains("reordering 2 channels uses TRANSPOSE") && Catch::Contains("Android 9"));
  }
  LoweringHarness h;
  SECTION("rank 5") {
    const auto x = h.tensor({1, 1, 4, 2, 2});
    CHECK_THAT(h.unsupportedReason("aten::pixel_shuffle", {x, h.integer(2)}), Catch::Contains("4-D"));
  }
  SECTION("run-time height with a reorder") {
    const auto x = h.tensor({1, 8, 0, 3}, Layout::ChannelsLast);
    CHECK_THAT(h.unsupportedReason("aten::pixel_shuffle", {x, h.integer(2)}),
               Catch::Contains("fixed only at run time"));
  }
  SECTION("indivisible") {
    const auto x = h.tensor({1, 2, 5, 4}, Layout::ChannelsLast);
    CHECK_THAT(h.unsupportedReason("aten::pixel_unshuffle", {x, h.integer(2)}),
               Catch::Contains("divisible by 2"));
  }
  SECTION("quantized") {
    const auto x = h.quantTensor({1, 4, 2, 2}, 0.5f, 0, Layout::ChannelsLast);
    CHECK_THAT(h.unsupportedReason("aten::pixel_shuffle", {x, h.integer(2)}), Catch::Contains("float32"));
  }
}
