// cat: one common layout for every input, dim mapped to the physical axis.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

TEST_CASE("cat of plain tensors", "[concat]") {
  LoweringHarness h;
  const auto a = h.tensor({2, 3});
  const auto b = h.tensor({2, 5});
  h.lower("aten::cat", {h.list({a, b}), h.integer(1)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_CONCATENATION});
  const auto& cat = h.operation(0);
  REQUIRE(cat.inputs.size() == 3);
  CHECK(cat.inputs[0] == h.operandOf(a));
  CHECK(cat.inputs[1] == h.operandOf(b));
  CHECK(h.scalarInt(cat.inputs[2]) == 1);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 8});
  CHECK(h.operand(h.outputOperand()).layout == Layout::Contiguous);
}

TEST_CASE("cat of maps is done in NHWC, NCHW inputs transposed to it", "[concat]") {
  LoweringHarness h;
  const auto a = h.tensor({1, 3, 4, 4}, Layout::ChannelsLast);
  const auto b = h.tensor({1, 5, 4, 4});
  SECTION("along C") { h.lower("aten::cat", {h.list({a, b}), h.integer(1)}); }
  SECTION("along C as a negative dim") { h.lower("aten::cat", {h.list({a, b}), h.integer(-3)}); }
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_CONCATENATION});
  const auto& cat = h.operation(1);
  REQUIRE(cat.inputs.size() == 3);
  CHECK(cat.inputs[0] == h.operandOf(a));
  CHECK(cat.inputs[1] == h.operation(0).outputs[0]);
  CHECK(h.scalarInt(cat.inputs[2]) == 3);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 4, 4, 8});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

TEST_CASE("cat of maps along H uses physical axis 1", "[concat]") {
  LoweringHarness h;
  const auto a = h.tensor({1, 3, 2, 4}, Layout::ChannelsLast);
  const auto b = h.tensor({1, 3, 5, 4}, Layout::ChannelsLast);
  h.lower("aten::cat", {h.list({a, b}), h.integer(2)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_CONCATENATION});
  CHECK(h.scalarInt(h.operation(0).inputs[2]) == 1);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 7, 4, 3});
}

TEST_CASE("cat puts flattened maps back in PyTorch's feature order", "[concat]") {
  LoweringHarness h;
  const auto a = h.tensor({2, 12}, Layout::ChannelsLastFlattened, {3, 2, 2});
  const auto b = h.tensor({2, 4});
  h.lower("aten::cat", {h.list({a, b}), h.integer(1)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_TRANSPOSE,
                                                      ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_CONCATENATION});
  CHECK(h.operation(3).inputs[0] == h.operation(2).outputs[0]);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 16});
  CHECK(h.operand(h.outputOperand()).layout == Layout::Contiguous);
}

TEST_CASE("cat is rejected before anything is emitted", "[concat]") {
  LoweringHarness h;
  const auto a = h.tensor({1, 3, 4, 4}, Layout::ChannelsLast);
  const auto b = h.tensor({1, 3, 4, 4});
  SECTION("dim out of range") {
    CHECK_THAT(h.unsupportedReason("aten::cat", {h.list({a, b}), h.integer(4)}), Catch::Contains("out of range"));
  }
  SECTION("a number in the list") {
    CHECK_THAT(h.unsupportedReason("aten::cat", {h.list({a, h.integer(3)}), h.integer(1)}),
               Catch::Contains("a tensor computed by the model or a float constant"));
  }
  CHECK(h.operations().empty());
}

TEST_CASE("cat below feature level 2 takes a CPU map again as NHWC, and cannot transpose its own",
          "[concat][feature_level]") {
  LoweringHarness h(27);
  const auto a = h.tensor({1, 3, 4, 4}, Layout::ChannelsLast);
  SECTION("an NCHW map computed on the CPU") {
    const auto b = h.cpuTensor({1, 5, 4, 4});
    h.lower("aten::cat", {h.list({a, b}), h.integer(1)});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_CONCATENATION});
    CHECK(h.operation(0).inputs[0] == h.operandOf(a));
    CHECK(h.operation(0).inputs[1] == h.importOf(b, Layout::ChannelsLast));
    CHECK(h.state.partitions[0].inputs.size() == 1);  // only as NHWC, not also as it is
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 4, 4, 8});
  }
  SECTION("an NCHW map computed in the partition") {
    const auto b = h.tensor({1, 5, 4, 4});
    CHECK_THAT(h.unsupportedReason("aten::cat", {h.list({a, b}), h.integer(1)}),
               Catch::Contains("TRANSPOSE") && Catch::Contains("Android 9"));
    CHECK(h.operations().empty());
  }
}

TEST_CASE("cat takes float constants (a ViT class token) as NNAPI constants in the cat's layout", "[concat]") {
  SECTION("plain tensors: the constant as it is") {
    LoweringHarness h;
    const auto tokens = h.tensor({1, 4, 3});
    const auto class_token = h.floatTensor({1, 1, 3}, {7, 8, 9});
    h.lower("aten::cat", {h.list({class_token, tokens}), h.integer(1)});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_CONCATENATION});
    const auto& cat = h.operation(0);
    CHECK(h.operand(cat.inputs[0]).dims == std::vector<uint32_t>{1, 1, 3});
    CHECK(h.floatValues(cat.inputs[0]) == std::vector<float>{7, 8, 9});
    CHECK(cat.inputs[1] == h.operandOf(tokens));
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 5, 3});
  }
  SECTION("a channels-last map: the constant re-laid out to NHWC offline, no TRANSPOSE") {
    LoweringHarness h;
    const auto map = h.tensor({1, 2, 1, 2}, Layout::ChannelsLast);
    const auto constant = h.floatTensor({1, 1, 1, 2}, {5, 6});
    h.lower("aten::cat", {h.list({map, constant}), h.integer(1)});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_CONCATENATION});
    const auto& cat = h.operation(0);
    CHECK(h.operand(cat.inputs[1]).dims == std::vector<uint32_t>{1, 1, 2, 1});
    CHECK(h.floatValues(cat.inputs[1]) == std::vector<float>{5, 6});
    CHECK(h.scalarInt(cat.inputs[2]) == 3);
    CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
  }
}

TEST_CASE("cat refuses constants of another rank, and a list of constants only", "[concat]") {
  LoweringHarness h;
  const auto tokens = h.tensor({1, 4, 3});
  CHECK(h.unsupportedReason("aten::cat", {h.list({h.floatTensor({1, 3}, {1, 2, 3}), tokens}), h.integer(1)}) ==
        "cat of tensors with different ranks is not supported");
  CHECK(h.unsupportedReason("aten::cat", {h.list({h.floatTensor({1, 3}, {1, 2, 3})}), h.integer(0)}) ==
        "no element of input 0 is computed by the model");
}
