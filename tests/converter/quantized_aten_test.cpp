// aten ops that take quint8 tensors where NNAPI and PyTorch agree on the output's quantization; the ones that need
// float constants stay float-only.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

TEST_CASE("relu, relu6, hardtanh(0, 6) on quint8 keep the input's quantization", "[quantized_aten]") {
  LoweringHarness h(27);
  const auto x = h.quantTensor({1, 3, 2, 2}, 0.1f, 50, Layout::ChannelsLast);
  h.lower("aten::relu", {x});
  h.lower("aten::relu6", {x});
  h.lower("aten::hardtanh", {x, h.number(0.0), h.number(6.0)});
  REQUIRE(h.operationCodes() ==
          std::vector<int32_t>{ANEURALNETWORKS_RELU, ANEURALNETWORKS_RELU6, ANEURALNETWORKS_RELU6});
  for (const auto& op : h.operations()) {
    const auto& out = h.operand(op.outputs[0]);
    CHECK(out.type == ANEURALNETWORKS_TENSOR_QUANT8_ASYMM);
    CHECK(out.scale == 0.1f);
    CHECK(out.zero_point == 50);
    CHECK(out.layout == Layout::ChannelsLast);
  }
}

TEST_CASE("sigmoid / tanh on quint8: LOGISTIC (1/256, 0) / TANH (1/128, 128), NNAPI's and PyTorch's output quantization",
          "[quantized_aten]") {
  LoweringHarness h(27);
  const auto x = h.quantTensor({2, 5}, 0.1f, 128);
  h.lower("aten::sigmoid", {x});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_LOGISTIC});
  CHECK(h.operand(h.outputOperand()).scale == 1.0f / 256);
  CHECK(h.operand(h.outputOperand()).zero_point == 0);

  LoweringHarness t(29);
  const auto y = t.quantTensor({2, 5}, 0.1f, 128);
  t.lower("aten::tanh", {y});
  REQUIRE(t.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TANH});
  CHECK(t.operand(t.outputOperand()).scale == 1.0f / 128);
  CHECK(t.operand(t.outputOperand()).zero_point == 128);
}

TEST_CASE("pools on quint8 keep the quantization", "[quantized_aten]") {
  LoweringHarness h(27);
  const auto x = h.quantTensor({1, 3, 4, 4}, 0.1f, 7, Layout::ChannelsLast);
  h.lower("aten::max_pool2d", {x, h.ints({2, 2}), h.ints({}), h.ints({0, 0}), h.ints({1, 1}), h.boolean(false)});
  h.lower("aten::avg_pool2d",
          {x, h.ints({2, 2}), h.ints({2, 2}), h.ints({0, 0}), h.boolean(false), h.boolean(true), h.none()});
  h.lower("aten::adaptive_avg_pool2d", {x, h.ints({1, 1})});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MAX_POOL_2D, ANEURALNETWORKS_AVERAGE_POOL_2D,
                                                     ANEURALNETWORKS_AVERAGE_POOL_2D});
  for (const auto& op : h.operations()) {
    CHECK(h.operand(op.outputs[0]).scale == 0.1f);
    CHECK(h.operand(op.outputs[0]).zero_point == 7);
  }
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 1, 1, 3});
}

TEST_CASE("mean, flatten and cat of quint8 tensors", "[quantized_aten]") {
  LoweringHarness h(28);
  const auto x = h.quantTensor({1, 3, 4, 4}, 0.1f, 7, Layout::ChannelsLast);
  h.lower("aten::mean", {x, h.ints({2, 3}), h.boolean(false), h.none()});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MEAN});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 3});
  CHECK(h.operand(h.outputOperand()).zero_point == 7);

  h.lower("aten::flatten", {x, h.integer(1), h.integer(-1)});
  CHECK(h.operationCodes().back() == ANEURALNETWORKS_RESHAPE);
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLastFlattened);
  CHECK(h.operand(h.outputOperand()).scale == 0.1f);

  const auto y = h.quantTensor({1, 3, 4, 4}, 0.1f, 7, Layout::ChannelsLast);
  h.lower("aten::cat", {h.list({x, y}), h.integer(1)});
  CHECK(h.operationCodes().back() == ANEURALNETWORKS_CONCATENATION);
  CHECK(h.operand(h.outputOperand()).zero_point == 7);

  h.lower("aten::dropout", {x, h.number(0.5), h.boolean(false)});
  CHECK(h.output().partition_operand == h.operandOf(x));
}

TEST_CASE("ops that need float constants stay float-only on quint8, with a reason", "[quantized_aten]") {
  LoweringHarness h;
  const auto x = h.quantTensor({1, 3, 2, 2}, 0.1f, 50, Layout::ChannelsLast);
  CHECK_THAT(h.unsupportedReason("aten::clamp", {x, h.number(-2.0), h.number(2.0)}), Catch::Contains("float32"));
  CHECK_THAT(h.unsupportedReason("aten::mul", {x, h.number(2.0)}), Catch::Contains("float32"));
  CHECK(h.operations().empty());
}

TEST_CASE("hardsigmoid on quint8 is ADD 3 with fused RELU6 into steps of 6/256, then MUL by 1/6 into PyTorch's "
          "1/256 steps", "[quantized_aten]") {
  LoweringHarness h;
  const auto x = h.quantTensor({1, 3, 2, 2}, 0.1f, 50, Layout::ChannelsLast);
  h.lower("aten::hardsigmoid", {x});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_ADD, ANEURALNETWORKS_MUL});
  const auto& add = h.operation(0);
  const auto& three = h.operand(add.inputs[1]);
  CHECK(three.type == ANEURALNETWORKS_TENSOR_QUANT8_ASYMM);
  CHECK(h.bytes(add.inputs[1]) == std::vector<uint8_t>{255});
  CHECK(255 * three.scale == Approx(3.0f));
  CHECK(h.scalarInt(add.inputs[2]) == ANEURALNETWORKS_FUSED_RELU6);
  const auto& sum = h.operand(add.outputs[0]);
  CHECK(sum.scale == 6.0f / 256);
  CHECK(sum.zero_point == 0);
  const auto& mul = h.operation(1);
  CHECK(h.bytes(mul.inputs[1]) == std::vector<uint8_t>{255});
  CHECK(255 * h.operand(mul.inputs[1]).scale == Approx(1.0f / 6));
  const auto& out = h.operand(h.outputOperand());
  CHECK(out.scale == 1.0f / 256);
  CHECK(out.zero_point == 0);
  CHECK(out.layout == Layout::ChannelsLast);
}
