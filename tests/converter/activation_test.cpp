// Activations lower to one NNAPI op (MAXIMUM/MINIMUM for general hardtanh/clamp bounds, ADD+MUL for hardsigmoid)
// and keep the input's layout.
#include <catch2/catch.hpp>
#include <limits>
#include <optional>
#include <utility>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

namespace {

// Lowers `kind` on a [1,3,4,5] NHWC map (extra arguments are numbers, std::nullopt for None) and checks it became
// exactly `op`, on the map itself, with output [1,4,5,3] in channels-last layout.
void checkSingleOpOnMap(const std::string& kind, std::vector<std::optional<double>> extra_args, int32_t op) {
  LoweringHarness h;
  const auto x = h.tensor({1, 3, 4, 5}, Layout::ChannelsLast);
  std::vector<nnc::ValueId> inputs = {x};
  for (const auto& a : extra_args) inputs.push_back(a ? h.number(*a) : h.none());
  h.lower(kind, inputs);
  INFO(kind);
  REQUIRE(h.operationCodes() == std::vector<int32_t>{op});
  CHECK(h.operation(0).inputs == std::vector<uint32_t>{h.operandOf(x)});
  CHECK(h.outputOperand() == h.operation(0).outputs[0]);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 4, 5, 3});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

}  // namespace

TEST_CASE("activations map to one NNAPI op on an NHWC map without a transpose", "[activation]") {
  checkSingleOpOnMap("aten::relu", {}, ANEURALNETWORKS_RELU);
  checkSingleOpOnMap("aten::relu_", {}, ANEURALNETWORKS_RELU);
  checkSingleOpOnMap("aten::relu6", {}, ANEURALNETWORKS_RELU6);
  checkSingleOpOnMap("aten::sigmoid", {}, ANEURALNETWORKS_LOGISTIC);
  checkSingleOpOnMap("aten::sigmoid_", {}, ANEURALNETWORKS_LOGISTIC);
  checkSingleOpOnMap("aten::tanh", {}, ANEURALNETWORKS_TANH);
  checkSingleOpOnMap("aten::hardswish", {}, ANEURALNETWORKS_HARD_SWISH);
  checkSingleOpOnMap("aten::hardswish_", {}, ANEURALNETWORKS_HARD_SWISH);
}

TEST_CASE("hardtanh with NNAPI's fixed bounds uses RELU6, RELU1 or RELU", "[activation]") {
  const double inf = std::numeric_limits<double>::infinity();
  checkSingleOpOnMap("aten::hardtanh", {0.0, 6.0}, ANEURALNETWORKS_RELU6);
  checkSingleOpOnMap("aten::hardtanh_", {0.0, 6.0}, ANEURALNETWORKS_RELU6);
  checkSingleOpOnMap("aten::hardtanh", {-1.0, 1.0}, ANEURALNETWORKS_RELU1);
  checkSingleOpOnMap("aten::hardtanh", {0.0, inf}, ANEURALNETWORKS_RELU);
}

TEST_CASE("hardtanh with other bounds is MAXIMUM then MINIMUM against one-element constants", "[activation]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 3});
  h.lower("aten::hardtanh", {x, h.number(-2.5), h.integer(3)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MAXIMUM, ANEURALNETWORKS_MINIMUM});
  const auto& maximum = h.operation(0);
  const auto& minimum = h.operation(1);
  REQUIRE(maximum.inputs.size() == 2);
  CHECK(maximum.inputs[0] == h.operandOf(x));
  CHECK(h.operand(maximum.inputs[1]).dims == std::vector<uint32_t>{1});
  CHECK(h.floatValues(maximum.inputs[1]) == std::vector<float>{-2.5f});
  REQUIRE(minimum.inputs.size() == 2);
  CHECK(minimum.inputs[0] == maximum.outputs[0]);
  CHECK(h.floatValues(minimum.inputs[1]) == std::vector<float>{3.0f});
  CHECK(h.outputOperand() == minimum.outputs[0]);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 3});
  CHECK(h.operand(h.outputOperand()).layout == Layout::Contiguous);
}

TEST_CASE("hardtanh with one infinite bound emits only the other clamp", "[activation]") {
  LoweringHarness h;
  const auto x = h.tensor({4});
  h.lower("aten::hardtanh", {x, h.number(-std::numeric_limits<double>::infinity()), h.number(2.0)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MINIMUM});
  CHECK(h.floatValues(h.operation(0).inputs[1]) == std::vector<float>{2.0f});
}

TEST_CASE("clamp with NNAPI's fixed bounds uses RELU, RELU6 or RELU1", "[activation]") {
  checkSingleOpOnMap("aten::clamp", {0.0, std::nullopt}, ANEURALNETWORKS_RELU);
  checkSingleOpOnMap("aten::clamp_", {0.0, std::nullopt}, ANEURALNETWORKS_RELU);
  checkSingleOpOnMap("aten::clamp", {0.0, 6.0}, ANEURALNETWORKS_RELU6);
  checkSingleOpOnMap("aten::clamp", {-1.0, 1.0}, ANEURALNETWORKS_RELU1);

  // torch.clamp(x, 0, 6) traces its bounds as ints.
  LoweringHarness h;
  const auto x = h.tensor({2, 3});
  h.lower("aten::clamp", {x, h.integer(0), h.integer(6)});
  CHECK(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RELU6});
}

