// layer_norm, instance_norm, group_norm -> INSTANCE_NORMALIZATION on a view that puts each statistic's elements on
// H and W; scalar gamma/beta folded from uniform weights, per-element MUL/ADD otherwise; the refusals.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

namespace {

// INSTANCE_NORMALIZATION's gamma, beta, epsilon.
std::vector<float> normScalars(const LoweringHarness& h, const nnc::ir::Operation& op) {
  REQUIRE(op.inputs.size() == 5);
  return {h.scalarFloat(op.inputs[1]), h.scalarFloat(op.inputs[2]), h.scalarFloat(op.inputs[3])};
}

}  // namespace

TEST_CASE("layer_norm over the last dim views the rows as images of one channel", "[normalization]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 5, 6});
  const auto weight = h.floatTensor({6}, {1, 2, 3, 4, 5, 6});
  const auto bias = h.floatTensor({6}, {0, 0, 0, 0, 0, 1});
  h.lower("aten::layer_norm", {x, h.ints({6}), weight, bias, h.number(1e-5), h.boolean(true)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_INSTANCE_NORMALIZATION,
                                                     ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_MUL,
                                                     ANEURALNETWORKS_ADD});
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{10, 1, 6, 1});
  CHECK(normScalars(h, h.operation(1)) == std::vector<float>{1.0f, 0.0f, 1e-5f});
  CHECK(h.intValues(h.operation(2).inputs[1]) == std::vector<int32_t>{2, 5, 6});
  CHECK(h.floatValues(h.operation(3).inputs[1]) == std::vector<float>{1, 2, 3, 4, 5, 6});
  CHECK(h.floatValues(h.operation(4).inputs[1]) == std::vector<float>{0, 0, 0, 0, 0, 1});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 5, 6});
}

TEST_CASE("layer_norm folds uniform weights into gamma and beta and omits identity ones", "[normalization]") {
  LoweringHarness h;
  const auto x = h.tensor({0, 4, 3});  // a run-time batch: RESHAPE's -1
  SECTION("uniform") {
    h.lower("aten::layer_norm", {x, h.ints({4, 3}), h.floatTensor({4, 3}, std::vector<float>(12, 0.5f)),
                                 h.floatTensor({4, 3}, std::vector<float>(12, -2.0f)), h.number(1e-6),
                                 h.boolean(true)});
    CHECK(normScalars(h, h.operation(1)) == std::vector<float>{0.5f, -2.0f, 1e-6f});
  }
  SECTION("none") { h.lower("aten::layer_norm", {x, h.ints({4, 3}), h.none(), h.none(), h.number(1e-6), h.boolean(true)}); }
  SECTION("weight all 1, varying bias") {
    h.lower("aten::layer_norm", {x, h.ints({4, 3}), h.floatTensor({4, 3}, std::vector<float>(12, 1.0f)),
                                 h.floatTensor({4, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}), h.number(1e-6),
                                 h.boolean(true)});
    REQUIRE(h.operations().size() == 4);
    CHECK(h.operation(3).type == ANEURALNETWORKS_ADD);
  }
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{-1, 1, 12, 1});
  CHECK(h.intValues(h.operation(2).inputs[1]) == std::vector<int32_t>{-1, 4, 3});
}

TEST_CASE("layer_norm over C, H, W of an NHWC map needs no transpose and reorders its weight", "[normalization]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 1, 3}, Layout::ChannelsLast);
  // weight[c][0][w] = 10c + w; in NHWC order (w, c): 0, 10, 1, 11, 2, 12.
  const auto weight = h.floatTensor({2, 1, 3}, {0, 1, 2, 10, 11, 12});
  h.lower("aten::layer_norm", {x, h.ints({2, 1, 3}), weight, h.none(), h.number(1e-5), h.boolean(true)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_INSTANCE_NORMALIZATION,
                                                     ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_MUL});
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{1, 1, 6, 1});
  CHECK(h.intValues(h.operation(2).inputs[1]) == std::vector<int32_t>{1, 1, 3, 2});
  CHECK(h.floatValues(h.operation(3).inputs[1]) == std::vector<float>{0, 10, 1, 11, 2, 12});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

TEST_CASE("layer_norm over the last dim of an NHWC map transposes it to PyTorch's order", "[normalization]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 3, 4}, Layout::ChannelsLast);
  h.lower("aten::layer_norm", {x, h.ints({4}), h.none(), h.none(), h.number(1e-5), h.boolean(true)});
  CHECK(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_RESHAPE,
                                                   ANEURALNETWORKS_INSTANCE_NORMALIZATION, ANEURALNETWORKS_RESHAPE});
  CHECK(h.intValues(h.operation(1).inputs[1]) == std::vector<int32_t>{6, 1, 4, 1});
}

TEST_CASE("instance_norm is INSTANCE_NORMALIZATION on the NHWC map, with per-channel weights after it",
          "[normalization]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 3, 5, 5}, Layout::ChannelsLast);
  SECTION("affine") {
    h.lower("aten::instance_norm", {x, h.floatTensor({3}, {1, 2, 3}), h.floatTensor({3}, {4, 5, 6}), h.none(),
                                    h.none(), h.boolean(true), h.number(0.1), h.number(1e-5), h.boolean(true)});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_INSTANCE_NORMALIZATION, ANEURALNETWORKS_MUL,
                                                       ANEURALNETWORKS_ADD});
    CHECK(h.floatValues(h.operation(1).inputs[1]) == std::vector<float>{1, 2, 3});
    CHECK(h.floatValues(h.operation(2).inputs[1]) == std::vector<float>{4, 5, 6});
  }
  SECTION("not affine") {
    h.lower("aten::instance_norm", {x, h.none(), h.none(), h.none(), h.none(), h.boolean(true), h.number(0.1),
                                    h.number(1e-3), h.boolean(true)});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_INSTANCE_NORMALIZATION});
    CHECK(normScalars(h, h.operation(0)) == std::vector<float>{1.0f, 0.0f, 1e-3f});
  }
  CHECK(h.operation(0).inputs[0] == h.operandOf(x));
  CHECK(h.bytes(h.operation(0).inputs[4]) == std::vector<uint8_t>{0});  // NHWC
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

