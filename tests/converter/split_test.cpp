// chunk/split/split_with_sizes/unbind: SPLIT where the pieces are equal (feature level 3), STRIDED_SLICE per piece
// otherwise, along the physical axis of the dimension.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

TEST_CASE("chunk of a channels-last map along C is one SPLIT along its last axis", "[split]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 8, 5, 7}, Layout::ChannelsLast);
  h.lower("aten::chunk", {x, h.integer(2), h.integer(1)}, 2);
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_SPLIT});
  const auto& split = h.operation(0);
  CHECK(split.inputs[0] == h.operandOf(x));
  CHECK(h.scalarInt(split.inputs[1]) == 3);
  CHECK(h.scalarInt(split.inputs[2]) == 2);
  for (size_t i = 0; i < 2; ++i) {
    CHECK(h.outputOperand(i) == split.outputs[i]);
    CHECK(h.operand(h.outputOperand(i)).layout == Layout::ChannelsLast);
    CHECK(h.operand(h.outputOperand(i)).dims == std::vector<uint32_t>{1, 5, 7, 4});
  }
}

TEST_CASE("unequal pieces are one STRIDED_SLICE each, the other axes taken whole", "[split]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 7, 3});
  SECTION("chunk makes pieces of ceil(7/3)") { h.lower("aten::chunk", {x, h.integer(3), h.integer(1)}, 3); }
  SECTION("split by size") { h.lower("aten::split", {x, h.integer(3), h.integer(-2)}, 3); }
  SECTION("split_with_sizes") { h.lower("aten::split_with_sizes", {x, h.ints({3, 3, 1}), h.integer(1)}, 3); }
  REQUIRE(h.operationCodes() == std::vector<int32_t>(3, ANEURALNETWORKS_STRIDED_SLICE));
  const std::vector<int32_t> begins[] = {{0, 0, 0}, {0, 3, 0}, {0, 6, 0}};
  const std::vector<int32_t> ends[] = {{0, 3, 0}, {0, 6, 0}, {0, 7, 0}};
  const std::vector<uint32_t> dims[] = {{2, 3, 3}, {2, 3, 3}, {2, 1, 3}};
  for (size_t i = 0; i < 3; ++i) {
    const auto& slice = h.operation(i);
    CHECK(h.intValues(slice.inputs[1]) == begins[i]);
    CHECK(h.intValues(slice.inputs[2]) == ends[i]);
    CHECK(h.intValues(slice.inputs[3]) == std::vector<int32_t>{1, 1, 1});
    CHECK(h.scalarInts(slice, 4, 3) == std::vector<int32_t>{0b101, 0b101, 0});
    CHECK(h.operand(h.outputOperand(i)).dims == dims[i]);
  }
}

TEST_CASE("unbind drops the dimension with shrink_axis_mask, in PyTorch's order", "[split]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 3, 4}, Layout::ChannelsLast);
  h.lower("aten::unbind", {x, h.integer(1)}, 2);
  // A 3-D piece is no map: the map goes back to NCHW first.
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_STRIDED_SLICE,
                                                     ANEURALNETWORKS_STRIDED_SLICE});
  CHECK(h.intValues(h.operation(2).inputs[1]) == std::vector<int32_t>{0, 1, 0, 0});
  CHECK(h.scalarInts(h.operation(2), 4, 3) == std::vector<int32_t>{0b1101, 0b1101, 0b0010});
  CHECK(h.operand(h.outputOperand(1)).dims == std::vector<uint32_t>{1, 3, 4});
  CHECK(h.operand(h.outputOperand(1)).layout == Layout::Contiguous);
}

TEST_CASE("equal pieces below feature level 3 are STRIDED_SLICEs", "[split][feature_level]") {
  LoweringHarness h(28);
  const auto x = h.tensor({1, 4, 2, 2}, Layout::ChannelsLast);
  h.lower("aten::chunk", {x, h.integer(2), h.integer(1)}, 2);
  REQUIRE(h.operationCodes() == std::vector<int32_t>(2, ANEURALNETWORKS_STRIDED_SLICE));
  CHECK(h.intValues(h.operation(1).inputs[1]) == std::vector<int32_t>{0, 0, 0, 2});
  CHECK(h.operand(h.outputOperand(1)).dims == std::vector<uint32_t>{1, 2, 2, 2});
  LoweringHarness old(27);
  const auto y = old.tensor({1, 4, 2, 2}, Layout::ChannelsLast);
  CHECK_THAT(old.unsupportedReason("aten::chunk", {y, old.integer(2), old.integer(1)}),
             Catch::Contains("STRIDED_SLICE") && Catch::Contains("Android 9"));
}

TEST_CASE("splits that cannot be lowered say why", "[split]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 6});
  CHECK_THAT(h.unsupportedReason("aten::split_with_sizes", {x, h.ints({2, 2}), h.integer(1)}),
             Catch::Contains("add up to 4"));
  CHECK_THAT(h.unsupportedReason("aten::chunk", {x, h.integer(0), h.integer(1)}), Catch::Contains("0 pieces"));
  // One output: the list itself, used as a list.
  CHECK_THAT(h.unsupportedReason("aten::chunk", {x, h.integer(2), h.integer(1)}), Catch::Contains("used as a list"));
  const auto v = h.tensor({3});
  CHECK_THAT(h.unsupportedReason("aten::unbind", {v, h.integer(0)}), Catch::Contains("0-d"));
  const auto flexible = h.tensor({0, 6});
  CHECK_THAT(h.unsupportedReason("aten::unbind", {flexible, h.integer(0)}), Catch::Contains("run time"));
}
