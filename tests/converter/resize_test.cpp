// upsample_nearest2d, _upsample_nearest_exact2d, upsample_bilinear2d -> RESIZE_NEAREST_NEIGHBOR / RESIZE_BILINEAR:
// NNAPI's (width, height) sizes, the NCHW flag false (NHWC map), the level-4 align_corners / half_pixel_centers
// flags chosen as PyTorch's mapping needs, and the refusals.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::ir::Layout;
using nnc::test::LoweringHarness;

namespace {

std::vector<double> factors(double h, double w) { return {h, w}; }

// The NNAPI inputs after the map: width, height, NCHW, then the flags when present (as 0/1).
std::vector<int32_t> resizeParams(const LoweringHarness& h, const nnc::ir::Operation& op) {
  std::vector<int32_t> params = {h.scalarInt(op.inputs[1]), h.scalarInt(op.inputs[2])};
  for (size_t i = 3; i < op.inputs.size(); ++i) params.push_back(h.bytes(op.inputs[i]).at(0));
  return params;
}

}  // namespace

TEST_CASE("upsample_nearest2d by scale factor is RESIZE_NEAREST_NEIGHBOR with neither flag", "[resize]") {
  LoweringHarness h(29);
  const auto x = h.tensor({1, 3, 4, 5}, Layout::ChannelsLast);
  h.lower("aten::upsample_nearest2d", {x, h.none(), h.constant(factors(2.0, 3.0))});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESIZE_NEAREST_NEIGHBOR});
  CHECK(h.operation(0).inputs[0] == h.operandOf(x));
  // width 5 * 3 = 15, height 4 * 2 = 8; NCHW false.
  CHECK(resizeParams(h, h.operation(0)) == std::vector<int32_t>{15, 8, 0});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 8, 15, 3});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

TEST_CASE("upsample_nearest2d by output size (both overloads) transposes an NCHW tensor first", "[resize]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 4, 6});
  SECTION(".vec") { h.lower("aten::upsample_nearest2d", {x, h.ints({6, 9}), h.none()}); }
  SECTION("output_size, scales_h, scales_w") {
    h.lower("aten::upsample_nearest2d", {x, h.ints({6, 9}), h.none(), h.none()});
  }
  REQUIRE(h.operationCodes() ==
          std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_RESIZE_NEAREST_NEIGHBOR});
  CHECK(resizeParams(h, h.operation(1)) == std::vector<int32_t>{9, 6, 0});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 6, 9, 2});
}

TEST_CASE("upsample_nearest2d needs feature level 3 and refuses what NNAPI cannot map alike", "[resize]") {
  SECTION("Android 9") {
    LoweringHarness h(28);
    const auto x = h.tensor({1, 3, 4, 4}, Layout::ChannelsLast);
    CHECK_THAT(h.unsupportedReason("aten::upsample_nearest2d", {x, h.none(), h.constant(factors(2.0, 2.0))}),
               Catch::Contains("needs Android 10"));
  }
  LoweringHarness h;
  SECTION("a scale factor whose 1/factor is not in/out") {
    // in 7, factor 1.4: out floor(9.8) = 9. PyTorch maps dst 8 -> floor(8 / 1.4) = floor(5.714) = 5, NNAPI
    // floor(8 * 7 / 9) = floor(6.222) = 6.
    const auto x = h.tensor({1, 3, 7, 7}, Layout::ChannelsLast);
    CHECK_THAT(h.unsupportedReason("aten::upsample_nearest2d", {x, h.none(), h.constant(factors(1.4, 1.0))}),
               Catch::Contains("differently from the output size NNAPI computes its scale from"));
  }
  SECTION("rank 3") {
    const auto x = h.tensor({3, 4, 4});
    CHECK_THAT(h.unsupportedReason("aten::upsample_nearest2d", {x, h.ints({8}), h.none()}),
               Catch::Contains("4-D"));
  }
  SECTION("a height fixed only at run time") {
    const auto x = h.tensor({1, 3, 0, 4}, Layout::ChannelsLast);
    CHECK_THAT(h.unsupportedReason("aten::upsample_nearest2d", {x, h.none(), h.constant(factors(2.0, 2.0))}),
               Catch::Contains("fixed only at run time"));
  }
}

TEST_CASE("upsample_nearest2d accepts a factor whose rounded mapping equals NNAPI's", "[resize]") {
  // in 4, factor 1.5: out 6; PyTorch's scale float(1 / 1.5) and NNAPI's float(4) / float(6) are the same float.
  LoweringHarness h;
  const auto x = h.tensor({1, 3, 4, 4}, Layout::ChannelsLast);
  h.lower("aten::upsample_nearest2d", {x, h.none(), h.constant(factors(1.5, 1.5))});
  CHECK(resizeParams(h, h.operation(0)) == std::vector<int32_t>{6, 6, 0});
}

