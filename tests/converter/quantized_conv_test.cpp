// quantized::conv2d / conv2d_relu / conv_transpose2d: the float convolutions' operation and operand list, with
// quantized filter, INT32 bias and the output's quantization.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ConstTensor;
using nnc::PackedWeights;
using nnc::ir::Layout;
using nnc::test::LoweringHarness;

namespace {

PackedWeights convWeights(ConstTensor weight, std::optional<ConstTensor> bias, std::vector<int64_t> stride,
                          std::vector<int64_t> padding, int64_t groups = 1, bool transposed = false,
                          std::vector<int64_t> output_padding = {0, 0}, std::vector<int64_t> dilation = {1, 1}) {
  PackedWeights packed;
  packed.kind = PackedWeights::Kind::Conv2d;
  packed.weight = std::move(weight);
  packed.bias = std::move(bias);
  packed.stride = std::move(stride);
  packed.padding = std::move(padding);
  packed.dilation = std::move(dilation);
  packed.output_padding = std::move(output_padding);
  packed.groups = groups;
  packed.transposed = transposed;
  return packed;
}

std::vector<int8_t> ramp(size_t n) {
  std::vector<int8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<int8_t>(int(i % 200) - 100);
  return v;
}

}  // namespace

TEST_CASE("quantized::conv2d with a per-tensor weight: CONV_2D on QUANT8_ASYMM with an INT32 bias",
          "[quantized_conv]") {
  LoweringHarness h(27);
  const auto x = h.quantTensor({1, 2, 5, 5}, 0.5f, 3, Layout::ChannelsLast);
  // OIHW [3, 2, 1, 1] -> OHWI has the same order; scale 0.25, zero point 0 -> 128.
  const auto weight = LoweringHarness::qint8Weight({3, 2, 1, 1}, {1, -1, 2, -2, 127, -128}, 0.25);
  const auto bias = LoweringHarness::floatConst({3}, {0.25f, -0.5f, 1.0f});
  h.lower("quantized::conv2d",
          {x, h.constant(convWeights(weight, bias, {2, 1}, {0, 0})), h.number(0.2), h.integer(10)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_CONV_2D});
  const auto& conv = h.operation(0);
  REQUIRE(conv.inputs.size() == 10);  // feature level 1's form
  CHECK(conv.inputs[0] == h.operandOf(x));
  const auto& filter = h.operand(conv.inputs[1]);
  CHECK(filter.type == ANEURALNETWORKS_TENSOR_QUANT8_ASYMM);
  CHECK(filter.dims == std::vector<uint32_t>{3, 1, 1, 2});
  CHECK(filter.scale == 0.25f);
  CHECK(filter.zero_point == 128);
  CHECK(h.bytes(conv.inputs[1]) == std::vector<uint8_t>{129, 127, 130, 126, 255, 0});
  // Bias scale 0.5 * 0.25 = 0.125: 0.25 -> 2, -0.5 -> -4, 1.0 -> 8.
  const auto& bias_operand = h.operand(conv.inputs[2]);
  CHECK(bias_operand.scale == 0.125f);
  CHECK(bias_operand.zero_point == 0);
  CHECK(h.intValues(conv.inputs[2]) == std::vector<int32_t>{2, -4, 8});
  CHECK(h.scalarInts(conv, 3, 7) == std::vector<int32_t>{0, 0, 0, 0, 1, 2, ANEURALNETWORKS_FUSED_NONE});
  const auto& out = h.operand(h.outputOperand());
  CHECK(out.type == ANEURALNETWORKS_TENSOR_QUANT8_ASYMM);
  CHECK(out.scale == 0.2f);
  CHECK(out.zero_point == 10);
  CHECK(out.layout == Layout::ChannelsLast);
  CHECK(out.dims == std::vector<uint32_t>{1, 3, 5, 3});
}

TEST_CASE("quantized::conv2d_relu fuses RELU", "[quantized_conv]") {
  LoweringHarness h;
  const auto x = h.quantTensor({1, 2, 3, 3}, 0.5f, 0, Layout::ChannelsLast);
  h.lower("quantized::conv2d_relu",
          {x, h.constant(convWeights(LoweringHarness::qint8Weight({1, 2, 1, 1}, {1, 2}, 0.1), std::nullopt, {1, 1},
                                     {0, 0})),
           h.number(0.1), h.integer(0)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_CONV_2D});
  CHECK(h.scalarInt(h.operation(0).inputs[9]) == ANEURALNETWORKS_FUSED_RELU);
  CHECK(h.intValues(h.operation(0).inputs[2]) == std::vector<int32_t>{0});
}