TEST_CASE("clamp with other bounds is MAXIMUM and/or MINIMUM against one-element constants", "[activation]") {
  SECTION("both bounds, on an NHWC map") {
    LoweringHarness h;
    const auto x = h.tensor({1, 3, 4, 5}, Layout::ChannelsLast);
    h.lower("aten::clamp", {x, h.number(-2.0), h.integer(3)});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MAXIMUM, ANEURALNETWORKS_MINIMUM});
    CHECK(h.operation(0).inputs[0] == h.operandOf(x));
    CHECK(h.floatValues(h.operation(0).inputs[1]) == std::vector<float>{-2.0f});
    CHECK(h.operation(1).inputs[0] == h.operation(0).outputs[0]);
    CHECK(h.floatValues(h.operation(1).inputs[1]) == std::vector<float>{3.0f});
    CHECK(h.outputOperand() == h.operation(1).outputs[0]);
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 4, 5, 3});
    CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
  }
  SECTION("min only") {
    LoweringHarness h;
    const auto x = h.tensor({4});
    h.lower("aten::clamp", {x, h.number(-2.5), h.none()});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MAXIMUM});
    CHECK(h.floatValues(h.operation(0).inputs[1]) == std::vector<float>{-2.5f});
  }
  SECTION("max only") {
    LoweringHarness h;
    const auto x = h.tensor({4});
    h.lower("aten::clamp_", {x, h.none(), h.number(0.0)});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MINIMUM});
    CHECK(h.floatValues(h.operation(0).inputs[1]) == std::vector<float>{0.0f});
  }
  SECTION("min above max: MAXIMUM then MINIMUM gives max everywhere, as torch.clamp does") {
    LoweringHarness h;
    const auto x = h.tensor({4});
    h.lower("aten::clamp", {x, h.number(3.0), h.number(1.0)});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MAXIMUM, ANEURALNETWORKS_MINIMUM});
    CHECK(h.floatValues(h.operation(0).inputs[1]) == std::vector<float>{3.0f});
    CHECK(h.floatValues(h.operation(1).inputs[1]) == std::vector<float>{1.0f});
  }
}

TEST_CASE("hardsigmoid is ADD 3 with fused RELU6, then MUL by 1/6, keeping the map's layout", "[activation]") {
  for (const std::string kind : {"aten::hardsigmoid", "aten::hardsigmoid_"}) {
    INFO(kind);
    LoweringHarness h;
    const auto x = h.tensor({1, 3, 4, 5}, Layout::ChannelsLast);
    h.lower(kind, {x});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_ADD, ANEURALNETWORKS_MUL});
    const auto& add = h.operation(0);
    const auto& mul = h.operation(1);
    REQUIRE(add.inputs.size() == 3);
    CHECK(add.inputs[0] == h.operandOf(x));
    CHECK(h.operand(add.inputs[1]).dims == std::vector<uint32_t>{1});
    CHECK(h.floatValues(add.inputs[1]) == std::vector<float>{3.0f});
    CHECK(h.scalarInt(add.inputs[2]) == ANEURALNETWORKS_FUSED_RELU6);
    REQUIRE(mul.inputs.size() == 3);
    CHECK(mul.inputs[0] == add.outputs[0]);
    CHECK(h.floatValues(mul.inputs[1]) == std::vector<float>{1.0f / 6.0f});
    CHECK(h.scalarInt(mul.inputs[2]) == ANEURALNETWORKS_FUSED_NONE);
    CHECK(h.outputOperand() == mul.outputs[0]);
    CHECK(h.operand(add.outputs[0]).layout == Layout::ChannelsLast);
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 4, 5, 3});
    CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
  }
}