TEST_CASE("_upsample_nearest_exact2d is RESIZE_NEAREST_NEIGHBOR with half_pixel_centers", "[resize]") {
  LoweringHarness h(30);
  const auto x = h.tensor({1, 3, 4, 4}, Layout::ChannelsLast);
  h.lower("aten::_upsample_nearest_exact2d", {x, h.ints({6, 10}), h.none()});
  // width 10, height 6, NCHW false, align_corners false, half_pixel_centers true.
  CHECK(resizeParams(h, h.operation(0)) == std::vector<int32_t>{10, 6, 0, 0, 1});
  LoweringHarness old(29);
  const auto y = old.tensor({1, 3, 4, 4}, Layout::ChannelsLast);
  CHECK_THAT(old.unsupportedReason("aten::_upsample_nearest_exact2d", {y, old.ints({6, 10}), old.none()}),
             Catch::Contains("needs Android 11"));
}

TEST_CASE("upsample_bilinear2d: align_corners=False is half_pixel_centers, True is align_corners", "[resize]") {
  LoweringHarness h;
  const auto x = h.tensor({1, 2, 4, 8}, Layout::ChannelsLast);
  SECTION("align_corners=False by size") {
    h.lower("aten::upsample_bilinear2d", {x, h.ints({5, 7}), h.boolean(false), h.none()});
    CHECK(resizeParams(h, h.operation(0)) == std::vector<int32_t>{7, 5, 0, 0, 1});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 5, 7, 2});
  }
  SECTION("align_corners=True by a scale factor that align_corners ignores") {
    // out floor(4 * 1.5) = 6, floor(8 * 1.5) = 12; both map dst * (in - 1) / (out - 1).
    h.lower("aten::upsample_bilinear2d", {x, h.none(), h.boolean(true), h.constant(factors(1.5, 1.5))});
    CHECK(resizeParams(h, h.operation(0)) == std::vector<int32_t>{12, 6, 0, 1, 0});
  }
  SECTION("output_size, align_corners, scales_h, scales_w") {
    h.lower("aten::upsample_bilinear2d", {x, h.ints({8, 16}), h.boolean(false), h.number(2.0), h.number(2.0)});
    CHECK(resizeParams(h, h.operation(0)) == std::vector<int32_t>{16, 8, 0, 0, 1});
  }
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESIZE_BILINEAR});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

TEST_CASE("upsample_bilinear2d x2 at Android 10 pads by GATHER, resizes with the legacy mapping, slices", "[resize]") {
  LoweringHarness h(29);
  const auto x = h.tensor({1, 2, 4, 8}, Layout::ChannelsLast);
  h.lower("aten::upsample_bilinear2d", {x, h.ints({8, 16}), h.boolean(false), h.none()});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_GATHER, ANEURALNETWORKS_GATHER,
                                                     ANEURALNETWORKS_RESIZE_BILINEAR, ANEURALNETWORKS_STRIDED_SLICE});
  // One edge pixel in front of H (physical axis 1, extent 4) and W (axis 2, extent 8).
  CHECK(h.operation(0).inputs[0] == h.operandOf(x));
  CHECK(h.scalarInt(h.operation(0).inputs[1]) == 1);
  CHECK(h.intValues(h.operation(0).inputs[2]) == std::vector<int32_t>{0, 0, 1, 2, 3});
  CHECK(h.scalarInt(h.operation(1).inputs[1]) == 2);
  CHECK(h.intValues(h.operation(1).inputs[2]) == std::vector<int32_t>{0, 0, 1, 2, 3, 4, 5, 6, 7});
  // Resized to 2s(in+1): width 2*2*9 = 36, height 2*2*5 = 20; no flags.
  CHECK(resizeParams(h, h.operation(2)) == std::vector<int32_t>{36, 20, 0});
  // Every second element from s+1 = 3: H 3..17 (8 rows), W 3..33 (16 columns); N and C masked.
  const auto& slice = h.operation(3);
  CHECK(h.intValues(slice.inputs[1]) == std::vector<int32_t>{0, 3, 3, 0});
  CHECK(h.intValues(slice.inputs[2]) == std::vector<int32_t>{0, 18, 34, 0});
  CHECK(h.intValues(slice.inputs[3]) == std::vector<int32_t>{1, 2, 2, 1});
  CHECK(h.scalarInts(slice, 4, 3) == std::vector<int32_t>{9, 9, 0});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 8, 16, 2});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

