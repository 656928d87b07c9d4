// quantized::add/mul (+ _relu, _scalar), quantized::cat, quantized::hardswish, quantized::leaky_relu.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

TEST_CASE("quantized::add_relu of two NHWC maps: ADD with fused RELU and the output quantization",
          "[quantized_elementwise]") {
  LoweringHarness h(27);
  const auto a = h.quantTensor({1, 3, 4, 4}, 0.1f, 128, Layout::ChannelsLast);
  const auto b = h.quantTensor({1, 3, 4, 4}, 0.2f, 100, Layout::ChannelsLast);
  h.lower("quantized::add_relu", {a, b, h.number(0.3), h.integer(5)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_ADD});
  const auto& add = h.operation(0);
  CHECK(add.inputs[0] == h.operandOf(a));
  CHECK(add.inputs[1] == h.operandOf(b));
  CHECK(h.scalarInt(add.inputs[2]) == ANEURALNETWORKS_FUSED_RELU);
  const auto& out = h.operand(h.outputOperand());
  CHECK(out.scale == 0.3f);
  CHECK(out.zero_point == 5);
  CHECK(out.layout == Layout::ChannelsLast);
}

TEST_CASE("quantized::mul: MUL, refused when the output scale is not above the product", "[quantized_elementwise]") {
  LoweringHarness h;
  const auto a = h.quantTensor({2, 3}, 0.5f, 128);
  const auto b = h.quantTensor({2, 3}, 0.5f, 128);
  CHECK_THAT(h.unsupportedReason("quantized::mul", {a, b, h.number(0.25), h.integer(0)}),
             Catch::Contains("output scale above the input scales' product"));
  CHECK(h.operations().empty());
  h.lower("quantized::mul", {a, b, h.number(0.3), h.integer(0)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MUL});
  CHECK(h.scalarInt(h.operation(0).inputs[2]) == ANEURALNETWORKS_FUSED_NONE);
  CHECK(h.operand(h.outputOperand()).scale == 0.3f);
}

TEST_CASE("quantized::add_scalar adds round(c / s) steps as a constant and takes PyTorch's output quantization",
          "[quantized_elementwise]") {
  LoweringHarness h;
  const auto x = h.quantTensor({1, 2, 2, 2}, 0.5f, 100, Layout::ChannelsLast);
  SECTION("inside the range: zero point z - c_q") {
    // c_q = round(3.2 / 0.5) = 6: the constant is 6 on the input's scale, the output zero point 94.
    h.lower("quantized::add_scalar", {x, h.number(3.2)});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_ADD});
    const uint32_t c = h.operation(0).inputs[1];
    CHECK(h.operand(c).type == ANEURALNETWORKS_TENSOR_QUANT8_ASYMM);
    CHECK(h.operand(c).dims == std::vector<uint32_t>{1});
    CHECK(h.operand(c).scale == 0.5f);
    CHECK(h.operand(c).zero_point == 0);
    CHECK(h.bytes(c) == std::vector<uint8_t>{6});
    CHECK(h.operand(h.outputOperand()).scale == 0.5f);
    CHECK(h.operand(h.outputOperand()).zero_point == 94);
    CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
  }
  SECTION("a negative constant below the range: zero point 255, wider scale") {
    // c_q = round(-100 / 0.5) = -200: z - c_q = 300 > 255 -> scale 300/255 * 0.5, zero point 255; the constant is
    // 55 - 255 = -200 steps of 0.5.
    h.lower("quantized::add_scalar_relu", {x, h.number(-100.0)});
    const uint32_t c = h.operation(0).inputs[1];
    CHECK(h.operand(c).zero_point == 255);
    CHECK(h.bytes(c) == std::vector<uint8_t>{55});
    CHECK(h.scalarInt(h.operation(0).inputs[2]) == ANEURALNETWORKS_FUSED_RELU);
    CHECK(h.operand(h.outputOperand()).scale == Approx(300.0 / 255.0 * 0.5));
    CHECK(h.operand(h.outputOperand()).zero_point == 255);
  }
  SECTION("far outside one step range: one step of |c_q| * s") {
    // c_q = 400: z - c_q = -300 < 0 -> scale (255 + 300) / 255 * 0.5, zero point 0.
    h.lower("quantized::add_scalar", {x, h.number(200.0)});
    const uint32_t c = h.operation(0).inputs[1];
    CHECK(h.operand(c).scale == 200.0f);
    CHECK(h.bytes(c) == std::vector<uint8_t>{1});
    CHECK(h.operand(h.outputOperand()).scale == Approx(555.0 / 255.0 * 0.5));
    CHECK(h.operand(h.outputOperand()).zero_point == 0);
  }
}