TEST_CASE("a per-channel quantized conv: QUANT8_SYMM_PER_CHANNEL filter, bias scale 0, from feature level 3",
          "[quantized_conv][feature_level]") {
  const auto weight = LoweringHarness::qint8PerChannelWeight({2, 1, 1, 2}, {1, -2, 3, -4}, {0.5, 0.25});
  const auto bias = LoweringHarness::floatConst({2}, {1.0f, 1.0f});
  SECTION("feature level 3") {
    LoweringHarness h(29);
    const auto x = h.quantTensor({1, 1, 4, 4}, 0.5f, 128, Layout::ChannelsLast);
    h.lower("quantized::conv2d",
            {x, h.constant(convWeights(weight, bias, {1, 1}, {0, 0})), h.number(0.05), h.integer(128)});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_CONV_2D});
    const auto& filter = h.operand(h.operation(0).inputs[1]);
    CHECK(filter.type == ANEURALNETWORKS_TENSOR_QUANT8_SYMM_PER_CHANNEL);
    REQUIRE(filter.per_channel);
    CHECK(filter.per_channel->channel_dim == 0);
    CHECK(filter.per_channel->scales == std::vector<float>{0.5f, 0.25f});
    CHECK(h.bytes(h.operation(0).inputs[1]) == std::vector<uint8_t>{0x01, 0xFE, 0x03, 0xFC});
    CHECK(h.operand(h.operation(0).inputs[2]).scale == 0.0f);
    CHECK(h.intValues(h.operation(0).inputs[2]) == std::vector<int32_t>{4, 8});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 4, 3, 2});
  }
  SECTION("feature level 2") {
    LoweringHarness h(28);
    const auto x = h.quantTensor({1, 1, 4, 4}, 0.5f, 128, Layout::ChannelsLast);
    CHECK_THAT(h.unsupportedReason("quantized::conv2d", {x, h.constant(convWeights(weight, bias, {1, 1}, {0, 0})),
                                                         h.number(0.05), h.integer(128)}),
               Catch::Contains("CONV_2D with a per-channel quantized filter needs Android 10"));
    CHECK(h.operations().empty());
  }
}

TEST_CASE("an output scale not above input x weight scale needs feature level 3", "[quantized_conv][feature_level]") {
  const auto weight = LoweringHarness::qint8Weight({1, 2, 1, 1}, {1, 2}, 0.5);
  SECTION("feature level 2: unsupported, nothing emitted") {
    LoweringHarness h(28);
    const auto x = h.quantTensor({1, 2, 3, 3}, 0.5f, 0, Layout::ChannelsLast);
    // 0.25 == 0.5 * 0.5: not above.
    CHECK_THAT(h.unsupportedReason("quantized::conv2d", {x, h.constant(convWeights(weight, std::nullopt, {1, 1},
                                                                                   {0, 0})),
                                                         h.number(0.25), h.integer(0)}),
               Catch::Contains("output scale <= input scale * filter") && Catch::Contains("Android 10"));
    CHECK(h.operations().empty());
  }
  SECTION("feature level 3: lowered") {
    LoweringHarness h(29);
    const auto x = h.quantTensor({1, 2, 3, 3}, 0.5f, 0, Layout::ChannelsLast);
    h.lower("quantized::conv2d",
            {x, h.constant(convWeights(weight, std::nullopt, {1, 1}, {0, 0})), h.number(0.25), h.integer(0)});
    CHECK(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_CONV_2D});
  }
}

TEST_CASE("a quantized depthwise conv: DEPTHWISE_CONV_2D with per-channel dim 3", "[quantized_conv]") {
  LoweringHarness h;
  const auto x = h.quantTensor({1, 2, 5, 5}, 0.1f, 128, Layout::ChannelsLast);
  // 4 output channels from 2 input channels: multiplier 2; weight [4,1,1,2] values o*2+w.
  const auto weight = LoweringHarness::qint8PerChannelWeight({4, 1, 1, 2}, {0, 1, 2, 3, 4, 5, 6, 7}, {1, 2, 3, 4});
  h.lower("quantized::conv2d", {x, h.constant(convWeights(weight, std::nullopt, {1, 1}, {0, 0}, 2)), h.number(1.0),
                                h.integer(0)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_DEPTHWISE_CONV_2D});
  const auto& conv = h.operation(0);
  const auto& filter = h.operand(conv.inputs[1]);
  CHECK(filter.dims == std::vector<uint32_t>{1, 1, 2, 4});
  CHECK(filter.per_channel->channel_dim == 3);
  CHECK(h.bytes(conv.inputs[1]) == std::vector<uint8_t>{0, 2, 4, 6, 1, 3, 5, 7});
  CHECK(h.scalarInt(conv.inputs[9]) == 2);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 5, 4, 4});
}