TEST_CASE("hardswish below feature level 4 is x * hardsigmoid(x): ADD 3 with fused RELU6, MUL by 1/6, MUL by x",
          "[activation][feature_level]") {
  for (const int level : {29, 27}) {
    INFO("feature level " << level);
    LoweringHarness h(level);
    const auto x = h.tensor({1, 3, 4, 5}, Layout::ChannelsLast);
    h.lower("aten::hardswish", {x});
    REQUIRE(h.operationCodes() ==
            std::vector<int32_t>{ANEURALNETWORKS_ADD, ANEURALNETWORKS_MUL, ANEURALNETWORKS_MUL});
    const auto& add = h.operation(0);
    const auto& scale = h.operation(1);
    const auto& gate = h.operation(2);
    REQUIRE(add.inputs.size() == 3);
    CHECK(add.inputs[0] == h.operandOf(x));
    CHECK(h.floatValues(add.inputs[1]) == std::vector<float>{3.0f});
    CHECK(h.scalarInt(add.inputs[2]) == ANEURALNETWORKS_FUSED_RELU6);
    REQUIRE(scale.inputs.size() == 3);
    CHECK(scale.inputs[0] == add.outputs[0]);
    CHECK(h.floatValues(scale.inputs[1]) == std::vector<float>{1.0f / 6.0f});
    CHECK(h.scalarInt(scale.inputs[2]) == ANEURALNETWORKS_FUSED_NONE);
    REQUIRE(gate.inputs.size() == 3);
    CHECK(gate.inputs[0] == h.operandOf(x));
    CHECK(gate.inputs[1] == scale.outputs[0]);
    CHECK(h.scalarInt(gate.inputs[2]) == ANEURALNETWORKS_FUSED_NONE);
    CHECK(h.outputOperand() == gate.outputs[0]);
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 4, 5, 3});
    CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
  }
}

TEST_CASE("the fixed clamps and the one-op activations lower at feature level 1", "[activation][feature_level]") {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<std::pair<std::string, std::vector<double>>> cases = {
      {"aten::relu", {}}, {"aten::sigmoid", {}}, {"aten::tanh", {}}, {"aten::hardtanh", {0.0, 6.0}},
      {"aten::hardtanh", {-1.0, 1.0}}, {"aten::hardtanh", {0.0, inf}}};
  for (const auto& [kind, bounds] : cases) {
    INFO(kind);
    LoweringHarness h(27);
    const auto x = h.tensor({2, 3});
    std::vector<nnc::ValueId> inputs = {x};
    for (double bound : bounds) inputs.push_back(h.number(bound));
    h.lower(kind, inputs);
    REQUIRE(h.operations().size() == 1);
    CHECK(h.operation(0).inputs == std::vector<uint32_t>{h.operandOf(x)});
  }
}

TEST_CASE("activations keep a flattened map's layout and its C,H,W", "[activation]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 12}, Layout::ChannelsLastFlattened, {3, 2, 2});
  h.lower("aten::sigmoid", {x});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_LOGISTIC});
  const auto& out = h.operand(h.outputOperand());
  CHECK(out.layout == Layout::ChannelsLastFlattened);
  CHECK(out.flattened_chw == std::vector<uint32_t>{3, 2, 2});
  CHECK(out.dims == std::vector<uint32_t>{2, 12});
}

TEST_CASE("activations are rejected before anything is emitted", "[activation]") {
  SECTION("general hardtanh below feature level 3") {
    LoweringHarness h(28);
    const auto x = h.tensor({4});
    const std::string reason = h.unsupportedReason("aten::hardtanh", {x, h.number(-2.0), h.number(2.0)});
    CHECK_THAT(reason, Catch::Contains("MAXIMUM on TENSOR_FLOAT32") && Catch::Contains("needs Android 10"));
    CHECK(h.operations().empty());
  }
  SECTION("rank above 4") {
    LoweringHarness h;
    const auto x = h.tensor({1, 2, 2, 2, 2});
    CHECK_THAT(h.unsupportedReason("aten::relu", {x}), Catch::Contains("rank 5"));
    CHECK(h.operations().empty());
  }
  SECTION("general clamp below feature level 3") {
    LoweringHarness h(28);
    const auto x = h.tensor({4});
    CHECK_THAT(h.unsupportedReason("aten::clamp", {x, h.none(), h.number(2.0)}),
               Catch::Contains("aten::clamp with bounds other than") && Catch::Contains("MINIMUM") &&
                   Catch::Contains("Android 10"));
    CHECK(h.operations().empty());
  }
  SECTION("clamp with a tensor bound below feature level 3") {
    LoweringHarness h(28);
    const auto x = h.tensor({4});
    CHECK_THAT(h.unsupportedReason("aten::clamp", {x, h.none(), h.tensor({4})}),
               Catch::Contains("tensor bounds uses MINIMUM") && Catch::Contains("Android 10"));
    CHECK(h.operations().empty());
  }
  SECTION("clamp without bounds") {
    LoweringHarness h;
    const auto x = h.tensor({4});
    CHECK_THAT(h.unsupportedReason("aten::clamp", {x, h.none(), h.none()}), Catch::Contains("at least one"));
    CHECK(h.operations().empty());
  }
  SECTION("hardsigmoid on rank 5") {
    LoweringHarness h;
    const auto x = h.tensor({1, 2, 2, 2, 2});
    CHECK_THAT(h.unsupportedReason("aten::hardsigmoid", {x}), Catch::Contains("rank 5"));
    CHECK(h.operations().empty());
  }
  SECTION("hardtanh with min above max") {
    LoweringHarness h;
    const auto x = h.tensor({4});
    CHECK_THAT(h.unsupportedReason("aten::hardtanh", {x, h.number(3.0), h.number(1.0)}),
               Catch::Contains("above max_val"));
    CHECK(h.operations().empty());
  }
}
