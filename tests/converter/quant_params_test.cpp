// Quantized filters and biases (ops/quant_params.h), byte for byte against hand-computed values.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"
#include "ops/lowering.h"
#include "ops/quant_params.h"

using nnc::ConstTensor;
using nnc::FilterRelayout;
using nnc::quantBias;
using nnc::quantFilter;
using nnc::test::LoweringHarness;

namespace {

std::vector<uint8_t> int8Bits(const std::vector<int8_t>& values) {
  return std::vector<uint8_t>(reinterpret_cast<const uint8_t*>(values.data()),
                              reinterpret_cast<const uint8_t*>(values.data()) + values.size());
}

}  // namespace

TEST_CASE("a per-tensor qint8 conv weight becomes QUANT8_ASYMM OHWI, values and zero point shifted by 128",
          "[quant_params]") {
  // OIHW [O=2, I=2, H=1, W=2]: o0 = (i0: -128, -1), (i1: 0, 1); o1 = (i0: 2, 3), (i1: 127, -5).
  const ConstTensor weight = LoweringHarness::qint8Weight({2, 2, 1, 2}, {-128, -1, 0, 1, 2, 3, 127, -5}, 0.5, -3);
  const auto filter = quantFilter(weight, FilterRelayout::OIHW_to_OHWI, {2, 1, 2, 2});
  CHECK(filter.operand.type == ANEURALNETWORKS_TENSOR_QUANT8_ASYMM);
  CHECK(filter.operand.dims == std::vector<uint32_t>{2, 1, 2, 2});
  CHECK(filter.operand.scale == 0.5f);
  CHECK(filter.operand.zero_point == 125);
  CHECK_FALSE(filter.perChannel());
  // OHWI: o0 (w0: -128, 0), (w1: -1, 1); o1 (w0: 2, 127), (w1: 3, -5); each + 128.
  CHECK(filter.bytes == std::vector<uint8_t>{0, 128, 127, 129, 130, 255, 131, 123});
}

TEST_CASE("the bias is rounded to input scale x weight scale, ties to even", "[quant_params]") {
  const auto filter = quantFilter(LoweringHarness::qint8Weight({4, 1, 1, 1}, {1, 1, 1, 1}, 0.5),
                                  FilterRelayout::OIHW_to_OHWI, {4, 1, 1, 1});
  // Accumulator scale 0.25 * 0.5 = 0.125: 1.0 -> 8, -0.3 -> -2.4 -> -2, 0.0625 -> 0.5 -> 0, 0.1875 -> 1.5 -> 2.
  const auto bias = quantBias(LoweringHarness::floatConst({4}, {1.0f, -0.3f, 0.0625f, 0.1875f}), filter, 0.25f, 4);
  CHECK(bias.operand.type == ANEURALNETWORKS_TENSOR_INT32);
  CHECK(bias.operand.dims == std::vector<uint32_t>{4});
  CHECK(bias.operand.scale == 0.125f);
  CHECK(bias.operand.zero_point == 0);
  CHECK(bias.values == std::vector<int32_t>{8, -2, 0, 2});

  const auto none = quantBias(std::nullopt, filter, 0.25f, 4);
  CHECK(none.values == std::vector<int32_t>{0, 0, 0, 0});
  CHECK(none.operand.scale == 0.125f);

  CHECK_THROWS_WITH(quantBias(LoweringHarness::floatConst({3}, {1, 2, 3}), filter, 0.25f, 4),
                    Catch::Contains("3 values for 4 output channels"));
}

TEST_CASE("a per-channel weight becomes QUANT8_SYMM_PER_CHANNEL with int8 values and a per-channel bias",
          "[quant_params]") {
  // OIHW [O=2, I=1, H=1, W=2]: OHWI has the same order when I = 1.
  const auto weight = LoweringHarness::qint8PerChannelWeight({2, 1, 1, 2}, {1, -2, 3, -4}, {0.5, 0.25});
  const auto filter = quantFilter(weight, FilterRelayout::OIHW_to_OHWI, {2, 1, 2, 1});
  CHECK(filter.operand.type == ANEURALNETWORKS_TENSOR_QUANT8_SYMM_PER_CHANNEL);
  CHECK(filter.operand.scale == 0.0f);
  CHECK(filter.operand.zero_point == 0);
  REQUIRE(filter.perChannel());
  CHECK(filter.operand.per_channel->channel_dim == 0);
  CHECK(filter.operand.per_channel->scales == std::vector<float>{0.5f, 0.25f});
  CHECK(filter.bytes == std::vector<uint8_t>{0x01, 0xFE, 0x03, 0xFC});
  // Input scale 0.5: channel 0 accumulates at 0.25, channel 1 at 0.125; the declared scale is 0.
  const auto bias = quantBias(LoweringHarness::floatConst({2}, {1.0f, 1.0f}), filter, 0.5f, 2);
  CHECK(bias.values == std::vector<int32_t>{4, 8});
  CHECK(bias.operand.scale == 0.0f);
  CHECK(bias.operand.zero_point == 0);
}