TEST_CASE("a quantized grouped conv: GROUPED_CONV_2D with its layout flag", "[quantized_conv]") {
  LoweringHarness h;
  const auto x = h.quantTensor({1, 4, 6, 6}, 0.1f, 128, Layout::ChannelsLast);
  h.lower("quantized::conv2d",
          {x, h.constant(convWeights(LoweringHarness::qint8Weight({6, 2, 3, 3}, ramp(108), 0.01), std::nullopt,
                                     {1, 1}, {1, 1}, 2)),
           h.number(0.5), h.integer(100)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_GROUPED_CONV_2D});
  const auto& conv = h.operation(0);
  REQUIRE(conv.inputs.size() == 12);
  CHECK(h.scalarInt(conv.inputs[9]) == 2);
  CHECK(h.operand(conv.inputs[1]).dims == std::vector<uint32_t>{6, 3, 3, 2});
  CHECK(h.operand(h.outputOperand()).zero_point == 100);
}

TEST_CASE("quantized::conv_transpose2d: TRANSPOSE_CONV_2D, output_padding shrinks right/bottom",
          "[quantized_conv]") {
  LoweringHarness h;
  const auto x = h.quantTensor({1, 2, 4, 4}, 0.1f, 128, Layout::ChannelsLast);
  // IOHW [2, 3, 3, 3] per channel along the output axis 1.
  const auto weight = LoweringHarness::qint8PerChannelWeight({2, 3, 3, 3}, ramp(54), {0.01, 0.02, 0.03}, 1);
  h.lower("quantized::conv_transpose2d",
          {x, h.constant(convWeights(weight, std::nullopt, {2, 2}, {1, 1}, 1, true, {1, 1})), h.number(0.5),
           h.integer(128)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE_CONV_2D});
  const auto& conv = h.operation(0);
  CHECK(h.scalarInts(conv, 3, 6) == std::vector<int32_t>{1, 0, 1, 0, 2, 2});
  CHECK(h.operand(conv.inputs[1]).dims == std::vector<uint32_t>{3, 3, 3, 2});
  CHECK(h.operand(conv.inputs[1]).per_channel->channel_dim == 0);
  // OHWI[0][0][0][1] = IOHW[1][0][0][0] = ramp[27] = -73.
  CHECK(static_cast<int8_t>(h.bytes(conv.inputs[1])[1]) == -73);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 8, 8, 3});
}

TEST_CASE("quantized convolutions NNAPI cannot run say why, and emit nothing", "[quantized_conv]") {
  LoweringHarness h;
  const auto q = h.quantTensor({1, 2, 3, 3}, 0.5f, 0, Layout::ChannelsLast);
  const auto f = h.tensor({1, 2, 3, 3}, Layout::ChannelsLast);
  const auto packed = h.constant(convWeights(LoweringHarness::qint8Weight({1, 2, 1, 1}, {1, 2}, 0.1), std::nullopt,
                                             {1, 1}, {0, 0}));
  CHECK_THAT(h.unsupportedReason("quantized::conv2d", {f, packed, h.number(0.1), h.integer(0)}),
             Catch::Contains("needs quint8 tensors"));
  CHECK_THAT(h.unsupportedReason("quantized::conv_transpose2d", {q, packed, h.number(0.1), h.integer(0)}),
             Catch::Contains("forward convolution"));
  CHECK_THAT(h.unsupportedReason("quantized::conv2d", {q, packed, h.number(0.1), h.integer(300)}),
             Catch::Contains("not a quint8 quantization"));
  const auto asymmetric = h.constant(convWeights(
      LoweringHarness::qint8PerChannelWeight({2, 2, 1, 1}, {1, 2, 3, 4}, {0.1, 0.1}, 0, {0, 1}), std::nullopt,
      {1, 1}, {0, 0}));
  CHECK_THAT(h.unsupportedReason("quantized::conv2d", {q, asymmetric, h.number(0.1), h.integer(0)}),
             Catch::Contains("symmetric"));
  CHECK_THAT(h.unsupportedReason("quantized::conv2d", {q, h.floatTensor({1}, {1}), h.number(0.1), h.integer(0)}),
             Catch::Contains("packed weights"));
  CHECK(h.operations().empty());
}
