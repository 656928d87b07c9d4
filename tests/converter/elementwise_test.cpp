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
  // x - 2 * 3 = x + (-6): subtracting a constant is adding it negated, at every feature level.
  h.lower("aten::sub", {x, h.number(3.0), h.number(2.0)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_ADD});
  CHECK(h.operation(0).inputs[0] == h.operandOf(x));
  CHECK(h.floatValues(h.operation(0).inputs[1]) == std::vector<float>{-6});

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

TEST_CASE("subtracting a constant adds it negated, at every feature level", "[elementwise][feature_level]") {
  for (const int level : {27, 30}) {
    INFO("feature level " << level);
    LoweringHarness h(level);
    const auto x = h.tensor({1, 3, 2, 2}, Layout::ChannelsLast);
    h.lower("aten::sub", {x, h.floatTensor({3, 1, 1}, {1, 2, 3}), h.integer(1)});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_ADD});
    CHECK(h.operation(0).inputs[0] == h.operandOf(x));
    const uint32_t constant = h.operation(0).inputs[1];
    CHECK(h.operand(constant).dims == std::vector<uint32_t>{1, 1, 1, 3});
    CHECK(h.floatValues(constant) == std::vector<float>{-1, -2, -3});
    CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
  }
}

TEST_CASE("tensor minus tensor is SUB from feature level 2, below it MUL by -alpha then ADD",
          "[elementwise][feature_level]") {
  SECTION("feature level 2: SUB") {
    LoweringHarness h(28);
    const auto a = h.tensor({2, 2});
    const auto b = h.tensor({2, 2});
    h.lower("aten::sub", {a, b, h.integer(1)});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_SUB});
    CHECK(h.operation(0).inputs[0] == h.operandOf(a));
    CHECK(h.operation(0).inputs[1] == h.operandOf(b));
  }
  for (const double alpha : {1.0, 2.0}) {
    SECTION("feature level 1, alpha " + std::to_string(alpha)) {
      LoweringHarness h(27);
      const auto a = h.tensor({2, 2});
      const auto b = h.tensor({2, 2});
      h.lower("aten::sub", {a, b, h.number(alpha)});
      REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MUL, ANEURALNETWORKS_ADD});
      const auto& mul = h.operation(0);
      const auto& add = h.operation(1);
      CHECK(mul.inputs[0] == h.operandOf(b));
      CHECK(h.floatValues(mul.inputs[1]) == std::vector<float>{static_cast<float>(-alpha)});
      CHECK(add.inputs[0] == h.operandOf(a));
      CHECK(add.inputs[1] == mul.outputs[0]);
      CHECK(h.outputOperand() == add.outputs[0]);
    }
  }
}

TEST_CASE("rsub of a tensor below feature level 2 is MUL by -alpha, then ADD to the other side",
          "[elementwise][feature_level]") {
  LoweringHarness h(27);
  const auto x = h.tensor({4});
  h.lower("aten::rsub", {x, h.number(1.0), h.integer(1)});  // 1 - x
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MUL, ANEURALNETWORKS_ADD});
  CHECK(h.operation(0).inputs[0] == h.operandOf(x));
  CHECK(h.floatValues(h.operation(0).inputs[1]) == std::vector<float>{-1});
  CHECK(h.floatValues(h.operation(1).inputs[0]) == std::vector<float>{1});
  CHECK(h.operation(1).inputs[1] == h.operation(0).outputs[0]);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{4});
}

TEST_CASE("division by a constant is DIV from feature level 2, below it MUL by the reciprocal",
          "[elementwise][feature_level]") {
  SECTION("feature level 2: DIV, exact") {
    LoweringHarness h(28);
    const auto x = h.tensor({2, 3});
    h.lower("aten::div", {x, h.number(4.0)});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_DIV});
    CHECK(h.floatValues(h.operation(0).inputs[1]) == std::vector<float>{4});
  }
  SECTION("feature level 1: a number") {
    LoweringHarness h(27);
    const auto x = h.tensor({2, 3});
    h.lower("aten::div", {x, h.number(4.0)});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MUL});
    CHECK(h.operation(0).inputs[0] == h.operandOf(x));
    CHECK(h.floatValues(h.operation(0).inputs[1]) == std::vector<float>{0.25f});
  }
  SECTION("feature level 1: a per-channel constant against an NHWC map") {
    LoweringHarness h(27);
    const auto x = h.tensor({1, 3, 2, 2}, Layout::ChannelsLast);
    h.lower("aten::div", {x, h.floatTensor({3, 1, 1}, {1, 2, 4})});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MUL});
    const uint32_t constant = h.operation(0).inputs[1];
    CHECK(h.operand(constant).dims == std::vector<uint32_t>{1, 1, 1, 3});
    CHECK(h.floatValues(constant) == std::vector<float>{1, 0.5f, 0.25f});
  }
}

TEST_CASE("what only a newer NNAPI can do is rejected with the Android version it needs",
          "[elementwise][feature_level]") {
  LoweringHarness h(27);
  SECTION("division by a computed tensor needs DIV") {
    const auto x = h.tensor({2, 3});
    const auto y = h.tensor({2, 3});
    CHECK_THAT(h.unsupportedReason("aten::div", {x, y}),
               Catch::Contains("DIV on TENSOR_FLOAT32 needs Android 9 (API 28"));
  }
  SECTION("an NHWC map against a lower-rank tensor, both in the partition, needs TRANSPOSE") {
    const auto x = h.tensor({1, 2, 3, 4}, Layout::ChannelsLast);
    const auto y = h.tensor({4});
    CHECK_THAT(h.unsupportedReason("aten::add", {x, y, h.integer(1)}),
               Catch::Contains("TRANSPOSE") && Catch::Contains("Android 9"));
  }
  CHECK(h.operations().empty());
}

TEST_CASE("below feature level 2 a map computed on the CPU is taken again in the layout needed",
          "[elementwise][feature_level]") {
  LoweringHarness h(27);
  const auto x = h.cpuTensor({1, 2, 3, 4}, Layout::ChannelsLast);
  const auto y = h.tensor({4});
  h.lower("aten::add", {x, y, h.integer(1)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_ADD});
  const uint32_t nchw = h.importOf(x, Layout::Contiguous);
  CHECK(h.operand(nchw).dims == std::vector<uint32_t>{1, 2, 3, 4});
  CHECK(h.operation(0).inputs[0] == nchw);
  CHECK(h.state.partitions[0].inputs.size() == 1);  // only as NCHW, not also as it is
  CHECK(h.operation(0).inputs[1] == h.operandOf(y));
  CHECK(h.operand(h.outputOperand()).layout == Layout::Contiguous);
}

TEST_CASE("an NCHW map the partition already holds channels-last is scaled channels-last, with no new TRANSPOSE",
          "[elementwise]") {
  LoweringHarness h;
  const auto y = h.tensor({1, 2, 4, 4});
  // A convolution reads y channels-last: one TRANSPOSE, cached.
  h.lower("aten::_convolution", {y, h.floatTensor({2, 2, 1, 1}, {1, 0, 0, 1}), h.none(), h.ints({1, 1}),
                                 h.ints({0, 0}), h.ints({1, 1}), h.boolean(false), h.ints({0, 0}), h.integer(1),
                                 h.boolean(false), h.boolean(false), h.boolean(true), h.boolean(true)});
  const uint32_t transposed = h.operation(0).outputs[0];
  h.lower("aten::mul", {y, h.number(0.5)});
  REQUIRE(h.operationCodes() ==
          std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_CONV_2D, ANEURALNETWORKS_MUL});
  CHECK(h.operation(2).inputs[0] == transposed);
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}
