// Pools: explicit NNAPI padding (left, right, top, bottom), strides (w, h), filter (w, h); PyTorch's output sizes,
// ceil_mode and count_include_pad reproduced exactly. Expected pads are worked out by hand in each test.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

namespace {

// NNAPI pool inputs 1-9: pad_left, pad_right, pad_top, pad_bottom, stride_w, stride_h, filter_w, filter_h, fuse.
std::vector<int32_t> poolParams(const LoweringHarness& h, const nnc::ir::Operation& pool) {
  REQUIRE(pool.inputs.size() == 10);
  return h.scalarInts(pool, 1, 9);
}

void lowerMaxPool(LoweringHarness& h, nnc::ValueId x, std::vector<int64_t> kernel, std::vector<int64_t> stride,
                  std::vector<int64_t> padding, bool ceil_mode) {
  h.lower("aten::max_pool2d",
          {x, h.ints(kernel), h.ints(stride), h.ints(padding), h.ints({1, 1}), h.boolean(ceil_mode)});
}

void lowerAvgPool(LoweringHarness& h, nnc::ValueId x, std::vector<int64_t> kernel, std::vector<int64_t> stride,
                  std::vector<int64_t> padding, bool ceil_mode, bool count_include_pad) {
  h.lower("aten::avg_pool2d", {x, h.ints(kernel), h.ints(stride), h.ints(padding), h.boolean(ceil_mode),
                               h.boolean(count_include_pad), h.none()});
}

}  // namespace

TEST_CASE("max_pool2d puts PyTorch's (H, W) arguments in NNAPI's order", "[pooling]") {
  LoweringHarness h;
  // [N,C,H,W] = [1,4,9,6]; kernel (3,2), stride (2,1), padding (1,0).
  // H: out = (9 + 2 - 3) / 2 + 1 = 5; pads top 1, bottom 1.  W: out = (6 - 2) / 1 + 1 = 5; pads 0, 0.
  const auto x = h.tensor({1, 4, 9, 6}, Layout::ChannelsLast);
  lowerMaxPool(h, x, {3, 2}, {2, 1}, {1, 0}, false);
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_MAX_POOL_2D});
  CHECK(h.operation(0).inputs[0] == h.operandOf(x));
  CHECK(poolParams(h, h.operation(0)) == std::vector<int32_t>{0, 0, 1, 1, 1, 2, 2, 3, ANEURALNETWORKS_FUSED_NONE});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 5, 5, 4});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

TEST_CASE("max_pool2d on an NCHW tensor transposes it to NHWC first, and an empty stride means the kernel", "[pooling]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 1, 4, 4});
  lowerMaxPool(h, x, {2}, {}, {0}, false);
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_MAX_POOL_2D});
  CHECK(h.operation(1).inputs[0] == h.operation(0).outputs[0]);
  CHECK(poolParams(h, h.operation(1)) == std::vector<int32_t>{0, 0, 0, 0, 2, 2, 2, 2, 0});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 2, 2, 1});
}

TEST_CASE("ceil_mode grows the right/bottom padding to PyTorch's output size", "[pooling]") {
  LoweringHarness h;
  SECTION("extra window") {
    // in 6, kernel 3, stride 2, pad 0: floor gives 2 windows, ceil 3; the third starts at 4 and needs
    // 4 + 3 - 6 = 1 tap of padding on the right.
    const auto x = h.tensor({1, 2, 6, 6}, Layout::ChannelsLast);
    lowerMaxPool(h, x, {3, 3}, {2, 2}, {0, 0}, true);
    CHECK(poolParams(h, h.operation(0)) == std::vector<int32_t>{0, 1, 0, 1, 2, 2, 3, 3, 0});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 3, 3, 2});
  }
  SECTION("extra window beyond symmetric padding") {
    // in 4, kernel 3, stride 2, pad 1: ceil gives (4 + 2 - 3 + 1) / 2 + 1 = 3 windows; the last starts at
    // 2 * 2 - 1 = 3 and ends at 6, two past the input: tail 2 (< kernel 3), head stays 1.
    const auto x = h.tensor({1, 2, 4, 4}, Layout::ChannelsLast);
    lowerMaxPool(h, x, {3, 3}, {2, 2}, {1, 1}, true);
    CHECK(poolParams(h, h.operation(0)) == std::vector<int32_t>{1, 2, 1, 2, 2, 2, 3, 3, 0});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 3, 3, 2});
  }
  SECTION("a last window that would start in the right padding is dropped") {
    // in 5, kernel 2, stride 2, pad 1: ceil formula gives (5 + 2 - 2 + 1) / 2 + 1 = 4, but window 4 would start
    // at 3 * 2 = 6 >= 5 + 1, so PyTorch makes 3 windows: symmetric padding 1 suffices.
    const auto x = h.tensor({1, 2, 5, 5}, Layout::ChannelsLast);
    lowerMaxPool(h, x, {2, 2}, {2, 2}, {1, 1}, true);
    CHECK(poolParams(h, h.operation(0)) == std::vector<int32_t>{1, 1, 1, 1, 2, 2, 2, 2, 0});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 3, 3, 2});
  }
}

