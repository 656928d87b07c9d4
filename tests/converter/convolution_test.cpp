// Convolutions: which NNAPI op, the operand list in NNAPI's order (pads l,r,t,b; strides w,h), the filter layout.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;
using nnc::test::iota;

namespace {

// aten::_convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding, groups, ...)
void lowerConvolution(LoweringHarness& h, nnc::ValueId x, nnc::ValueId weight, nnc::ValueId bias,
                      std::vector<int64_t> stride, std::vector<int64_t> padding, std::vector<int64_t> dilation,
                      int64_t groups, bool transposed = false, std::vector<int64_t> output_padding = {0, 0}) {
  h.lower("aten::_convolution", {x, weight, bias, h.ints(stride), h.ints(padding), h.ints(dilation),
                                 h.boolean(transposed), h.ints(output_padding), h.integer(groups), h.boolean(false),
                                 h.boolean(false), h.boolean(true), h.boolean(true)});
}

}  // namespace

TEST_CASE("conv2d on an NCHW input: one TRANSPOSE, then CONV_2D with explicit padding in NNAPI's order",
          "[convolution]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 3, 8, 10});
  const auto w = h.floatTensor({4, 3, 3, 3}, iota(108));
  const auto b = h.floatTensor({4}, {1, 2, 3, 4});
  lowerConvolution(h, x, w, b, {2, 1}, {1, 0}, {1, 1}, 1);

  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_CONV_2D});
  CHECK(h.intValues(h.operation(0).inputs[1]) == std::vector<int32_t>{0, 2, 3, 1});
  const auto& conv = h.operation(1);
  REQUIRE(conv.inputs.size() == 10);  // no layout flag or dilation: valid from feature level 1
  // PyTorch padding (h=1, w=0) -> NNAPI (left, right, top, bottom) = (0, 0, 1, 1); stride (h=2, w=1) -> (w, h).
  CHECK(h.scalarInts(conv, 3, 7) == std::vector<int32_t>{0, 0, 1, 1, 1, 2, ANEURALNETWORKS_FUSED_NONE});
  CHECK(h.operand(conv.inputs[1]).dims == std::vector<uint32_t>{4, 3, 3, 3});
  // OHWI[0][0][1][0] = OIHW[0][0][0][1] = 1; OHWI[0][0][0][1] = OIHW[0][1][0][0] = 9.
  const auto filter = h.floatValues(conv.inputs[1]);
  CHECK(filter[3] == 1.0f);
  CHECK(filter[1] == 9.0f);
  CHECK(h.floatValues(conv.inputs[2]) == std::vector<float>{1, 2, 3, 4});
  // out h = (8 + 2 - 3) / 2 + 1 = 4, out w = (10 - 3) / 1 + 1 = 8.
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 4, 8, 4});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

TEST_CASE("a dilated conv appends the layout flag and dilations (w, h), and a missing bias becomes zeros",
          "[convolution]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 9, 9}, Layout::ChannelsLast);
  lowerConvolution(h, x, h.floatTensor({3, 2, 3, 3}, iota(54)), h.none(), {1, 1}, {2, 2}, {2, 3}, 1);
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_CONV_2D});
  const auto& conv = h.operation(0);
  REQUIRE(conv.inputs.size() == 13);
  CHECK(h.scalarInts(conv, 11, 2) == std::vector<int32_t>{3, 2});
  CHECK(h.floatValues(conv.inputs[2]) == std::vector<float>{0, 0, 0});
  // effective kernel h: 2*2+1 = 5 -> 9+4-5+1 = 9; w: 3*2+1 = 7 -> 9+4-7+1 = 7.
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 9, 7, 3});
}

TEST_CASE("groups == in_channels becomes DEPTHWISE_CONV_2D with filter [1,H,W,C*m] and the multiplier",
          "[convolution]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 5, 5}, Layout::ChannelsLast);
  // 4 output channels from 2 input channels: multiplier 2. Weight [4,1,1,2] = o*2+w.
  lowerConvolution(h, x, h.floatTensor({4, 1, 1, 2}, iota(8)), h.none(), {1, 1}, {0, 0}, {1, 1}, 2);
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_DEPTHWISE_CONV_2D});
  const auto& conv = h.operation(0);
  CHECK(h.operand(conv.inputs[1]).dims == std::vector<uint32_t>{1, 1, 2, 4});
  CHECK(h.floatValues(conv.inputs[1]) == std::vector<float>{0, 2, 4, 6, 1, 3, 5, 7});
  CHECK(h.scalarInt(conv.inputs[9]) == 2);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 5, 4, 4});
}

