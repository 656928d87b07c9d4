// linear / addmm / matmul -> FULLY_CONNECTED, including the flattened channels-last input whose weight columns
// are reordered instead of transposing the data.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::iota;
using nnc::test::LoweringHarness;

TEST_CASE("linear becomes FULLY_CONNECTED with the weight as is", "[linear]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 3});
  h.lower("aten::linear", {x, h.floatTensor({2, 3}, {1, 2, 3, 4, 5, 6}), h.floatTensor({2}, {7, 8})});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_FULLY_CONNECTED});
  const auto& fc = h.operation(0);
  CHECK(fc.inputs[0] == h.operandOf(x));
  CHECK(h.floatValues(fc.inputs[1]) == std::vector<float>{1, 2, 3, 4, 5, 6});
  CHECK(h.floatValues(fc.inputs[2]) == std::vector<float>{7, 8});
  CHECK(h.scalarInt(fc.inputs[3]) == ANEURALNETWORKS_FUSED_NONE);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 2});
}

TEST_CASE("linear after flattening an NHWC map reorders weight columns to (H,W,C)", "[linear]") {
  LoweringHarness h;
  // PyTorch [1, C*H*W] with C=2, H=1, W=2, stored in (H,W,C) order.
  const auto x = h.tensor({1, 4}, Layout::ChannelsLastFlattened, {2, 1, 2});
  // Logical columns: (c0,w0) (c0,w1) (c1,w0) (c1,w1) = 1 2 3 4 -> physical (w0,c0) (w0,c1) (w1,c0) (w1,c1).
  h.lower("aten::linear", {x, h.floatTensor({1, 4}, {1, 2, 3, 4}), h.none()});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_FULLY_CONNECTED});
  CHECK(h.floatValues(h.operation(0).inputs[1]) == std::vector<float>{1, 3, 2, 4});
  CHECK(h.floatValues(h.operation(0).inputs[2]) == std::vector<float>{0});
  CHECK(h.operand(h.outputOperand()).layout == Layout::Contiguous);
}

TEST_CASE("linear after flattening an NHWC map reorders the weight in place where the node may rewrite it, and "
          "reports the move", "[linear]") {
  for (const bool rewritable : {false, true}) {
    INFO("rewritable " << rewritable);
    LoweringHarness h;
    // C=3, H=2, W=1 (unequal, so a swapped pair shows): logical column c*2+h -> physical h*3+c.
    const auto x = h.tensor({1, 6}, Layout::ChannelsLastFlattened, {3, 2, 1});
    const auto weight = h.floatTensor({2, 6}, iota(12));
    const nnc::ConstBytes pytorch = std::get<nnc::ConstTensor>(h.state.values.at(weight).constant).bytes;
    h.rewritable_inputs = {false, rewritable, false};
    h.lower("aten::linear", {x, weight, h.none()});
    const uint32_t operand = h.operation(0).inputs[1];
    const std::vector<float> reordered = {0, 2, 4, 1, 3, 5, 6, 8, 10, 7, 9, 11};
    CHECK(h.floatValues(operand) == reordered);
    CHECK(h.operand(operand).layout == Layout::ChannelsLastFlattened);
    CHECK(h.operand(operand).flattened_chw == std::vector<uint32_t>{3, 2, 1});
    // In place: the operand is PyTorch's bytes, now reordered. Otherwise they are left as they were.
    CHECK((h.model.buffers().at(h.operand(operand).buffer).data() == pytorch.data()) == rewritable);
    const auto* values = reinterpret_cast<const float*>(pytorch.data());
    CHECK(std::vector<float>(values, values + 12) == (rewritable ? reordered : iota(12)));
    REQUIRE(h.state.weight_moves.size() == 1);
    CHECK(h.state.weight_moves[0].source == weight);
    CHECK(h.state.weight_moves[0].operand == operand);
    CHECK(h.state.weight_moves[0].to_torch == std::vector<int64_t>{0, 3, 1, 2});
  }
}

TEST_CASE("linear on a 3-D input reshapes FULLY_CONNECTED's 2-D result back", "[linear]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 5, 3});
  h.lower("aten::linear", {x, h.floatTensor({4, 3}, std::vector<float>(12, 1.0f)), h.none()});
  REQUIRE(h.operationCodes() ==
          std::vector<int32_t>{ANEURALNETWORKS_FULLY_CONNECTED, ANEURALNETWORKS_RESHAPE});
  CHECK(h.operand(h.operation(0).outputs[0]).dims == std::vector<uint32_t>{10, 4});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 5, 4});
}

TEST_CASE("addmm and matmul with a constant matrix transpose it into FULLY_CONNECTED weights", "[linear]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2});
  // other [in=2, out=3] = [[1,2,3],[4,5,6]] -> weights [3,2] = [[1,4],[2,5],[3,6]].
  h.lower("aten::addmm", {h.floatTensor({3}, {1, 1, 1}), x, h.floatTensor({2, 3}, {1, 2, 3, 4, 5, 6}),
                          h.integer(1), h.integer(1)});
  CHECK(h.floatValues(h.operation(0).inputs[1]) == std::vector<float>{1, 4, 2, 5, 3, 6});
  CHECK(h.floatValues(h.operation(0).inputs[2]) == std::vector<float>{1, 1, 1});

  LoweringHarness m;
  const auto y = m.tensor({1, 2});
  m.lower("aten::matmul", {y, m.floatTensor({2, 3}, {1, 2, 3, 4, 5, 6})});
  CHECK(m.floatValues(m.operation(0).inputs[1]) == std::vector<float>{1, 4, 2, 5, 3, 6});
  CHECK(m.operand(m.outputOperand()).dims == std::vector<uint32_t>{1, 3});
}

TEST_CASE("a product of two computed 2-D tensors transposes the right-hand side into FULLY_CONNECTED weights",
          "[linear]") {
  LoweringHarness h;
  const auto x = h.tensor({4, 3});
  const auto y = h.tensor({3, 5});
  h.lower("aten::matmul", {x, y});
  REQUIRE(h.operationCodes() ==
          std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_FULLY_CONNECTED});
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{1, 0});
  CHECK(h.operand(h.operation(0).outputs[0]).dims == std::vector<uint32_t>{5, 3});
  CHECK(h.operation(1).inputs[1] == h.operation(0).outputs[0]);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{4, 5});
}

TEST_CASE("a 3-D x 2-D product of computed tensors, or addmm with beta != 1, is unsupported", "[linear]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 2, 2});
  const auto y = h.tensor({2, 2});
  CHECK_THAT(h.unsupportedReason("aten::matmul", {x, y}), Catch::Contains("2-D"));
  CHECK_THAT(h.unsupportedReason("aten::addmm", {h.floatTensor({2}, {0, 0}), x, h.floatTensor({2, 2}, {1, 0, 0, 1}),
                                                 h.number(0.5), h.integer(1)}),
             Catch::Contains("beta"));
}

TEST_CASE("a product of two computed tensors needs TRANSPOSE, from feature level 2, while linear lowers at level 1",
          "[linear][feature_level]") {
  LoweringHarness h(27);
  const auto x = h.tensor({4, 3});
  const auto y = h.tensor({3, 5});
  CHECK_THAT(h.unsupportedReason("aten::matmul", {x, y}),
             Catch::Contains("a product of two computed tensors uses TRANSPOSE on TENSOR_FLOAT32, which needs "
                             "Android 9 (API 28"));
  CHECK(h.operations().empty());
  h.lower("aten::linear", {x, h.floatTensor({2, 3}, {1, 2, 3, 4, 5, 6}), h.none()});
  CHECK(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_FULLY_CONNECTED});
}
