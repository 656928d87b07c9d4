// Element-wise math (unary_math.cpp), rectifiers (rectifier.cpp), the other smooth activations
// (smooth_activation.cpp), maximum/minimum and clamp with tensor bounds (elementwise.cpp): what each emits, in which
// layout, with which constants, and what each refuses.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;
using Codes = std::vector<int32_t>;

TEST_CASE("exp log sqrt rsqrt abs neg are one NNAPI operation on the map itself", "[math]") {
  const std::pair<const char*, int32_t> cases[] = {
      {"aten::exp", ANEURALNETWORKS_EXP},   {"aten::log", ANEURALNETWORKS_LOG},
      {"aten::sqrt", ANEURALNETWORKS_SQRT}, {"aten::rsqrt", ANEURALNETWORKS_RSQRT},
      {"aten::abs", ANEURALNETWORKS_ABS},   {"aten::neg", ANEURALNETWORKS_NEG},
      {"aten::exp_", ANEURALNETWORKS_EXP}};
  for (const auto& [kind, op] : cases) {
    INFO(kind);
    LoweringHarness h(29);
    const auto x = h.tensor({1, 3, 4, 5}, Layout::ChannelsLast);
    h.lower(kind, {x});
    REQUIRE(h.operationCodes() == Codes{op});
    CHECK(h.operation(0).inputs == std::vector<uint32_t>{h.operandOf(x)});
    CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 4, 5, 3});
  }
  LoweringHarness old(28);
  CHECK_THAT(old.unsupportedReason("aten::exp", {old.tensor({4})}),
             Catch::Contains("EXP on TENSOR_FLOAT32") && Catch::Contains("Android 10"));
}

TEST_CASE("reciprocal is DIV of a one-element 1 by x", "[math]") {
  LoweringHarness h(28);
  const auto x = h.tensor({2, 3});
  h.lower("aten::reciprocal", {x});
  REQUIRE(h.operationCodes() == Codes{ANEURALNETWORKS_DIV});
  CHECK(h.floatValues(h.operation(0).inputs[0]) == std::vector<float>{1.0f});
  CHECK(h.operation(0).inputs[1] == h.operandOf(x));
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 3});
}

TEST_CASE("pow with a number exponent takes the cheapest exact form", "[math]") {
  const std::pair<double, Codes> cases[] = {{2.0, {ANEURALNETWORKS_MUL}},     {0.5, {ANEURALNETWORKS_SQRT}},
                                            {-0.5, {ANEURALNETWORKS_RSQRT}},  {-1.0, {ANEURALNETWORKS_DIV}},
                                            {3.0, {ANEURALNETWORKS_POW}},     {1.0, {}}};
  for (const auto& [exponent, codes] : cases) {
    INFO("exponent " << exponent);
    LoweringHarness h(29);
    const auto x = h.tensor({1, 3, 4, 5}, Layout::ChannelsLast);
    h.lower("aten::pow", {x, h.number(exponent)});
    REQUIRE(h.operationCodes() == codes);
    if (codes.empty()) {
      CHECK(h.outputOperand() == h.operandOf(x));
      continue;
    }
    CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
    if (exponent == 2.0) CHECK(h.operation(0).inputs[1] == h.operandOf(x));
    if (exponent == 3.0) CHECK(h.floatValues(h.operation(0).inputs[1]) == std::vector<float>{3.0f});
  }
  LoweringHarness h(29);
  CHECK_THAT(h.unsupportedReason("aten::pow", {h.tensor({4}), h.tensor({4})}), Catch::Contains("tensor exponent"));
}

