// quantized::linear / linear_relu: FULLY_CONNECTED on QUANT8_ASYMM; per-channel weights as a 1x1 CONV_2D.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ConstTensor;
using nnc::PackedWeights;
using nnc::ir::Layout;
using nnc::test::LoweringHarness;

namespace {

PackedWeights linearWeights(ConstTensor weight, std::optional<ConstTensor> bias) {
  PackedWeights packed;
  packed.kind = PackedWeights::Kind::Linear;
  packed.weight = std::move(weight);
  packed.bias = std::move(bias);
  return packed;
}

}  // namespace

TEST_CASE("quantized::linear with per-tensor weights is FULLY_CONNECTED at feature level 1", "[quantized_linear]") {
  LoweringHarness h(27);
  const auto x = h.quantTensor({2, 2}, 0.5f, 128);
  const auto weight = LoweringHarness::qint8Weight({3, 2}, {-1, 0, 1, 2, -128, 127}, 0.25);
  h.lower("quantized::linear", {x, h.constant(linearWeights(weight, LoweringHarness::floatConst({3}, {1, 2, -3}))),
                                h.number(0.5), h.integer(64)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_FULLY_CONNECTED});
  const auto& fc = h.operation(0);
  CHECK(fc.inputs[0] == h.operandOf(x));
  CHECK(h.operand(fc.inputs[1]).type == ANEURALNETWORKS_TENSOR_QUANT8_ASYMM);
  CHECK(h.operand(fc.inputs[1]).zero_point == 128);
  CHECK(h.bytes(fc.inputs[1]) == std::vector<uint8_t>{127, 128, 129, 130, 0, 255});
  // Bias scale 0.5 * 0.25 = 0.125.
  CHECK(h.operand(fc.inputs[2]).scale == 0.125f);
  CHECK(h.intValues(fc.inputs[2]) == std::vector<int32_t>{8, 16, -24});
  CHECK(h.scalarInt(fc.inputs[3]) == ANEURALNETWORKS_FUSED_NONE);
  const auto& out = h.operand(h.outputOperand());
  CHECK(out.type == ANEURALNETWORKS_TENSOR_QUANT8_ASYMM);
  CHECK(out.scale == 0.5f);
  CHECK(out.zero_point == 64);
  CHECK(out.dims == std::vector<uint32_t>{2, 3});
}

TEST_CASE("quantized::linear_relu on a rank-3 input fuses RELU and reshapes back", "[quantized_linear]") {
  LoweringHarness h;
  const auto x = h.quantTensor({2, 5, 2}, 0.5f, 128);
  h.lower("quantized::linear_relu",
          {x, h.constant(linearWeights(LoweringHarness::qint8Weight({3, 2}, {1, 2, 3, 4, 5, 6}, 0.25), std::nullopt)),
           h.number(0.5), h.integer(0)});
  REQUIRE(h.operationCodes() ==
          std::vector<int32_t>{ANEURALNETWORKS_FULLY_CONNECTED, ANEURALNETWORKS_RESHAPE});
  CHECK(h.scalarInt(h.operation(0).inputs[3]) == ANEURALNETWORKS_FUSED_RELU);
  CHECK(h.intValues(h.operation(0).inputs[2]) == std::vector<int32_t>{0, 0, 0});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 5, 3});
  CHECK(h.operand(h.outputOperand()).scale == 0.5f);
}

TEST_CASE("a flattened channels-last input reorders the quantized weight columns", "[quantized_linear]") {
  LoweringHarness h;
  // C=2, H=1, W=2: logical column c*2+w is physical w*2+c.
  const auto x = h.quantTensor({1, 4}, 0.5f, 128, Layout::ChannelsLastFlattened, {2, 1, 2});
  h.lower("quantized::linear",
          {x, h.constant(linearWeights(LoweringHarness::qint8Weight({1, 4}, {10, 11, 20, 21}, 0.25), std::nullopt)),
           h.number(0.5), h.integer(0)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_FULLY_CONNECTED});
  CHECK(h.bytes(h.operation(0).inputs[1]) == std::vector<uint8_t>{138, 148, 139, 149});
}

