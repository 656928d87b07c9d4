// stack: CONCATENATION + RESHAPE, or RESHAPE each + CONCATENATION at the end.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

TEST_CASE("stack before the last position concatenates along dim, then reshapes", "[stack]") {
  LoweringHarness h;
  const auto a = h.tensor({2, 3}), b = h.tensor({2, 3}), c = h.tensor({2, 3});
  h.lower("aten::stack", {h.list({a, b, c}), h.integer(1)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_CONCATENATION, ANEURALNETWORKS_RESHAPE});
  CHECK(h.scalarInt(h.operation(0).inputs[3]) == 1);
  CHECK(h.operand(h.operation(0).outputs[0]).dims == std::vector<uint32_t>{2, 9});
  CHECK(h.intValues(h.operation(1).inputs[1]) == std::vector<int32_t>{2, 3, 3});
}

TEST_CASE("stack at the end gives each tensor a trailing 1 first", "[stack]") {
  LoweringHarness h;
  const auto a = h.tensor({2, 3}), b = h.tensor({2, 3});
  h.lower("aten::stack", {h.list({a, b}), h.integer(-1)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_RESHAPE,
                                                     ANEURALNETWORKS_CONCATENATION});
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{2, 3, 1});
  CHECK(h.scalarInt(h.operation(2).inputs[2]) == 2);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 3, 2});
}

TEST_CASE("stack that cannot be lowered says why", "[stack]") {
  LoweringHarness h;
  const auto a = h.tensor({2, 3}), b = h.tensor({3, 2});
  CHECK_THAT(h.unsupportedReason("aten::stack", {h.list({a, b}), h.integer(0)}), Catch::Contains("different shapes"));
  const auto m = h.tensor({1, 3, 4, 4}, Layout::ChannelsLast);
  CHECK_THAT(h.unsupportedReason("aten::stack", {h.list({m, m}), h.integer(0)}), Catch::Contains("rank 5"));
  CHECK(h.operations().empty());
}
