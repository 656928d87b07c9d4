// batch_norm (eval): MUL by scale = weight / sqrt(var + eps), ADD shift = bias - mean * scale, per channel.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

namespace {

// batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled) on two
// channels with var + eps = {4, 1}: sqrt = {2, 1}, so every expected value below is exact in float.
void lowerTwoChannelBatchNorm(LoweringHarness& h, nnc::ValueId x, bool with_affine, bool training = false) {
  const auto weight = with_affine ? h.floatTensor({2}, {3.0f, 0.5f}) : h.none();
  const auto bias = with_affine ? h.floatTensor({2}, {1.0f, -1.0f}) : h.none();
  h.lower("aten::batch_norm", {x, weight, bias, h.floatTensor({2}, {0.5f, 2.0f}), h.floatTensor({2}, {3.0f, 0.0f}),
                               h.boolean(training), h.number(0.1), h.number(1.0), h.boolean(true)});
}

// The last two operations are MUL(x, scale) then ADD(that, shift), with constants shaped `const_dims`.
void checkScaleShift(const LoweringHarness& h, uint32_t x, std::vector<uint32_t> const_dims,
                     std::vector<float> scale, std::vector<float> shift) {
  const size_t first = h.operations().size() - 2;
  const auto& mul = h.operation(first);
  const auto& add = h.operation(first + 1);
  REQUIRE(mul.type == ANEURALNETWORKS_MUL);
  REQUIRE(add.type == ANEURALNETWORKS_ADD);
  CHECK(mul.inputs[0] == x);
  CHECK(h.operand(mul.inputs[1]).dims == const_dims);
  CHECK(h.floatValues(mul.inputs[1]) == scale);
  CHECK(h.scalarInt(mul.inputs[2]) == ANEURALNETWORKS_FUSED_NONE);
  CHECK(add.inputs[0] == mul.outputs[0]);
  CHECK(h.operand(add.inputs[1]).dims == const_dims);
  CHECK(h.floatValues(add.inputs[1]) == shift);
  CHECK(h.scalarInt(add.inputs[2]) == ANEURALNETWORKS_FUSED_NONE);
  CHECK(h.outputOperand() == add.outputs[0]);
}

}  // namespace

TEST_CASE("batch_norm on an NHWC map scales and shifts along C", "[batch_norm]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 3, 3}, Layout::ChannelsLast);
  lowerTwoChannelBatchNorm(h, x, true);
  REQUIRE(h.operations().size() == 2);
  // scale = {3 / 2, 0.5 / 1}; shift = {1 - 0.5 * 1.5, -1 - 2 * 0.5}.
  checkScaleShift(h, h.operandOf(x), {2}, {1.5f, 0.5f}, {0.25f, -2.0f});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 3, 3, 2});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

TEST_CASE("batch_norm without weight and bias uses 1 and 0", "[batch_norm]") {
  LoweringHarness h;
  const auto x = h.tensor({4, 2});
  lowerTwoChannelBatchNorm(h, x, false);
  REQUIRE(h.operations().size() == 2);
  // scale = {1 / 2, 1 / 1}; shift = {-0.5 * 0.5, -2 * 1}; [N,C] broadcasts [C] over its last dim.
  checkScaleShift(h, h.operandOf(x), {2}, {0.5f, 1.0f}, {-0.25f, -2.0f});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{4, 2});
  CHECK(h.operand(h.outputOperand()).layout == Layout::Contiguous);
}

TEST_CASE("batch_norm on an NCHW tensor converts it to NHWC first", "[batch_norm]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 3, 3});
  lowerTwoChannelBatchNorm(h, x, true);
  REQUIRE(h.operationCodes() ==
          std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_MUL, ANEURALNETWORKS_ADD});
  checkScaleShift(h, h.operation(0).outputs[0], {2}, {1.5f, 0.5f}, {0.25f, -2.0f});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

TEST_CASE("batch_norm on [N,C,L] uses [C,1] constants", "[batch_norm]") {
  LoweringHarness h;
  const auto x = h.tensor({3, 2, 5});
  lowerTwoChannelBatchNorm(h, x, true);
  REQUIRE(h.operations().size() == 2);
  checkScaleShift(h, h.operandOf(x), {2, 1}, {1.5f, 0.5f}, {0.25f, -2.0f});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{3, 2, 5});
}

TEST_CASE("batch_norm is rejected before anything is emitted", "[batch_norm]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 3, 3});
  SECTION("training mode") {
    const auto stats = h.floatTensor({2}, {0.0f, 0.0f});
    CHECK_THAT(h.unsupportedReason("aten::batch_norm", {x, h.none(), h.none(), stats, stats, h.boolean(true),
                                                        h.number(0.1), h.number(1e-5), h.boolean(true)}),
               Catch::Contains("training"));
  }
  SECTION("no running statistics") {
    CHECK_THAT(h.unsupportedReason("aten::batch_norm", {x, h.none(), h.none(), h.none(), h.none(), h.boolean(false),
                                                        h.number(0.1), h.number(1e-5), h.boolean(true)}),
               Catch::Contains("running statistics"));
  }
  SECTION("statistics for the wrong number of channels") {
    const auto stats = h.floatTensor({3}, {0.0f, 0.0f, 0.0f});
    CHECK_THAT(h.unsupportedReason("aten::batch_norm", {x, h.none(), h.none(), stats, stats, h.boolean(false),
                                                        h.number(0.1), h.number(1e-5), h.boolean(true)}),
               Catch::Contains("3 values for 2 channels"));
  }
  CHECK(h.operations().empty());
}

TEST_CASE("batch_norm below feature level 2: on an NHWC map, not on an NCHW one computed in the partition",
          "[batch_norm][feature_level]") {
  LoweringHarness h(27);
  SECTION("NHWC map: MUL and ADD") {
    const auto x = h.tensor({1, 2, 3, 3}, Layout::ChannelsLast);
    lowerTwoChannelBatchNorm(h, x, true);
    CHECK(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MUL, ANEURALNETWORKS_ADD});
  }
  SECTION("NCHW map: would need TRANSPOSE") {
    const auto x = h.tensor({1, 2, 3, 3});
    const auto stats = h.floatTensor({2}, {0.0f, 1.0f});
    CHECK_THAT(h.unsupportedReason("aten::batch_norm", {x, h.none(), h.none(), stats, stats, h.boolean(false),
                                                        h.number(0.1), h.number(1e-5), h.boolean(true)}),
               Catch::Contains("TRANSPOSE") && Catch::Contains("Android 9"));
    CHECK(h.operations().empty());
  }
}
