// Smooth activations composed of NNAPI's element-wise operations keep the input's layout.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

TEST_CASE("silu is LOGISTIC then MUL by the input, on an NHWC map", "[smooth_activation]") {
  for (const char* kind : {"aten::silu", "aten::silu_"}) {
    LoweringHarness h(27);
    const auto x = h.tensor({1, 3, 4, 5}, Layout::ChannelsLast);
    h.lower(kind, {x});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_LOGISTIC, ANEURALNETWORKS_MUL});
    const uint32_t in = h.operandOf(x);
    CHECK(h.operation(0).inputs == std::vector<uint32_t>{in});
    CHECK(h.operation(1).inputs[0] == in);
    CHECK(h.operation(1).inputs[1] == h.operation(0).outputs[0]);
    CHECK(h.outputOperand() == h.operation(1).outputs[0]);
    CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 4, 5, 3});
  }
}

TEST_CASE("silu refuses quantized tensors and rank 5", "[smooth_activation]") {
  LoweringHarness h;
  CHECK_THAT(h.unsupportedReason("aten::silu", {h.quantTensor({1, 4}, 0.1f, 3)}), Catch::Contains("float32"));
  CHECK_THAT(h.unsupportedReason("aten::silu", {h.tensor({1, 1, 1, 1, 2})}), Catch::Contains("rank 5"));
}
