// 1-D convolutions and pools: the [N,C,L] map held channels-last as [N,L,C] (ChannelsLast1d), reshaped to the
// NHWC map [N,1,L,C] for the 2-D operation and back, with no TRANSPOSE between layers.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;
using nnc::test::iota;

namespace {

// aten::conv1d(input, weight, bias, stride, padding, dilation, groups)
void conv1d(LoweringHarness& h, nnc::ValueId x, nnc::ValueId weight, int64_t stride, int64_t padding,
            int64_t dilation, int64_t groups) {
  h.lower("aten::conv1d", {x, weight, h.none(), h.ints({stride}), h.ints({padding}), h.ints({dilation}),
                           h.integer(groups)});
}

}  // namespace

TEST_CASE("conv1d on [N,C,L]: one TRANSPOSE to [N,L,C], RESHAPE to [N,1,L,C], CONV_2D along the width, RESHAPE back",
          "[sequence_map]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 3, 10});
  // Weight [O=4, I=3, K=3] = 0..35; NNAPI's filter [O, 1, K, I].
  conv1d(h, x, h.floatTensor({4, 3, 3}, iota(36)), 2, 1, 1, 1);
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_RESHAPE,
                                                     ANEURALNETWORKS_CONV_2D, ANEURALNETWORKS_RESHAPE});
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{0, 2, 1});
  CHECK(h.intValues(h.operation(1).inputs[1]) == std::vector<int32_t>{2, 1, 10, 3});
  const auto& conv = h.operation(2);
  CHECK(h.operand(conv.inputs[0]).dims == std::vector<uint32_t>{2, 1, 10, 3});
  CHECK(h.operand(conv.inputs[1]).dims == std::vector<uint32_t>{4, 1, 3, 3});
  // filter[o][0][k][i] = weight[o][i][k] = 9o + 3i + k: [0][0][1][0] = 1, [0][0][0][1] = 3.
  const auto filter = h.floatValues(conv.inputs[1]);
  CHECK(filter[3] == 1.0f);
  CHECK(filter[1] == 3.0f);
  // Pads (left, right, top, bottom) = (1, 1, 0, 0): the length is the width; strides (w, h) = (2, 1).
  CHECK(h.scalarInts(conv, 3, 7) == std::vector<int32_t>{1, 1, 0, 0, 2, 1, ANEURALNETWORKS_FUSED_NONE});
  // (10 + 2 - 3) / 2 + 1 = 5.
  CHECK(h.intValues(h.operation(3).inputs[1]) == std::vector<int32_t>{2, 5, 4});
  const auto& out = h.operand(h.outputOperand());
  CHECK(out.dims == std::vector<uint32_t>{2, 5, 4});
  CHECK(out.layout == Layout::ChannelsLast1d);
  CHECK(h.output().tensor.layout == Layout::ChannelsLast1d);
}

TEST_CASE("conv1d on a [N,L,C] map and a run-time batch: no TRANSPOSE, RESHAPE infers N", "[sequence_map]") {
  LoweringHarness h;
  const auto x = h.tensor({0, 2, 6}, Layout::ChannelsLast1d);
  CHECK(h.operand(h.operandOf(x)).dims == std::vector<uint32_t>{0, 6, 2});
  conv1d(h, x, h.floatTensor({2, 2, 3}, iota(12)), 1, 0, 2, 1);
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_CONV_2D,
                                                     ANEURALNETWORKS_RESHAPE});
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{-1, 1, 6, 2});
  // Dilation (w, h) = (2, 1) after the layout flag; (6 - 5) + 1 = 2 outputs.
  const auto& conv = h.operation(1);
  REQUIRE(conv.inputs.size() == 13);
  CHECK(h.scalarInts(conv, 11, 2) == std::vector<int32_t>{2, 1});
  CHECK(h.intValues(h.operation(2).inputs[1]) == std::vector<int32_t>{-1, 2, 2});
}

TEST_CASE("depthwise conv1d becomes DEPTHWISE_CONV_2D with filter [1,1,K,C]", "[sequence_map]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 5}, Layout::ChannelsLast1d);
  // Weight [O=2, 1, K=2] = o*2+k -> [1,1,K,O]: k-major.
  conv1d(h, x, h.floatTensor({2, 1, 2}, iota(4)), 1, 0, 1, 2);
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_DEPTHWISE_CONV_2D,
                                                     ANEURALNETWORKS_RESHAPE});
  const auto& conv = h.operation(1);
  CHECK(h.operand(conv.inputs[1]).dims == std::vector<uint32_t>{1, 1, 2, 2});
  CHECK(h.floatValues(conv.inputs[1]) == std::vector<float>{0, 2, 1, 3});
}