TEST_CASE("other group counts become GROUPED_CONV_2D with its mandatory layout flag", "[convolution]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 4, 6, 6}, Layout::ChannelsLast);
  lowerConvolution(h, x, h.floatTensor({6, 2, 3, 3}, iota(108)), h.none(), {1, 1}, {1, 1}, {1, 1}, 2);
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_GROUPED_CONV_2D});
  const auto& conv = h.operation(0);
  REQUIRE(conv.inputs.size() == 12);
  CHECK(h.scalarInt(conv.inputs[9]) == 2);
  CHECK(h.operand(conv.inputs[1]).dims == std::vector<uint32_t>{6, 3, 3, 2});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 6, 6, 6});
}

TEST_CASE("a transposed conv becomes TRANSPOSE_CONV_2D, and output_padding shrinks the right/bottom padding",
          "[convolution]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 4, 4}, Layout::ChannelsLast);
  // ConvTranspose weight [in=2, out=3, 3, 3], stride 2, padding 1, output_padding 1: out = 3*2 - 2 + 3 + 1 = 8.
  lowerConvolution(h, x, h.floatTensor({2, 3, 3, 3}, iota(54)), h.none(), {2, 2}, {1, 1}, {1, 1}, 1, true, {1, 1});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE_CONV_2D});
  const auto& conv = h.operation(0);
  CHECK(h.scalarInts(conv, 3, 6) == std::vector<int32_t>{1, 0, 1, 0, 2, 2});
  CHECK(h.operand(conv.inputs[1]).dims == std::vector<uint32_t>{3, 3, 3, 2});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 8, 8, 3});
}

TEST_CASE("aten::conv_transpose2d (a scripted ConvTranspose2d) reads dilation after output_padding and groups",
          "[convolution]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 4, 4}, Layout::ChannelsLast);
  // (input, weight, bias, stride, padding, output_padding, groups, dilation): weight [in=2, out=3, 3, 3], stride
  // (2, 1), padding (1, 0), output_padding (1, 0); dilation 1, as TRANSPOSE_CONV_2D has none.
  h.lower("aten::conv_transpose2d", {x, h.floatTensor({2, 3, 3, 3}, iota(54)), h.none(), h.ints({2, 1}),
                                     h.ints({1, 0}), h.ints({1, 0}), h.integer(1), h.ints({1, 1})});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE_CONV_2D});
  // Height: (4-1)*2 - 2 + 3 + 1 = 8; width: (4-1)*1 - 0 + 3 + 0 = 6.
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 8, 6, 3});
  // NNAPI padding (left, right, top, bottom) = (0, 0, 1, 0): output_padding shrinks the bottom; stride (w, h).
  CHECK(h.scalarInts(h.operation(0), 3, 6) == std::vector<int32_t>{0, 0, 1, 0, 1, 2});
  const auto dilated = h.unsupportedReason(
      "aten::conv_transpose2d", {x, h.floatTensor({2, 3, 3, 3}, iota(54)), h.none(), h.ints({2, 2}),
                                 h.ints({1, 1}), h.ints({1, 1}), h.integer(1), h.ints({1, 2})});
  CHECK_THAT(dilated, Catch::Contains("dilat"));
}

TEST_CASE("unsupported convolutions say why", "[convolution]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 5, 5}, Layout::ChannelsLast);
  const auto not_constant = h.tensor({3, 2, 3, 3});
  const auto reason = h.unsupportedReason(
      "aten::_convolution", {x, not_constant, h.none(), h.ints({1, 1}), h.ints({0, 0}), h.ints({1, 1}),
                             h.boolean(false), h.ints({0, 0}), h.integer(1), h.boolean(false), h.boolean(false),
                             h.boolean(true), h.boolean(true)});
  CHECK_THAT(reason, Catch::Contains("constant"));
  const auto too_much_padding = h.unsupportedReason(
      "aten::_convolution", {x, h.floatTensor({3, 2, 3, 3}, iota(54)), h.none(), h.ints({1, 1}), h.ints({3, 3}),
                             h.ints({1, 1}), h.boolean(false), h.ints({0, 0}), h.integer(1), h.boolean(false),
                             h.boolean(false), h.boolean(true), h.boolean(true)});
  CHECK_THAT(too_much_padding, Catch::Contains("padding"));
  CHECK(h.operations().empty());
}

