// softmax / log_softmax: beta 1, axis mapped to the physical axis, left out when it is the last one (SOFTMAX only).
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

TEST_CASE("softmax over the last axis leaves NNAPI's axis input out", "[softmax]") {
  LoweringHarness h;
  SECTION("[N, classes]") {
    const auto x = h.tensor({2, 10});
    h.lower("aten::softmax", {x, h.integer(1), h.none()});
  }
  SECTION("channels of an NHWC map: C is physically last") {
    const auto x = h.tensor({1, 4, 3, 3}, Layout::ChannelsLast);
    h.lower("aten::softmax", {x, h.integer(1), h.none()});
  }
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_SOFTMAX});
  REQUIRE(h.operation(0).inputs.size() == 2);
  CHECK(h.scalarFloat(h.operation(0).inputs[1]) == 1.0f);
  CHECK(h.operand(h.outputOperand()).layout == h.operand(h.operation(0).inputs[0]).layout);
  CHECK(h.operand(h.outputOperand()).dims == h.operand(h.operation(0).inputs[0]).dims);
}

TEST_CASE("softmax along another axis of an NHWC map passes the physical axis", "[softmax]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 4, 3, 5}, Layout::ChannelsLast);
  SECTION("H") {
    h.lower("aten::softmax", {x, h.integer(2), h.none()});
    REQUIRE(h.operation(0).inputs.size() == 3);
    CHECK(h.scalarInt(h.operation(0).inputs[2]) == 1);
  }
  SECTION("W, as a negative dim") {
    h.lower("aten::softmax", {x, h.integer(-1), h.none()});
    REQUIRE(h.operation(0).inputs.size() == 3);
    CHECK(h.scalarInt(h.operation(0).inputs[2]) == 2);
  }
  CHECK(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_SOFTMAX});
  CHECK(h.operation(0).inputs[0] == h.operandOf(x));
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 3, 5, 4});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

TEST_CASE("log_softmax always passes its axis", "[softmax]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 10});
  h.lower("aten::log_softmax", {x, h.integer(1), h.none()});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_LOG_SOFTMAX});
  REQUIRE(h.operation(0).inputs.size() == 3);
  CHECK(h.scalarFloat(h.operation(0).inputs[1]) == 1.0f);
  CHECK(h.scalarInt(h.operation(0).inputs[2]) == 1);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 10});
}

TEST_CASE("softmax keeps a flattened map's layout", "[softmax]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 12}, Layout::ChannelsLastFlattened, {3, 2, 2});
  h.lower("aten::softmax", {x, h.integer(1), h.none()});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_SOFTMAX});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLastFlattened);
  CHECK(h.operand(h.outputOperand()).flattened_chw == std::vector<uint32_t>{3, 2, 2});
}

TEST_CASE("softmax is rejected before anything is emitted", "[softmax]") {
  SECTION("dtype") {
    LoweringHarness h;
    const auto x = h.tensor({2, 10});
    CHECK_THAT(h.unsupportedReason("aten::softmax", {x, h.integer(1), h.integer(6)}), Catch::Contains("dtype"));
    CHECK(h.operations().empty());
  }
  SECTION("rank above 4") {
    LoweringHarness h;
    const auto x = h.tensor({1, 2, 2, 2, 2});
    CHECK_THAT(h.unsupportedReason("aten::softmax", {x, h.integer(1), h.none()}), Catch::Contains("rank 5"));
    CHECK(h.operations().empty());
  }
  SECTION("a non-last axis below feature level 3") {
    LoweringHarness h(28);
    const auto x = h.tensor({2, 10});
    CHECK_THAT(h.unsupportedReason("aten::softmax", {x, h.integer(0), h.none()}),
               Catch::Contains("the axis input") && Catch::Contains("feature level 3"));
    CHECK(h.operations().empty());
  }
}

TEST_CASE("softmax over the last axis of a 2-D or 4-D tensor lowers at feature level 1", "[softmax][feature_level]") {
  LoweringHarness h(27);
  const auto x = h.tensor({2, 10});
  const auto map = h.tensor({1, 4, 3, 3}, Layout::ChannelsLast);
  h.lower("aten::softmax", {x, h.integer(-1), h.none()});
  h.lower("aten::softmax", {map, h.integer(1), h.none()});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_SOFTMAX, ANEURALNETWORKS_SOFTMAX});
  CHECK(h.operation(0).inputs.size() == 2);
  CHECK(h.operation(1).inputs.size() == 2);
}

TEST_CASE("softmax forms of feature level 3 name Android 10 below it", "[softmax][feature_level]") {
  LoweringHarness h(28);
  SECTION("an axis other than the last") {
    const auto x = h.tensor({2, 10});
    CHECK_THAT(h.unsupportedReason("aten::softmax", {x, h.integer(0), h.none()}),
               Catch::Contains("SOFTMAX with the axis input needs Android 10 (API 29"));
  }
  SECTION("rank 3") {
    const auto x = h.tensor({2, 3, 10});
    CHECK_THAT(h.unsupportedReason("aten::softmax", {x, h.integer(2), h.none()}),
               Catch::Contains("SOFTMAX with an input of rank other than 2 or 4 needs Android 10"));
  }
  SECTION("log_softmax") {
    const auto x = h.tensor({2, 10});
    CHECK_THAT(h.unsupportedReason("aten::log_softmax", {x, h.integer(1), h.none()}),
               Catch::Contains("LOG_SOFTMAX on TENSOR_FLOAT32 needs Android 10"));
  }
  CHECK(h.operations().empty());
}