TEST_CASE("upsample_bilinear2d at Android 10 pads only the axes it upsamples by a factor", "[resize]") {
  LoweringHarness h(29);
  SECTION("height x4, width unchanged") {
    const auto x = h.tensor({1, 2, 3, 5}, Layout::ChannelsLast);
    h.lower("aten::upsample_bilinear2d", {x, h.none(), h.boolean(false), h.constant(factors(4.0, 1.0))});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_GATHER, ANEURALNETWORKS_RESIZE_BILINEAR,
                                                       ANEURALNETWORKS_STRIDED_SLICE});
    CHECK(h.scalarInt(h.operation(0).inputs[1]) == 1);
    CHECK(h.intValues(h.operation(0).inputs[2]) == std::vector<int32_t>{0, 0, 1, 2});
    // height 2*4*4 = 32, width 5.
    CHECK(resizeParams(h, h.operation(1)) == std::vector<int32_t>{5, 32, 0});
    // H from s+1 = 5 by 2 to 4 + 2*12 = 28: 12 rows; W whole.
    CHECK(h.intValues(h.operation(2).inputs[1]) == std::vector<int32_t>{0, 5, 0, 0});
    CHECK(h.intValues(h.operation(2).inputs[2]) == std::vector<int32_t>{0, 28, 5, 0});
    CHECK(h.intValues(h.operation(2).inputs[3]) == std::vector<int32_t>{1, 2, 1, 1});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 12, 5, 2});
  }
  SECTION("a 1x1 map to 7x7 (replication under any mapping) is one legacy RESIZE_BILINEAR") {
    const auto x = h.tensor({1, 2, 1, 1}, Layout::ChannelsLast);
    h.lower("aten::upsample_bilinear2d", {x, h.ints({7, 7}), h.boolean(false), h.none()});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESIZE_BILINEAR});
    CHECK(resizeParams(h, h.operation(0)) == std::vector<int32_t>{7, 7, 0});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 7, 7, 2});
  }
}

TEST_CASE("upsample_bilinear2d refuses levels below 4 and factors NNAPI's in/out would not reproduce", "[resize]") {
  SECTION("Android 10, align_corners=True") {
    LoweringHarness h(29);
    const auto x = h.tensor({1, 2, 4, 4}, Layout::ChannelsLast);
    CHECK_THAT(h.unsupportedReason("aten::upsample_bilinear2d", {x, h.ints({8, 8}), h.boolean(true), h.none()}),
               Catch::Contains("height 4 -> 8 with align_corners=True needs Android 11"));
  }
  SECTION("Android 10, a factor that is not whole") {
    LoweringHarness h(29);
    const auto x = h.tensor({1, 2, 4, 4}, Layout::ChannelsLast);
    CHECK_THAT(h.unsupportedReason("aten::upsample_bilinear2d", {x, h.ints({4, 6}), h.boolean(false), h.none()}),
               Catch::Contains("width 4 -> 6 needs Android 11"));
  }
  SECTION("Android 10, downsampling") {
    LoweringHarness h(29);
    const auto x = h.tensor({1, 2, 8, 8}, Layout::ChannelsLast);
    CHECK_THAT(h.unsupportedReason("aten::upsample_bilinear2d", {x, h.ints({4, 8}), h.boolean(false), h.none()}),
               Catch::Contains("height 8 -> 4 needs Android 11"));
  }
  SECTION("Android 9: no GATHER") {
    LoweringHarness h(28);
    const auto x = h.tensor({1, 2, 4, 4}, Layout::ChannelsLast);
    CHECK_THAT(h.unsupportedReason("aten::upsample_bilinear2d", {x, h.ints({8, 8}), h.boolean(false), h.none()}),
               Catch::Contains("needs Android 10"));
  }
  SECTION("align_corners=False with factor 1.5 on 7 pixels: 1/1.5 against 7/10") {
    LoweringHarness h;
    const auto x = h.tensor({1, 2, 7, 7}, Layout::ChannelsLast);
    CHECK_THAT(h.unsupportedReason("aten::upsample_bilinear2d",
                                   {x, h.none(), h.boolean(false), h.constant(factors(1.5, 1.5))}),
               Catch::Contains("maps height 10 -> 7 differently"));
  }
  SECTION("quantized input") {
    LoweringHarness h;
    const auto x = h.quantTensor({1, 2, 4, 4}, 0.1f, 3, Layout::ChannelsLast);
    CHECK_THAT(h.unsupportedReason("aten::upsample_bilinear2d", {x, h.ints({8, 8}), h.boolean(false), h.none()}),
               Catch::Contains("float32"));
  }
}
