// add/sub/mul/div/rsub: layouts follow the tensor inputs; constants are re-laid out offline to broadcast the way
// PyTorch's NCHW shapes do.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

TEST_CASE("two NHWC maps add without any transpose", "[elementwise]") {
  LoweringHarness h;
  const auto a = h.tensor({1, 3, 4, 4}, Layout::ChannelsLast);
  const auto b = h.tensor({1, 3, 4, 4}, Layout::ChannelsLast);
  h.lower("aten::add", {a, b, h.integer(1)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_ADD});
  CHECK(h.operation(0).inputs[0] == h.operandOf(a));
  CHECK(h.operation(0).inputs[1] == h.operandOf(b));
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 4, 4, 3});
}

TEST_CASE("a per-channel constant [C,1,1] against an NHWC map becomes [1,1,1,C]", "[elementwise]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 3, 2, 2}, Layout::ChannelsLast);
  h.lower("aten::mul", {x, h.floatTensor({3, 1, 1}, {1, 2, 3})});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MUL});
  const uint32_t constant = h.operation(0).inputs[1];
  CHECK(h.operand(constant).dims == std::vector<uint32_t>{1, 1, 1, 3});
  CHECK(h.floatValues(constant) == std::vector<float>{1, 2, 3});
}

TEST_CASE("alpha scales the second operand: folded into a constant, a MUL for a tensor", "[elementwise]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 2});
  h.lower("aten::sub", {x, h.number(3.0), h.number(2.0)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_SUB});
  CHECK(h.floatValues(h.operation(0).inputs[1]) == std::vector<float>{6});

  LoweringHarness t;
  const auto a = t.tensor({2, 2});
  const auto b = t.tensor({2, 2});
  t.lower("aten::add", {a, b, t.number(0.5)});
  REQUIRE(t.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MUL, ANEURALNETWORKS_ADD});
  CHECK(t.floatValues(t.operation(0).inputs[1]) == std::vector<float>{0.5f});
  CHECK(t.operation(1).inputs[1] == t.operation(0).outputs[0]);
}

TEST_CASE("rsub computes other - alpha * self", "[elementwise]") {
  LoweringHarness h;
  const auto x = h.tensor({4});
  h.lower("aten::rsub", {x, h.number(1.0), h.integer(1)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_SUB});
  CHECK(h.floatValues(h.operation(0).inputs[0]) == std::vector<float>{1});
  CHECK(h.operation(0).inputs[1] == h.operandOf(x));
}

TEST_CASE("an NHWC map against a lower-rank computed tensor goes back to NCHW", "[elementwise]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 3, 4}, Layout::ChannelsLast);
  const auto y = h.tensor({4});
  h.lower("aten::div", {x, y});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_DIV});
  CHECK(h.operand(h.outputOperand()).layout == Layout::Contiguous);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 2, 3, 4});
}

TEST_CASE("a flattened NHWC map keeps its layout against a number", "[elementwise]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 8}, Layout::ChannelsLastFlattened, {2, 2, 2});
  h.lower("aten::mul", {x, h.number(2.5)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MUL});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLastFlattened);
  CHECK(h.operand(h.outputOperand()).flattened_chw == std::vector<uint32_t>{2, 2, 2});
}

TEST_CASE("division with a rounding mode is unsupported", "[elementwise]") {
  LoweringHarness h;
  const auto x = h.tensor({4});
  CHECK_THAT(h.unsupportedReason("aten::div", {x, h.number(2.0), h.constant(std::string("floor"))}),
             Catch::Contains("rounding"));
}
