// channel_shuffle -> one CHANNEL_SHUFFLE on the physical channel axis.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

TEST_CASE("channel_shuffle of a map shuffles its last (channel) axis", "[channel_shuffle]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 6, 4, 4}, Layout::ChannelsLast);
  h.lower("aten::channel_shuffle", {x, h.integer(3)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_CHANNEL_SHUFFLE});
  const auto& shuffle = h.operation(0);
  CHECK(shuffle.inputs[0] == h.operandOf(x));
  CHECK(h.scalarInts(shuffle, 1, 2) == std::vector<int32_t>{3, 3});  // groups, then the axis
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 4, 4, 6});
}

TEST_CASE("channel_shuffle of a contiguous tensor shuffles axis 1", "[channel_shuffle]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 8, 5});
  h.lower("aten::channel_shuffle", {x, h.integer(2)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_CHANNEL_SHUFFLE});
  CHECK(h.scalarInts(h.operation(0), 1, 2) == std::vector<int32_t>{2, 1});
}

TEST_CASE("channel_shuffle that cannot be lowered says why", "[channel_shuffle][feature_level]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 6, 4, 4}, Layout::ChannelsLast);
  CHECK_THAT(h.unsupportedReason("aten::channel_shuffle", {x, h.integer(4)}), Catch::Contains("4 groups of 6"));
  CHECK_THAT(h.unsupportedReason("aten::channel_shuffle", {h.tensor({2, 6}), h.integer(2)}), Catch::Contains("rank 2"));
  LoweringHarness old(28);
  const auto y = old.tensor({1, 6, 4, 4}, Layout::ChannelsLast);
  CHECK_THAT(old.unsupportedReason("aten::channel_shuffle", {y, old.integer(3)}),
             Catch::Contains("CHANNEL_SHUFFLE") && Catch::Contains("Android 10"));
}