TEST_CASE("leaky_relu is PRELU with a one-element alpha", "[math]") {
  LoweringHarness h(29);
  const auto x = h.tensor({1, 3, 4, 5}, Layout::ChannelsLast);
  h.lower("aten::leaky_relu", {x, h.number(0.2)});
  REQUIRE(h.operationCodes() == Codes{ANEURALNETWORKS_PRELU});
  CHECK(h.floatValues(h.operation(0).inputs[1]) == std::vector<float>{0.2f});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

TEST_CASE("prelu's per-channel weight broadcasts along the channels in either layout", "[math]") {
  SECTION("channels-last map: alpha [C] along the last axis") {
    LoweringHarness h(29);
    const auto x = h.tensor({1, 3, 4, 5}, Layout::ChannelsLast);
    h.lower("aten::prelu", {x, h.floatTensor({3}, {0.1f, 0.2f, 0.3f})});
    REQUIRE(h.operationCodes() == Codes{ANEURALNETWORKS_PRELU});
    CHECK(h.operand(h.operation(0).inputs[1]).dims == std::vector<uint32_t>{3});
    CHECK(h.floatValues(h.operation(0).inputs[1]) == std::vector<float>{0.1f, 0.2f, 0.3f});
  }
  SECTION("PyTorch's order: alpha [C, 1, 1]") {
    LoweringHarness h(29);
    const auto x = h.tensor({1, 3, 4, 5});
    h.lower("aten::prelu", {x, h.floatTensor({3}, {0.1f, 0.2f, 0.3f})});
    CHECK(h.operand(h.operation(0).inputs[1]).dims == std::vector<uint32_t>{3, 1, 1});
  }
  SECTION("one weight") {
    LoweringHarness h(29);
    const auto x = h.tensor({2, 6});
    h.lower("aten::prelu", {x, h.floatTensor({1}, {0.25f})});
    CHECK(h.operand(h.operation(0).inputs[1]).dims == std::vector<uint32_t>{1});
  }
  SECTION("refused: a weight count that is not the channels, a flattened map, feature level 2") {
    LoweringHarness h(29);
    CHECK_THAT(h.unsupportedReason("aten::prelu", {h.tensor({1, 3, 4, 5}), h.floatTensor({2}, {1, 2})}),
               Catch::Contains("one per channel"));
    CHECK_THAT(h.unsupportedReason("aten::prelu", {h.tensor({1, 12}, Layout::ChannelsLastFlattened, {3, 2, 2}),
                                                   h.floatTensor({12}, std::vector<float>(12, 0.5f))}),
               Catch::Contains("flattened"));
    LoweringHarness old(28);
    CHECK_THAT(old.unsupportedReason("aten::leaky_relu", {old.tensor({4}), old.number(0.1)}),
               Catch::Contains("PRELU") && Catch::Contains("Android 10"));
  }
}

TEST_CASE("softplus is relu(x) + log(1 + e^-|beta x|) / beta", "[math]") {
  SECTION("beta 1") {
    LoweringHarness h(29);
    const auto x = h.tensor({1, 3, 4, 5}, Layout::ChannelsLast);
    h.lower("aten::softplus", {x, h.integer(1), h.integer(20)});
    REQUIRE(h.operationCodes() == Codes{ANEURALNETWORKS_ABS, ANEURALNETWORKS_NEG, ANEURALNETWORKS_EXP,
                                        ANEURALNETWORKS_ADD, ANEURALNETWORKS_LOG, ANEURALNETWORKS_RELU,
                                        ANEURALNETWORKS_ADD});
    CHECK(h.operation(0).inputs == std::vector<uint32_t>{h.operandOf(x)});
    CHECK(h.operation(5).inputs == std::vector<uint32_t>{h.operandOf(x)});
    CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
  }
  SECTION("beta 2 scales before and after") {
    LoweringHarness h(29);
    const auto x = h.tensor({4});
    h.lower("aten::softplus", {x, h.number(2.0), h.integer(20)});
    REQUIRE(h.operationCodes().size() == 9);
    CHECK(h.floatValues(h.operation(0).inputs[1]) == std::vector<float>{2.0f});
    CHECK(h.floatValues(h.operation(6).inputs[1]) == std::vector<float>{0.5f});
  }
  SECTION("a threshold whose linear region would differ is refused") {
    LoweringHarness h(29);
    CHECK_THAT(h.unsupportedReason("aten::softplus", {h.tensor({4}), h.integer(1), h.integer(5)}),
               Catch::Contains("threshold") && Catch::Contains("SELECT"));
  }
}

TEST_CASE("mish is x * tanh(softplus(x))", "[math]") {
  LoweringHarness h(29);
  const auto x = h.tensor({2, 5});
  h.lower("aten::mish", {x});
  const Codes codes = h.operationCodes();
  REQUIRE(codes.size() == 9);
  CHECK(codes[7] == ANEURALNETWORKS_TANH);
  CHECK(codes[8] == ANEURALNETWORKS_MUL);
  CHECK(h.operation(8).inputs[0] == h.operandOf(x));
  CHECK(h.operation(8).inputs[1] == h.operation(7).outputs[0]);
}

TEST_CASE("elu is ELU at feature level 4 and a composition below", "[math]") {
  SECTION("ELU") {
    LoweringHarness h(30);
    const auto x = h.tensor({1, 3, 4, 5}, Layout::ChannelsLast);
    h.lower("aten::elu", {x, h.number(0.5), h.integer(1), h.integer(1)});
    REQUIRE(h.operationCodes() == Codes{ANEURALNETWORKS_ELU});
    CHECK(h.scalarFloat(h.operation(0).inputs[1]) == 0.5f);
    CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
  }
  SECTION("relu(x) + (alpha e^min(x,0) - alpha) at feature level 3") {
    LoweringHarness h(29);
    const auto x = h.tensor({2, 5});
    h.lower("aten::elu", {x, h.number(0.5), h.integer(1), h.integer(1)});
    REQUIRE(h.operationCodes() == Codes{ANEURALNETWORKS_MINIMUM, ANEURALNETWORKS_EXP, ANEURALNETWORKS_MUL,
                                        ANEURALNETWORKS_ADD, ANEURALNETWORKS_RELU, ANEURALNETWORKS_ADD});
    CHECK(h.floatValues(h.operation(0).inputs[1]) == std::vector<float>{0.0f});
    CHECK(h.floatValues(h.operation(2).inputs[1]) == std::vector<float>{0.5f});
    CHECK(h.floatValues(h.operation(3).inputs[1]) == std::vector<float>{-0.5f});
  }
  SECTION("selu's scales are refused") {
    LoweringHarness h(30);
    CHECK_THAT(h.unsupportedReason("aten::elu", {h.tensor({4}), h.number(1.6), h.number(1.05), h.integer(1)}),
               Catch::Contains("scale"));
  }
}

TEST_CASE("maximum and minimum of two tensors broadcast in the map's layout", "[math]") {
  LoweringHarness h(29);
  const auto a = h.tensor({1, 3, 4, 5}, Layout::ChannelsLast);
  const auto b = h.tensor({1, 3, 4, 5}, Layout::ChannelsLast);
  h.lower("aten::maximum", {a, b});
  REQUIRE(h.operationCodes() == Codes{ANEURALNETWORKS_MAXIMUM});
  CHECK(h.operation(0).inputs == std::vector<uint32_t>{h.operandOf(a), h.operandOf(b)});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);

  LoweringHarness c(29);
  const auto x = c.tensor({1, 3, 4, 5}, Layout::ChannelsLast);
  c.lower("aten::minimum", {x, c.floatTensor({1, 3, 1, 1}, {1, 2, 3})});
  REQUIRE(c.operationCodes() == Codes{ANEURALNETWORKS_MINIMUM});
  // The per-channel constant is stored NHWC like the map: [1,1,1,3].
  CHECK(c.operand(c.operation(0).inputs[1]).dims == std::vector<uint32_t>{1, 1, 1, 3});
}

TEST_CASE("clamp with tensor bounds is MAXIMUM then MINIMUM against them", "[math]") {
  LoweringHarness h(29);
  const auto x = h.tensor({2, 3});
  const auto low = h.tensor({2, 3});
  const auto high = h.tensor({3});
  h.lower("aten::clamp", {x, low, high});
  REQUIRE(h.operationCodes() == Codes{ANEURALNETWORKS_MAXIMUM, ANEURALNETWORKS_MINIMUM});
  CHECK(h.operation(0).inputs == std::vector<uint32_t>{h.operandOf(x), h.operandOf(low)});
  CHECK(h.operation(1).inputs == std::vector<uint32_t>{h.operation(0).outputs[0], h.operandOf(high)});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 3});

  LoweringHarness only(29);
  const auto y = only.tensor({4});
  only.lower("aten::clamp", {y, only.none(), only.floatTensor({4}, {1, 2, 3, 4})});
  REQUIRE(only.operationCodes() == Codes{ANEURALNETWORKS_MINIMUM});
  CHECK(only.floatValues(only.operation(0).inputs[1]) == std::vector<float>{1, 2, 3, 4});
}