TEST_CASE("per-channel linear weights become a 1x1 CONV_2D between RESHAPEs, from feature level 3",
          "[quantized_linear][feature_level]") {
  const auto weight = LoweringHarness::qint8PerChannelWeight({3, 2}, {-1, 0, 1, 2, -128, 127}, {0.5, 0.25, 0.125});
  const auto bias = LoweringHarness::floatConst({3}, {1, 1, 1});
  SECTION("feature level 3") {
    LoweringHarness h(29);
    const auto x = h.quantTensor({4, 2}, 0.5f, 128);
    h.lower("quantized::linear_relu", {x, h.constant(linearWeights(weight, bias)), h.number(0.1), h.integer(0)});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_CONV_2D,
                                                       ANEURALNETWORKS_RESHAPE});
    CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{-1, 1, 1, 2});
    const auto& conv = h.operation(1);
    const auto& filter = h.operand(conv.inputs[1]);
    CHECK(filter.type == ANEURALNETWORKS_TENSOR_QUANT8_SYMM_PER_CHANNEL);
    CHECK(filter.dims == std::vector<uint32_t>{3, 1, 1, 2});
    CHECK(filter.per_channel->channel_dim == 0);
    CHECK(filter.per_channel->scales == std::vector<float>{0.5f, 0.25f, 0.125f});
    // Bias: 1 / (0.5 * 0.5) = 4, 1 / (0.5 * 0.25) = 8, 1 / (0.5 * 0.125) = 16; declared scale 0.
    CHECK(h.intValues(conv.inputs[2]) == std::vector<int32_t>{4, 8, 16});
    CHECK(h.operand(conv.inputs[2]).scale == 0.0f);
    CHECK(h.scalarInt(conv.inputs[9]) == ANEURALNETWORKS_FUSED_RELU);
    CHECK(h.operand(conv.outputs[0]).scale == 0.1f);
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{4, 3});
    CHECK(h.operand(h.outputOperand()).scale == 0.1f);
  }
  SECTION("feature level 2") {
    LoweringHarness h(28);
    const auto x = h.quantTensor({4, 2}, 0.5f, 128);
    CHECK_THAT(h.unsupportedReason("quantized::linear",
                                   {x, h.constant(linearWeights(weight, bias)), h.number(0.1), h.integer(0)}),
               Catch::Contains("per-channel") && Catch::Contains("needs Android 10"));
    CHECK(h.operations().empty());
  }
}

TEST_CASE("quantized linear layers NNAPI cannot run say why", "[quantized_linear][feature_level]") {
  LoweringHarness h(28);
  const auto x = h.quantTensor({2, 2}, 0.5f, 128);
  const auto weight = LoweringHarness::qint8Weight({3, 2}, {1, 2, 3, 4, 5, 6}, 0.25);
  // 0.125 == 0.5 * 0.25: not above.
  CHECK_THAT(h.unsupportedReason("quantized::linear", {x, h.constant(linearWeights(weight, std::nullopt)),
                                                       h.number(0.125), h.integer(0)}),
             Catch::Contains("FULLY_CONNECTED with an output scale <= input scale"));
  const auto f = h.tensor({2, 2});
  CHECK_THAT(h.unsupportedReason("quantized::linear", {f, h.constant(linearWeights(weight, std::nullopt)),
                                                       h.number(1.0), h.integer(0)}),
             Catch::Contains("needs quint8 tensors"));
  const auto wide = h.quantTensor({2, 3}, 0.5f, 128);
  CHECK_THAT(h.unsupportedReason("quantized::linear", {wide, h.constant(linearWeights(weight, std::nullopt)),
                                                       h.number(1.0), h.integer(0)}),
             Catch::Contains("input size"));
  CHECK(h.operations().empty());
}
