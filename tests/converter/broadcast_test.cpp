// expand, expand_as and repeat: TILE with per-physical-axis multiples, a RESHAPE first for new leading dimensions.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

TEST_CASE("expand of a 1x1 NHWC map tiles H and W on physical axes 1 and 2", "[broadcast]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 4, 1, 1}, Layout::ChannelsLast);
  h.lower("aten::expand", {x, h.ints({-1, -1, 3, 5}), h.boolean(false)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TILE});
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{1, 3, 5, 1});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 3, 5, 4});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

TEST_CASE("expand with new leading dimensions reshapes first", "[broadcast]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 3});
  h.lower("aten::expand", {x, h.ints({2, 4, 3}), h.boolean(false)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_TILE});
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{1, 1, 3});
  CHECK(h.intValues(h.operation(1).inputs[1]) == std::vector<int32_t>{2, 4, 1});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 4, 3});
}

TEST_CASE("expand_as takes the other tensor's shape, and expanding to the same shape emits nothing", "[broadcast]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 1});
  const auto other = h.tensor({2, 6});
  h.lower("aten::expand_as", {x, other});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TILE});
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{1, 6});
  h.lower("aten::expand_as", {other, other});
  CHECK(h.operations().size() == 1);
  CHECK(h.output().partition_operand == h.operandOf(other));
}

TEST_CASE("repeat tiles every dimension, with leading new ones", "[broadcast]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 3, 4}, Layout::ChannelsLast);
  h.lower("aten::repeat", {x, h.ints({2, 3, 1, 1})});  // N x2, C x3
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TILE});
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{2, 1, 1, 3});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 3, 4, 6});
  const auto y = h.tensor({2, 3});
  h.lower("aten::repeat", {y, h.ints({2, 1, 2})});
  CHECK(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TILE, ANEURALNETWORKS_RESHAPE,
                                                   ANEURALNETWORKS_TILE});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 2, 6});
}

TEST_CASE("broadcasts NNAPI cannot make are refused with the reason", "[broadcast]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 3});
  CHECK_THAT(h.unsupportedReason("aten::expand", {x, h.ints({4, 3}), h.boolean(false)}),
             Catch::Contains("only extent 1 expands"));
  CHECK_THAT(h.unsupportedReason("aten::repeat", {x, h.ints({2})}), Catch::Contains("one factor per dimension"));
  CHECK_THAT(h.unsupportedReason("aten::repeat", {x, h.ints({1, 0})}), Catch::Contains("empty"));
  CHECK_THAT(h.unsupportedReason("aten::repeat", {x, h.ints({1, 1, 1, 2, 1})}), Catch::Contains("rank 5"));
  CHECK_THAT(h.unsupportedReason("aten::repeat", {h.tensor({0, 3}), h.ints({2, 1})}), Catch::Contains("run time"));
  LoweringHarness old(28);
  CHECK_THAT(old.unsupportedReason("aten::repeat", {old.tensor({2, 3}), old.ints({1, 2})}),
             Catch::Contains("TILE") && Catch::Contains("Android 10"));
}