TEST_CASE("grouped conv1d becomes GROUPED_CONV_2D with the group count", "[sequence_map]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 4, 5}, Layout::ChannelsLast1d);
  conv1d(h, x, h.floatTensor({6, 2, 1}, iota(12)), 1, 0, 1, 2);
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_GROUPED_CONV_2D,
                                                     ANEURALNETWORKS_RESHAPE});
  CHECK(h.scalarInt(h.operation(1).inputs[9]) == 2);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 5, 6});
}

TEST_CASE("conv_transpose1d: PyTorch's (stride, padding, output_padding, groups, dilation) order, filter [O,1,K,I]",
          "[sequence_map]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 4}, Layout::ChannelsLast1d);
  // Weight [I=2, O=3, K=3] = 9i + 3o + k -> [O,1,K,I]: filter[o][0][k][i].
  h.lower("aten::conv_transpose1d", {x, h.floatTensor({2, 3, 3}, iota(18)), h.none(), h.ints({2}), h.ints({1}),
                                     h.ints({1}), h.integer(1), h.ints({1})});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_TRANSPOSE_CONV_2D,
                                                     ANEURALNETWORKS_RESHAPE});
  const auto& conv = h.operation(1);
  CHECK(h.operand(conv.inputs[1]).dims == std::vector<uint32_t>{3, 1, 3, 2});
  CHECK(h.floatValues(conv.inputs[1])[1] == 9.0f);  // [0][0][0][1] = weight[1][0][0]
  CHECK(h.floatValues(conv.inputs[1])[2] == 1.0f);  // [0][0][1][0] = weight[0][0][1]
  // Pads (left, right, top, bottom) = (1, 1 - output_padding, 0, 0), strides (w, h) = (2, 1).
  CHECK(h.scalarInts(conv, 3, 6) == std::vector<int32_t>{1, 0, 0, 0, 2, 1});
  // (4 - 1) * 2 - 2 + 3 + 1 = 8.
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 8, 3});
}

TEST_CASE("conv1d refuses what it cannot emit", "[sequence_map]") {
  LoweringHarness h;
  const auto w = h.floatTensor({2, 2, 3}, iota(12));
  SECTION("a 2-value stride") {
    const auto x = h.tensor({1, 2, 8}, Layout::ChannelsLast1d);
    CHECK_THAT(h.unsupportedReason("aten::conv1d", {x, w, h.none(), h.ints({1, 1}), h.ints({0}), h.ints({1}),
                                                    h.integer(1)}),
               Catch::Contains("stride must have 1 value for a 1-D convolution"));
  }
  SECTION("a 4-D input with a 1-D weight") {
    const auto x = h.tensor({1, 2, 8, 8}, Layout::ChannelsLast);
    CHECK_THAT(h.unsupportedReason("aten::conv1d", {x, w, h.none(), h.ints({1}), h.ints({0}), h.ints({1}),
                                                    h.integer(1)}),
               Catch::Contains("must be 3-D [N,C,L]"));
  }
  SECTION("two extents fixed only at run time") {
    const auto x = h.tensor({0, 2, 0}, Layout::ChannelsLast1d);
    CHECK_THAT(h.unsupportedReason("aten::conv1d", {x, w, h.none(), h.ints({1}), h.ints({0}), h.ints({1}),
                                                    h.integer(1)}),
               Catch::Contains("can infer only one"));
  }
}

TEST_CASE("max_pool1d pools the width of the [N,1,L,C] map with a 1x1 height window", "[sequence_map]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 3, 9}, Layout::ChannelsLast1d);
  h.lower("aten::max_pool1d", {x, h.ints({3}), h.ints({2}), h.ints({1}), h.ints({1}), h.boolean(true)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_MAX_POOL_2D,
                                                     ANEURALNETWORKS_RESHAPE});
  // ceil((9 + 2 - 3) / 2) + 1 = 5 windows: NNAPI's tail pad (5-1)*2 + 3 - 9 - 1 = 1.
  // (left, right, top, bottom, stride w, stride h, filter w, filter h)
  CHECK(h.scalarInts(h.operation(1), 1, 8) == std::vector<int32_t>{1, 1, 0, 0, 2, 1, 3, 1});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 5, 3});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast1d);
}

