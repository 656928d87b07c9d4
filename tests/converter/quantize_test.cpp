// aten::quantize_per_tensor -> QUANTIZE (feature level 3), aten::dequantize -> DEQUANTIZE; layouts kept.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

namespace {
constexpr int64_t kQUInt8 = 13, kQInt8 = 12;
}

TEST_CASE("quantize_per_tensor to quint8 is QUANTIZE with the given scale and zero point", "[quantize]") {
  LoweringHarness h(29);
  const auto x = h.tensor({1, 3, 4, 4}, Layout::ChannelsLast);
  h.lower("aten::quantize_per_tensor", {x, h.number(0.05), h.integer(7), h.integer(kQUInt8)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_QUANTIZE});
  const auto& out = h.operand(h.outputOperand());
  CHECK(out.type == ANEURALNETWORKS_TENSOR_QUANT8_ASYMM);
  CHECK(out.scale == 0.05f);
  CHECK(out.zero_point == 7);
  CHECK(out.layout == Layout::ChannelsLast);
  CHECK(out.dims == std::vector<uint32_t>{1, 4, 4, 3});
}

TEST_CASE("quantize_per_tensor says why it cannot be lowered", "[quantize][feature_level]") {
  LoweringHarness h(28);
  const auto x = h.tensor({2, 3});
  CHECK_THAT(h.unsupportedReason("aten::quantize_per_tensor", {x, h.number(0.05), h.integer(7), h.integer(kQUInt8)}),
             Catch::Contains("QUANTIZE on TENSOR_FLOAT32 needs Android 10"));
  LoweringHarness g(30);
  const auto y = g.tensor({2, 3});
  CHECK_THAT(g.unsupportedReason("aten::quantize_per_tensor", {y, g.number(0.05), g.integer(0), g.integer(kQInt8)}),
             Catch::Contains("qint8"));
  CHECK_THAT(g.unsupportedReason("aten::quantize_per_tensor", {y, g.number(0.05), g.integer(-1), g.integer(kQUInt8)}),
             Catch::Contains("not a quint8 quantization"));
  CHECK(h.operations().empty());
  CHECK(g.operations().empty());
}

TEST_CASE("dequantize is DEQUANTIZE to float32 at feature level 1, keeping a flattened map's layout",
          "[quantize][feature_level]") {
  LoweringHarness h(27);
  const auto x = h.quantTensor({1, 8}, 0.25f, 128, Layout::ChannelsLastFlattened, {2, 2, 2});
  h.lower("aten::dequantize", {x});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_DEQUANTIZE});
  const auto& out = h.operand(h.outputOperand());
  CHECK(out.type == ANEURALNETWORKS_TENSOR_FLOAT32);
  CHECK(out.scale == 0.0f);
  CHECK(out.layout == Layout::ChannelsLastFlattened);
  CHECK(out.flattened_chw == std::vector<uint32_t>{2, 2, 2});

  const auto f = h.tensor({1, 8});
  CHECK_THAT(h.unsupportedReason("aten::dequantize", {f}), Catch::Contains("quint8"));
}