TEST_CASE("a depthwise weight's channels are NNAPI dim 3", "[quant_params]") {
  // O1HW [O=4, 1, H=1, W=2], values o*2+w -> [1, 1, 2, 4]: (w0: 0, 2, 4, 6), (w1: 1, 3, 5, 7).
  const auto weight = LoweringHarness::qint8PerChannelWeight({4, 1, 1, 2}, {0, 1, 2, 3, 4, 5, 6, 7}, {1, 2, 3, 4});
  const auto filter = quantFilter(weight, FilterRelayout::O1HW_to_1HWO, {1, 1, 2, 4});
  REQUIRE(filter.perChannel());
  CHECK(filter.operand.per_channel->channel_dim == 3);
  CHECK(filter.operand.per_channel->scales == std::vector<float>{1, 2, 3, 4});
  CHECK(filter.bytes == int8Bits({0, 2, 4, 6, 1, 3, 5, 7}));
}

TEST_CASE("a grouped conv weight [O, I/G, H, W] goes OHWI like any conv", "[quant_params]") {
  // O=2, I/G=2, H=2, W=1, values 0..7 at ((o*2+i)*2+h): OHWI (o, h, i) -> [0, 2, 1, 3, 4, 6, 5, 7].
  const auto filter = quantFilter(LoweringHarness::qint8Weight({2, 2, 2, 1}, {0, 1, 2, 3, 4, 5, 6, 7}, 0.1),
                                  FilterRelayout::OIHW_to_OHWI, {2, 2, 1, 2});
  CHECK(filter.bytes == std::vector<uint8_t>{128, 130, 129, 131, 132, 134, 133, 135});
  CHECK(filter.operand.zero_point == 128);
}

TEST_CASE("a transposed conv weight IOHW, per channel along its output axis 1, becomes OHWI with channel dim 0",
          "[quant_params]") {
  // IOHW [I=2, O=3, 1, 1], value i*3+o -> OHWI [3, 1, 1, 2]: (o0: 0, 3), (o1: 1, 4), (o2: 2, 5).
  const auto weight = LoweringHarness::qint8PerChannelWeight({2, 3, 1, 1}, {0, 1, 2, 3, 4, 5}, {1, 2, 3}, 1);
  const auto filter = quantFilter(weight, FilterRelayout::IOHW_to_OHWI, {3, 1, 1, 2});
  REQUIRE(filter.perChannel());
  CHECK(filter.operand.per_channel->channel_dim == 0);
  CHECK(filter.bytes == int8Bits({0, 3, 1, 4, 2, 5}));
  // Quantized along the input channels (axis 0): NNAPI has no such filter.
  const auto by_input = LoweringHarness::qint8PerChannelWeight({2, 3, 1, 1}, {0, 1, 2, 3, 4, 5}, {1, 2}, 0);
  CHECK_THROWS_AS(quantFilter(by_input, FilterRelayout::IOHW_to_OHWI, {3, 1, 1, 2}), nnc::Unsupported);
  CHECK_THROWS_WITH(quantFilter(by_input, FilterRelayout::IOHW_to_OHWI, {3, 1, 1, 2}),
                    Catch::Contains("per output channel (axis 1"));
}

TEST_CASE("linear weights [out, in] keep their order", "[quant_params]") {
  const auto filter = quantFilter(LoweringHarness::qint8Weight({3, 2}, {-1, 0, 1, 2, -128, 127}, 0.02, 0),
                                  FilterRelayout::None, {3, 2});
  CHECK(filter.operand.type == ANEURALNETWORKS_TENSOR_QUANT8_ASYMM);
  CHECK(filter.operand.dims == std::vector<uint32_t>{3, 2});
  CHECK(filter.operand.zero_point == 128);
  CHECK(filter.bytes == std::vector<uint8_t>{127, 128, 129, 130, 0, 255});
  const auto per_channel = quantFilter(
      LoweringHarness::qint8PerChannelWeight({3, 2}, {-1, 0, 1, 2, -128, 127}, {0.1, 0.2, 0.3}), FilterRelayout::None,
      {3, 2});
  CHECK(per_channel.operand.per_channel->channel_dim == 0);
  CHECK(per_channel.bytes == int8Bits({-1, 0, 1, 2, -128, 127}));
}

TEST_CASE("weights NNAPI cannot take say why", "[quant_params]") {
  const auto asymmetric = LoweringHarness::qint8PerChannelWeight({2, 1, 1, 1}, {1, 2}, {0.5, 0.5}, 0, {0, 3});
  CHECK_THROWS_WITH(quantFilter(asymmetric, FilterRelayout::OIHW_to_OHWI, {2, 1, 1, 1}),
                    Catch::Contains("nonzero zero point (3)") && Catch::Contains("symmetric"));
  ConstTensor quint8 = LoweringHarness::qint8Weight({2, 1, 1, 1}, {1, 2}, 0.5);
  quint8.dtype = nnc::DType::QUInt8;
  CHECK_THROWS_WITH(quantFilter(quint8, FilterRelayout::OIHW_to_OHWI, {2, 1, 1, 1}), Catch::Contains("qint8"));
}