TEST_CASE("instance_norm with running statistics (use_input_stats=False) is batch_norm's MUL and ADD",
          "[normalization]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 4, 4}, Layout::ChannelsLast);
  h.lower("aten::instance_norm", {x, h.none(), h.none(), h.floatTensor({2}, {1, 2}), h.floatTensor({2}, {4, 9}),
                                  h.boolean(false), h.number(0.1), h.number(0.0), h.boolean(true)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MUL, ANEURALNETWORKS_ADD});
  // scale 1/sqrt(var): 1/2, 1/3; shift -mean * scale: -1/2, -2/3.
  CHECK(h.floatValues(h.operation(0).inputs[1]) == std::vector<float>{0.5f, float(1.0 / 3)});
}

TEST_CASE("group_norm puts each group on H and W: one group, one channel per group, and K channels per group",
          "[normalization]") {
  LoweringHarness h;
  const auto x = h.tensor({0, 6, 4, 5}, Layout::ChannelsLast);  // run-time batch
  auto lower = [&](int64_t groups) {
    h.lower("aten::group_norm", {x, h.integer(groups), h.none(), h.none(), h.number(1e-5), h.boolean(true)});
  };
  SECTION("1 group: [N, 1, H*W*C, 1]") {
    lower(1);
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_INSTANCE_NORMALIZATION,
                                                       ANEURALNETWORKS_RESHAPE});
    CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{-1, 1, 120, 1});
  }
  SECTION("6 groups of 1: the map as it is") {
    lower(6);
    CHECK(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_INSTANCE_NORMALIZATION});
  }
  SECTION("3 groups of 2: [N, H*W, 3, 2] transposed to [N, H*W, 2, 3]") {
    lower(3);
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_TRANSPOSE,
                                                       ANEURALNETWORKS_INSTANCE_NORMALIZATION,
                                                       ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_RESHAPE});
    CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{-1, 20, 3, 2});
    CHECK(h.intValues(h.operation(1).inputs[1]) == std::vector<int32_t>{0, 1, 3, 2});
    CHECK(h.intValues(h.operation(4).inputs[1]) == std::vector<int32_t>{-1, 4, 5, 6});
  }
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

TEST_CASE("the norms refuse what they cannot emit", "[normalization]") {
  SECTION("Android 9: no INSTANCE_NORMALIZATION") {
    LoweringHarness h(28);
    const auto x = h.tensor({2, 8});
    CHECK_THAT(h.unsupportedReason("aten::layer_norm",
                                   {x, h.ints({8}), h.none(), h.none(), h.number(1e-5), h.boolean(true)}),
               Catch::Contains("needs Android 10"));
  }
  LoweringHarness h;
  SECTION("layer_norm's normalized_shape is not the last dims") {
    const auto x = h.tensor({2, 8, 3});
    CHECK_THAT(h.unsupportedReason("aten::layer_norm",
                                   {x, h.ints({8}), h.none(), h.none(), h.number(1e-5), h.boolean(true)}),
               Catch::Contains("last dimensions"));
  }
  SECTION("layer_norm with a weight computed by the model") {
    const auto x = h.tensor({2, 8});
    const auto w = h.tensor({8});
    CHECK_THAT(h.unsupportedReason("aten::layer_norm", {x, h.ints({8}), w, h.none(), h.number(1e-5), h.boolean(true)}),
               Catch::Contains("weight must be a constant"));
  }
  SECTION("layer_norm over a run-time extent") {
    const auto x = h.tensor({2, 0});
    CHECK_THAT(h.unsupportedReason("aten::layer_norm",
                                   {x, h.ints({0}), h.none(), h.none(), h.number(1e-5), h.boolean(true)}),
               Catch::Contains("fixed only at run time"));
  }
  SECTION("instance_norm of a 3-D tensor") {
    const auto x = h.tensor({1, 4, 9});
    CHECK_THAT(h.unsupportedReason("aten::instance_norm", {x, h.none(), h.none(), h.none(), h.none(), h.boolean(true),
                                                           h.number(0.1), h.number(1e-5), h.boolean(true)}),
               Catch::Contains("4-D"));
  }
  SECTION("group_norm with two run-time extents") {
    const auto x = h.tensor({0, 4, 0, 5}, Layout::ChannelsLast);
    CHECK_THAT(h.unsupportedReason("aten::group_norm",
                                   {x, h.integer(2), h.none(), h.none(), h.number(1e-5), h.boolean(true)}),
               Catch::Contains("more than one dimension fixed only at run time"));
  }
  SECTION("quantized") {
    const auto x = h.quantTensor({1, 4, 2, 2}, 0.5f, 0, Layout::ChannelsLast);
    CHECK_THAT(h.unsupportedReason("aten::group_norm",
                                   {x, h.integer(2), h.none(), h.none(), h.number(1e-5), h.boolean(true)}),
               Catch::Contains("float32"));
  }
}