TEST_CASE("plain and depthwise convolutions lower at feature level 1", "[convolution][feature_level]") {
  LoweringHarness h(27);
  const auto x = h.tensor({1, 2, 5, 5}, Layout::ChannelsLast);
  lowerConvolution(h, x, h.floatTensor({3, 2, 3, 3}, iota(54)), h.none(), {1, 1}, {1, 1}, {1, 1}, 1);
  lowerConvolution(h, x, h.floatTensor({4, 1, 1, 2}, iota(8)), h.none(), {1, 1}, {0, 0}, {1, 1}, 2);
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_CONV_2D, ANEURALNETWORKS_DEPTHWISE_CONV_2D});
  CHECK(h.operation(0).inputs.size() == 10);  // no layout flag: feature level 3
  CHECK(h.operation(1).inputs.size() == 11);
}

TEST_CASE("convolutions that need feature level 3 say so below it, and emit nothing",
          "[convolution][feature_level]") {
  LoweringHarness h(28);
  const auto x = h.tensor({1, 4, 9, 9}, Layout::ChannelsLast);
  const auto conv = [&](nnc::ValueId weight, std::vector<int64_t> dilation, int64_t groups, bool transposed) {
    return h.unsupportedReason("aten::_convolution",
                               {x, weight, h.none(), h.ints({1, 1}), h.ints({0, 0}), h.ints(dilation),
                                h.boolean(transposed), h.ints({0, 0}), h.integer(groups), h.boolean(false),
                                h.boolean(false), h.boolean(true), h.boolean(true)});
  };
  SECTION("dilation") {
    CHECK_THAT(conv(h.floatTensor({3, 4, 3, 3}, iota(108)), {2, 2}, 1, false),
               Catch::Contains("CONV_2D with dilation inputs needs Android 10"));
  }
  SECTION("dilated depthwise") {
    CHECK_THAT(conv(h.floatTensor({4, 1, 3, 3}, iota(36)), {2, 1}, 4, false),
               Catch::Contains("DEPTHWISE_CONV_2D with dilation inputs needs Android 10"));
  }
  SECTION("groups") {
    CHECK_THAT(conv(h.floatTensor({6, 2, 3, 3}, iota(108)), {1, 1}, 2, false),
               Catch::Contains("GROUPED_CONV_2D on TENSOR_FLOAT32 needs Android 10"));
  }
  SECTION("transposed") {
    CHECK_THAT(conv(h.floatTensor({4, 3, 3, 3}, iota(108)), {1, 1}, 1, true),
               Catch::Contains("TRANSPOSE_CONV_2D on TENSOR_FLOAT32 needs Android 10"));
  }
  CHECK(h.operations().empty());
}

TEST_CASE("an NCHW input for a conv below feature level 2", "[convolution][feature_level]") {
  SECTION("computed on the CPU: taken again as NHWC instead of a TRANSPOSE") {
    LoweringHarness h(27);
    const auto x = h.cpuTensor({1, 3, 8, 10});
    lowerConvolution(h, x, h.floatTensor({4, 3, 3, 3}, iota(108)), h.none(), {1, 1}, {1, 1}, {1, 1}, 1);
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_CONV_2D});
    const uint32_t nhwc = h.importOf(x, Layout::ChannelsLast);
    CHECK(h.operation(0).inputs[0] == nhwc);
    CHECK(h.operand(nhwc).dims == std::vector<uint32_t>{1, 8, 10, 3});
    CHECK(h.operand(nhwc).layout == Layout::ChannelsLast);
    CHECK(h.state.partitions[0].inputs.size() == 1);  // only as NHWC, not also as it is
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 8, 10, 4});
  }
  SECTION("computed in the partition: needs TRANSPOSE, so Android 9") {
    LoweringHarness h(27);
    const auto x = h.tensor({1, 3, 8, 10});
    const auto reason = h.unsupportedReason(
        "aten::_convolution", {x, h.floatTensor({4, 3, 3, 3}, iota(108)), h.none(), h.ints({1, 1}), h.ints({1, 1}),
                               h.ints({1, 1}), h.boolean(false), h.ints({0, 0}), h.integer(1), h.boolean(false),
                               h.boolean(false), h.boolean(true), h.boolean(true)});
    CHECK_THAT(reason, Catch::Contains("TRANSPOSE") && Catch::Contains("needs Android 9 (API 28"));
    CHECK(h.operations().empty());
  }
}

TEST_CASE("an NCHW input computed on the CPU is imported, then transposed from feature level 2",
          "[convolution][feature_level]") {
  LoweringHarness h(28);
  const auto x = h.cpuTensor({1, 3, 8, 10});
  lowerConvolution(h, x, h.floatTensor({4, 3, 3, 3}, iota(108)), h.none(), {1, 1}, {1, 1}, {1, 1}, 1);
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_CONV_2D});
  CHECK(h.operation(0).inputs[0] == h.importOf(x, Layout::Contiguous));
  CHECK(h.model.inputs() == std::vector<uint32_t>{h.importOf(x, Layout::Contiguous)});
}