TEST_CASE("avg_pool1d counting padding pads the length with zeros first", "[sequence_map]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 6}, Layout::ChannelsLast1d);
  h.lower("aten::avg_pool1d", {x, h.ints({2}), h.ints({2}), h.ints({1}), h.boolean(false), h.boolean(true)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_PAD,
                                                     ANEURALNETWORKS_AVERAGE_POOL_2D, ANEURALNETWORKS_RESHAPE});
  CHECK(h.intValues(h.operation(1).inputs[1]) == std::vector<int32_t>{0, 0, 0, 0, 1, 1, 0, 0});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 4, 2});
}

TEST_CASE("max_pool1d refuses a 2-value kernel and a 4-D input", "[sequence_map]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 3, 9}, Layout::ChannelsLast1d);
  CHECK_THAT(h.unsupportedReason("aten::max_pool1d", {x, h.ints({3, 3}), h.ints({}), h.ints({0}), h.ints({1}),
                                                      h.boolean(false)}),
             Catch::Contains("must have 1 value each"));
  const auto map = h.tensor({1, 3, 9, 9}, Layout::ChannelsLast);
  CHECK_THAT(h.unsupportedReason("aten::max_pool1d", {map, h.ints({3}), h.ints({}), h.ints({0}), h.ints({1}),
                                                      h.boolean(false)}),
             Catch::Contains("3-D [N,C,L]"));
}

TEST_CASE("batch_norm keeps a [N,L,C] map channels-last with [C] constants", "[sequence_map]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 4}, Layout::ChannelsLast1d);
  h.lower("aten::batch_norm", {x, h.floatTensor({2}, {1, 2}), h.floatTensor({2}, {0, 1}), h.floatTensor({2}, {0, 0}),
                               h.floatTensor({2}, {1, 1}), h.boolean(false), h.number(0.1), h.number(0.0),
                               h.boolean(false)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MUL, ANEURALNETWORKS_ADD});
  // [C] constants broadcast over the last physical dimension, C.
  CHECK(h.operand(h.operation(0).inputs[1]).dims == std::vector<uint32_t>{2});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast1d);
}

TEST_CASE("cat of [N,L,C] maps joins them along the physical axis of PyTorch's dimension", "[sequence_map]") {
  LoweringHarness h;
  const auto a = h.tensor({1, 2, 4}, Layout::ChannelsLast1d);
  const auto b = h.tensor({1, 3, 4}, Layout::ChannelsLast1d);
  h.lower("aten::cat", {h.list({a, b}), h.integer(1)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_CONCATENATION});
  CHECK(h.scalarInt(h.operation(0).inputs[2]) == 2);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 4, 5});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast1d);
}

TEST_CASE("an element-wise add of two [N,L,C] maps stays channels-last, and flatten goes back to PyTorch's order first",
          "[sequence_map]") {
  LoweringHarness h;
  const auto a = h.tensor({1, 2, 4}, Layout::ChannelsLast1d);
  const auto b = h.tensor({1, 2, 4}, Layout::ChannelsLast1d);
  h.lower("aten::add", {a, b, h.integer(1)});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_ADD});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast1d);
  LoweringHarness r;
  const auto x = r.tensor({1, 2, 4}, Layout::ChannelsLast1d);
  r.lower("aten::flatten", {x, r.integer(1), r.integer(2)});
  REQUIRE(r.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_RESHAPE});
  CHECK(r.intValues(r.operation(0).inputs[1]) == std::vector<int32_t>{0, 2, 1});
}

TEST_CASE("adaptive_avg_pool1d pools the width with kernel = stride = L / output size", "[sequence_map]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 3, 12}, Layout::ChannelsLast1d);
  h.lower("aten::adaptive_avg_pool1d", {x, h.ints({4})});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_AVERAGE_POOL_2D,
                                                     ANEURALNETWORKS_RESHAPE});
  // (left, right, top, bottom, stride w, stride h, filter w, filter h)
  CHECK(h.scalarInts(h.operation(1), 1, 8) == std::vector<int32_t>{0, 0, 0, 0, 3, 1, 3, 1});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 4, 3});
  CHECK_THAT(h.unsupportedReason("aten::adaptive_avg_pool1d", {x, h.ints({5})}),
             Catch::Contains("divides the input size"));
}