TEST_CASE("max_pool2d rejects what NNAPI cannot do, before emitting anything", "[pooling]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 8, 8});  // NCHW: a transpose would be the first thing emitted
  SECTION("dilation") {
    CHECK_THAT(h.unsupportedReason("aten::max_pool2d", {x, h.ints({3, 3}), h.ints({1, 1}), h.ints({0, 0}),
                                                        h.ints({2, 2}), h.boolean(false)}),
               Catch::Contains("dilation"));
  }
  SECTION("padding above half the kernel") {
    CHECK_THAT(h.unsupportedReason("aten::max_pool2d", {x, h.ints({2, 2}), h.ints({1, 1}), h.ints({0, 2}),
                                                        h.ints({1, 1}), h.boolean(false)}),
               Catch::Contains("more than half the kernel"));
  }
  SECTION("3-D input") {
    const auto unbatched = h.tensor({2, 8, 8});
    CHECK_THAT(h.unsupportedReason("aten::max_pool2d", {unbatched, h.ints({2, 2}), h.ints({}), h.ints({0, 0}),
                                                        h.ints({1, 1}), h.boolean(false)}),
               Catch::Contains("4-D"));
  }
  CHECK(h.operations().empty());
}

TEST_CASE("avg_pool2d without counted padding uses NNAPI's padding, which it excludes", "[pooling]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 5, 5}, Layout::ChannelsLast);
  SECTION("count_include_pad=False") { lowerAvgPool(h, x, {3, 3}, {1, 1}, {1, 1}, false, false); }
  SECTION("count_include_pad=True without padding") { lowerAvgPool(h, x, {3, 3}, {1, 1}, {0, 0}, false, true); }
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_AVERAGE_POOL_2D});
  CHECK(h.operation(0).inputs[0] == h.operandOf(x));
  const int32_t pad = h.scalarInt(h.operation(0).inputs[1]);
  CHECK(poolParams(h, h.operation(0)) == std::vector<int32_t>{pad, pad, pad, pad, 1, 1, 3, 3, 0});
  // Padding 1 keeps 5x5; no padding gives 5 - 3 + 1 = 3.
  const uint32_t side = pad == 1 ? 5 : 3;
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, side, side, 2});
}

TEST_CASE("avg_pool2d counting padding pads with zeros first and pools without padding", "[pooling]") {
  LoweringHarness h;
  SECTION("floor mode") {
    // 5x5 padded by 1 -> 7x7; out = (5 + 2 - 3) / 2 + 1 = 3 = (7 - 3) / 2 + 1: no NNAPI padding at all.
    const auto x = h.tensor({1, 2, 5, 5}, Layout::ChannelsLast);
    lowerAvgPool(h, x, {3, 3}, {2, 2}, {1, 1}, false, true);
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_PAD, ANEURALNETWORKS_AVERAGE_POOL_2D});
    const auto& pad = h.operation(0);
    CHECK(pad.inputs[0] == h.operandOf(x));
    CHECK(h.operand(pad.inputs[1]).dims == std::vector<uint32_t>{4, 2});
    CHECK(h.intValues(pad.inputs[1]) == std::vector<int32_t>{0, 0, 1, 1, 1, 1, 0, 0});  // N, H, W, C
    CHECK(h.operand(pad.outputs[0]).dims == std::vector<uint32_t>{1, 7, 7, 2});
    CHECK(h.operation(1).inputs[0] == pad.outputs[0]);
    CHECK(poolParams(h, h.operation(1)) == std::vector<int32_t>{0, 0, 0, 0, 2, 2, 3, 3, 0});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 3, 3, 2});
  }
  SECTION("ceil mode: the part past input + padding stays excluded") {
    // in 4 (H) and 7 (W), kernel 3, stride 2, pad 1, ceil: H gets (4 + 2 - 3 + 1) / 2 + 1 = 3 windows, the last
    // covering rows 4..6 of the 6-row padded map: tail 1, so PyTorch's divisor (2 rows, up to input + padding)
    // matches NNAPI's (taps inside the padded map). W: (7 + 2 - 3 + 1) / 2 + 1 = 4 windows, the last covering
    // columns 6..8 of the 9-column padded map: no tail.
    const auto x = h.tensor({1, 2, 4, 7}, Layout::ChannelsLast);
    lowerAvgPool(h, x, {3, 3}, {2, 2}, {1, 1}, true, true);
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_PAD, ANEURALNETWORKS_AVERAGE_POOL_2D});
    CHECK(h.operand(h.operation(0).outputs[0]).dims == std::vector<uint32_t>{1, 6, 9, 2});
    CHECK(poolParams(h, h.operation(1)) == std::vector<int32_t>{0, 0, 0, 1, 2, 2, 3, 3, 0});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 3, 4, 2});
  }
}