TEST_CASE("quantized::mul_scalar multiplies by two steps of |b| / 2, with PyTorch's output quantization",
          "[quantized_elementwise]") {
  LoweringHarness h;
  const auto x = h.quantTensor({4}, 0.5f, 100);
  h.lower("quantized::mul_scalar", {x, h.number(3.0)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MUL});
  const uint32_t c = h.operation(0).inputs[1];
  CHECK(h.operand(c).scale == 1.5f);
  CHECK(h.operand(c).zero_point == 0);
  CHECK(h.bytes(c) == std::vector<uint8_t>{2});
  CHECK(h.operand(h.outputOperand()).scale == 1.5f);
  CHECK(h.operand(h.outputOperand()).zero_point == 100);

  h.lower("quantized::mul_scalar_relu", {x, h.number(-0.5)});
  const uint32_t n = h.operation(1).inputs[1];
  CHECK(h.operand(n).scale == 0.25f);
  CHECK(h.operand(n).zero_point == 2);
  CHECK(h.bytes(n) == std::vector<uint8_t>{0});
  CHECK(h.scalarInt(h.operation(1).inputs[2]) == ANEURALNETWORKS_FUSED_RELU);
  CHECK(h.operand(h.outputOperand()).scale == 0.25f);
  CHECK(h.operand(h.outputOperand()).zero_point == 155);

  CHECK_THAT(h.unsupportedReason("quantized::mul_scalar", {x, h.number(0.0)}), Catch::Contains("by 0"));
  const auto f = h.tensor({4});
  CHECK_THAT(h.unsupportedReason("quantized::mul_scalar", {f, h.number(2.0)}), Catch::Contains("quint8"));
  CHECK(h.operations().size() == 2);
}

TEST_CASE("quantized::cat: CONCATENATION with the output quantization, and mixed quantization needs feature level 3",
          "[quantized_elementwise][feature_level]") {
  SECTION("feature level 3") {
    LoweringHarness h(29);
    const auto a = h.quantTensor({1, 2, 3, 3}, 0.1f, 128, Layout::ChannelsLast);
    const auto b = h.quantTensor({1, 4, 3, 3}, 0.2f, 120, Layout::ChannelsLast);
    h.lower("quantized::cat", {h.list({a, b}), h.integer(1), h.number(0.3), h.integer(110)});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_CONCATENATION});
    CHECK(h.scalarInt(h.operation(0).inputs[2]) == 3);
    CHECK(h.operand(h.outputOperand()).scale == 0.3f);
    CHECK(h.operand(h.outputOperand()).zero_point == 110);
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 3, 3, 6});
  }
  SECTION("feature level 2: same quantization only") {
    LoweringHarness h(28);
    const auto a = h.quantTensor({2, 3}, 0.1f, 128);
    const auto b = h.quantTensor({2, 3}, 0.1f, 128);
    CHECK_THAT(h.unsupportedReason("quantized::cat", {h.list({a, b}), h.integer(0), h.number(0.2), h.integer(0)}),
               Catch::Contains("CONCATENATION with inputs whose scale/zeroPoint differ") &&
                   Catch::Contains("Android 10"));
    CHECK(h.operations().empty());
    h.lower("quantized::cat", {h.list({a, b}), h.integer(0), h.none(), h.none()});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_CONCATENATION});
    CHECK(h.operand(h.outputOperand()).scale == 0.1f);
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{4, 3});
  }
}

TEST_CASE("quantized::hardswish is HARD_SWISH with the output quantization from Android 11, below that x times "
          "the quantized hardsigmoid", "[quantized_elementwise][feature_level]") {
  LoweringHarness h(30);
  const auto x = h.quantTensor({1, 3, 2, 2}, 0.1f, 128, Layout::ChannelsLast);
  h.lower("quantized::hardswish", {x, h.number(0.05), h.integer(20)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_HARD_SWISH});
  CHECK(h.operand(h.outputOperand()).scale == 0.05f);
  CHECK(h.operand(h.outputOperand()).zero_point == 20);
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);

  LoweringHarness old(27);
  const auto y = old.quantTensor({1, 3, 2, 2}, 0.1f, 128, Layout::ChannelsLast);
  old.lower("quantized::hardswish", {y, old.number(0.05), old.integer(20)});
  REQUIRE(old.operationCodes() ==
          std::vector<int32_t>{ANEURALNETWORKS_ADD, ANEURALNETWORKS_MUL, ANEURALNETWORKS_MUL});
  const auto& product = old.operation(2);
  CHECK(product.inputs[0] == old.operandOf(y));
  CHECK(product.inputs[1] == old.operation(1).outputs[0]);
  CHECK(old.operand(old.operation(1).outputs[0]).scale == 1.0f / 256);
  CHECK(old.operand(old.outputOperand()).scale == 0.05f);
  CHECK(old.operand(old.outputOperand()).zero_point == 20);

  // The product's MUL needs an output scale above input scale / 256.
  LoweringHarness tiny(29);
  const auto z = tiny.quantTensor({1, 3, 2, 2}, 0.1f, 128, Layout::ChannelsLast);
  CHECK_THAT(tiny.unsupportedReason("quantized::hardswish", {z, tiny.number(0.0001), tiny.integer(20)}),
             Catch::Contains("input scale / 256"));
}

TEST_CASE("quantized::leaky_relu is PRELU with a one-step slope constant", "[quantized_elementwise]") {
  LoweringHarness h(29);
  const auto x = h.quantTensor({2, 3}, 0.1f, 128);
  h.lower("quantized::leaky_relu", {x, h.number(0.01), h.boolean(false), h.number(0.05), h.integer(100)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_PRELU});
  const uint32_t alpha = h.operation(0).inputs[1];
  CHECK(h.operand(alpha).scale == 0.01f);
  CHECK(h.operand(alpha).zero_point == 0);
  CHECK(h.bytes(alpha) == std::vector<uint8_t>{1});
  CHECK(h.operand(h.outputOperand()).scale == 0.05f);
  CHECK(h.operand(h.outputOperand()).zero_point == 100);
}