TEST_CASE("avg_pool2d rejects divisor_override", "[pooling]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 4, 4});
  CHECK_THAT(h.unsupportedReason("aten::avg_pool2d", {x, h.ints({2, 2}), h.ints({}), h.ints({0, 0}),
                                                      h.boolean(false), h.boolean(true), h.integer(3)}),
             Catch::Contains("divisor_override"));
  CHECK(h.operations().empty());
}

TEST_CASE("adaptive_avg_pool2d is an average pool with kernel = stride = input / output", "[pooling]") {
  LoweringHarness h;
  SECTION("global pooling from NCHW") {
    const auto x = h.tensor({1, 8, 7, 7});
    h.lower("aten::adaptive_avg_pool2d", {x, h.ints({1, 1})});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_AVERAGE_POOL_2D});
    CHECK(poolParams(h, h.operation(1)) == std::vector<int32_t>{0, 0, 0, 0, 7, 7, 7, 7, 0});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 1, 1, 8});
    CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
  }
  SECTION("a single output size means both axes") {
    const auto x = h.tensor({1, 8, 6, 4}, Layout::ChannelsLast);
    h.lower("aten::adaptive_avg_pool2d", {x, h.integer(2)});
    CHECK(poolParams(h, h.operation(0)) == std::vector<int32_t>{0, 0, 0, 0, 2, 3, 2, 3, 0});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 2, 2, 8});
  }
  SECTION("different sizes per axis") {
    // H 6 -> 2: kernel 3; W 12 -> 3: kernel 4.
    const auto x = h.tensor({1, 4, 6, 12}, Layout::ChannelsLast);
    h.lower("aten::adaptive_avg_pool2d", {x, h.ints({2, 3})});
    CHECK(poolParams(h, h.operation(0)) == std::vector<int32_t>{0, 0, 0, 0, 4, 3, 4, 3, 0});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 2, 3, 4});
  }
}

TEST_CASE("adaptive_avg_pool2d to a size that does not divide the input is unsupported", "[pooling]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 4, 6, 6});
  CHECK_THAT(h.unsupportedReason("aten::adaptive_avg_pool2d", {x, h.ints({4, 4})}),
             Catch::Contains("divides the input size"));
  CHECK(h.operations().empty());
}

TEST_CASE("avg_pool2d counting padding needs PAD, from feature level 2, and pools without it lower at level 1",
          "[pooling][feature_level]") {
  LoweringHarness h(27);
  const auto x = h.tensor({1, 2, 5, 5}, Layout::ChannelsLast);
  SECTION("counted padding: Android 9") {
    CHECK_THAT(h.unsupportedReason("aten::avg_pool2d", {x, h.ints({3, 3}), h.ints({2, 2}), h.ints({1, 1}),
                                                        h.boolean(false), h.boolean(true), h.none()}),
               Catch::Contains("count_include_pad") && Catch::Contains("PAD on TENSOR_FLOAT32") &&
                   Catch::Contains("needs Android 9 (API 28"));
    CHECK(h.operations().empty());
  }
  SECTION("count_include_pad without padding") {
    lowerAvgPool(h, x, {3, 3}, {2, 2}, {0, 0}, false, true);
    CHECK(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_AVERAGE_POOL_2D});
  }
  SECTION("padding not counted") {
    lowerAvgPool(h, x, {3, 3}, {2, 2}, {1, 1}, false, false);
    CHECK(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_AVERAGE_POOL_2D});
  }
  SECTION("max_pool2d and adaptive_avg_pool2d") {
    lowerMaxPool(h, x, {2, 2}, {2, 2}, {1, 1}, true);
    h.lower("aten::adaptive_avg_pool2d", {x, h.ints({1, 1})});
    CHECK(h.operationCodes() ==
          std::vector<int32_t>{ANEURALNETWORKS_MAX_POOL_2D, ANEURALNETWORKS_AVERAGE_POOL_2D});
  }
}

TEST_CASE("pooling an NCHW map computed in the partition needs TRANSPOSE below feature level 2",
          "[pooling][feature_level]") {
  LoweringHarness h(27);
  const auto x = h.tensor({1, 2, 4, 4});
  CHECK_THAT(h.unsupportedReason("aten::max_pool2d", {x, h.ints({2, 2}), h.ints({}), h.ints({0, 0}),
                                                      h.ints({1, 1}), h.boolean(false)}),
             Catch::Contains("TRANSPOSE") && Catch::Contains("Android 9"));
  CHECK_THAT(h.unsupportedReason("aten::adaptive_avg_pool2d", {x, h.ints({1, 1})}),
             Catch::Contains("TRANSPOSE") && Catch::Contains("Android 9"));
  CHECK(h.operations().empty());
}
