// upsample_nearest2d, _upsample_nearest_exact2d, upsample_bilinear2d -> RESIZE_NEAREST_NEIGHBOR / RESIZE_BILINEAR
// where NNAPI maps like PyTorch: NNAPI's (width, height) sizes, the NCHW flag false (NHWC map), the level-4
// align_corners / half_pixel_centers flags chosen as PyTorch's mapping needs; elsewhere the separable form (per
// axis, width first: GATHER, GATHER, MUL, MUL, ADD, or one GATHER); and the refusals.
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

TEST_CASE("upsample_nearest2d needs feature level 3, a 4-D map, a height and width known at convert time",
          "[resize]") {
  SECTION("Android 9") {
    LoweringHarness h(28);
    const auto x = h.tensor({1, 3, 4, 4}, Layout::ChannelsLast);
    CHECK_THAT(h.unsupportedReason("aten::upsample_nearest2d", {x, h.none(), h.constant(factors(2.0, 2.0))}),
               Catch::Contains("needs Android 10"));
  }
  LoweringHarness h;
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


namespace {

using Ints = std::vector<int32_t>;
using Codes = std::vector<int32_t>;
const Codes kInterpolate = {ANEURALNETWORKS_GATHER, ANEURALNETWORKS_GATHER, ANEURALNETWORKS_MUL, ANEURALNETWORKS_MUL,
                            ANEURALNETWORKS_ADD};

Codes concat(Codes a, const Codes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Operations [first, first + 5) are one interpolated axis of `x`: GATHER index0 and index1 along `axis`, each
// MULtiplied by its weights (shaped `weight_dims`), ADDed. Returns the weight vectors.
std::pair<std::vector<float>, std::vector<float>> checkInterpolatedAxis(const LoweringHarness& h, size_t first,
                                                                       uint32_t x, int32_t axis, const Ints& index0,
                                                                       const Ints& index1,
                                                                       const std::vector<uint32_t>& weight_dims) {
  const auto& gather0 = h.operation(first);
  const auto& gather1 = h.operation(first + 1);
  const auto& mul0 = h.operation(first + 2);
  const auto& mul1 = h.operation(first + 3);
  const auto& add = h.operation(first + 4);
  CHECK(gather0.inputs[0] == x);
  CHECK(gather1.inputs[0] == x);
  CHECK(h.scalarInt(gather0.inputs[1]) == axis);
  CHECK(h.scalarInt(gather1.inputs[1]) == axis);
  CHECK(h.intValues(gather0.inputs[2]) == index0);
  CHECK(h.intValues(gather1.inputs[2]) == index1);
  CHECK(mul0.inputs[0] == gather0.outputs[0]);
  CHECK(mul1.inputs[0] == gather1.outputs[0]);
  CHECK(h.operand(mul0.inputs[1]).dims == weight_dims);
  CHECK(h.operand(mul1.inputs[1]).dims == weight_dims);
  CHECK(add.inputs[0] == mul0.outputs[0]);
  CHECK(add.inputs[1] == mul1.outputs[0]);
  CHECK(h.scalarInt(add.inputs[2]) == ANEURALNETWORKS_FUSED_NONE);
  return {h.floatValues(mul0.inputs[1]), h.floatValues(mul1.inputs[1])};
}

}  // namespace

TEST_CASE("upsample_bilinear2d x2 at Android 10 interpolates W, then H, with GATHERs, MULs and ADDs", "[resize]") {
  LoweringHarness h(29);
  const auto x = h.tensor({1, 2, 4, 8}, Layout::ChannelsLast);
  h.lower("aten::upsample_bilinear2d", {x, h.ints({8, 16}), h.boolean(false), h.none()});
  REQUIRE(h.operationCodes() == concat(kInterpolate, kInterpolate));
  // Width 8 -> 16 along physical axis 2: src = d / 2 - 0.25, clamped at 0; weights [16, 1].
  const auto [w0, w1] = checkInterpolatedAxis(h, 0, h.operandOf(x), 2,
                                              {0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7},
                                              {1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 7}, {16, 1});
  CHECK(w1 == std::vector<float>{0, .25f, .75f, .25f, .75f, .25f, .75f, .25f, .75f, .25f, .75f, .25f, .75f, .25f,
                                 .75f, .25f});
  CHECK(w0[0] == 1.0f);
  CHECK(w0[1] == 0.75f);
  CHECK(h.operand(h.operation(4).outputs[0]).dims == std::vector<uint32_t>{1, 4, 16, 2});
  // Then height 4 -> 8 along axis 1 of the width pass's result; weights [8, 1, 1].
  const auto [h0, h1] = checkInterpolatedAxis(h, 5, h.operation(4).outputs[0], 1, {0, 0, 0, 1, 1, 2, 2, 3},
                                              {1, 1, 1, 2, 2, 3, 3, 3}, {8, 1, 1});
  CHECK(h1 == std::vector<float>{0, .25f, .75f, .25f, .75f, .25f, .75f, .25f});
  CHECK(h0 == std::vector<float>{1, .75f, .25f, .75f, .25f, .75f, .25f, .75f});
  CHECK(h.outputOperand() == h.operation(9).outputs[0]);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 8, 16, 2});
  CHECK(h.operand(h.outputOperand()).layout == Layout::ChannelsLast);
}

TEST_CASE("upsample_bilinear2d align_corners=True at Android 10 resizes only the axes that change", "[resize]") {
  LoweringHarness h(29);
  // Height 3 -> 5 (src = d / 2), width 6 unchanged by a scale factor of 1.
  const auto x = h.tensor({1, 2, 3, 6}, Layout::ChannelsLast);
  h.lower("aten::upsample_bilinear2d", {x, h.none(), h.boolean(true), h.constant(factors(5.0 / 3, 1.0))});
  REQUIRE(h.operationCodes() == kInterpolate);
  const auto [h0, h1] = checkInterpolatedAxis(h, 0, h.operandOf(x), 1, {0, 0, 1, 1, 2}, {1, 1, 2, 2, 2}, {5, 1, 1});
  CHECK(h0 == std::vector<float>{1, .5f, 1, .5f, 1});
  CHECK(h1 == std::vector<float>{0, .5f, 0, .5f, 0});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 5, 6, 2});
}

TEST_CASE("upsample_bilinear2d whose every element reads one pixel is one GATHER per axis", "[resize]") {
  LoweringHarness h(29);
  SECTION("7x7 -> 3x3 with align_corners=True: rows and columns 0, 3, 6") {
    const auto x = h.tensor({1, 2, 7, 7}, Layout::ChannelsLast);
    h.lower("aten::upsample_bilinear2d", {x, h.ints({3, 3}), h.boolean(true), h.none()});
    REQUIRE(h.operationCodes() == Codes{ANEURALNETWORKS_GATHER, ANEURALNETWORKS_GATHER});
    CHECK(h.scalarInt(h.operation(0).inputs[1]) == 2);
    CHECK(h.intValues(h.operation(0).inputs[2]) == Ints{0, 3, 6});
    CHECK(h.scalarInt(h.operation(1).inputs[1]) == 1);
    CHECK(h.intValues(h.operation(1).inputs[2]) == Ints{0, 3, 6});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 3, 3, 2});
  }
  SECTION("a 1-pixel height to 5 while the width needs interpolating (so no legacy RESIZE_BILINEAR)") {
    const auto x = h.tensor({1, 2, 1, 4}, Layout::ChannelsLast);
    h.lower("aten::upsample_bilinear2d", {x, h.ints({5, 8}), h.boolean(false), h.none()});
    REQUIRE(h.operationCodes() == concat(kInterpolate, {ANEURALNETWORKS_GATHER}));
    CHECK(h.scalarInt(h.operation(5).inputs[1]) == 1);
    CHECK(h.intValues(h.operation(5).inputs[2]) == Ints{0, 0, 0, 0, 0});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 5, 8, 2});
  }
}

TEST_CASE("upsample_bilinear2d keeps one legacy RESIZE_BILINEAR where its mapping is PyTorch's", "[resize]") {
  // A 1x1 map to 7x7: every mapping replicates pixel 0.
  const int level = GENERATE(27, 29);
  LoweringHarness h(level);
  const auto x = h.tensor({1, 2, 1, 1}, Layout::ChannelsLast);
  h.lower("aten::upsample_bilinear2d", {x, h.ints({7, 7}), h.boolean(false), h.none()});
  REQUIRE(h.operationCodes() == Codes{ANEURALNETWORKS_RESIZE_BILINEAR});
  // The NCHW input exists from Android 10 on; before, NHWC is the only layout.
  const std::vector<int32_t> params = level == 29 ? std::vector<int32_t>{7, 7, 0} : std::vector<int32_t>{7, 7};
  CHECK(resizeParams(h, h.operation(0)) == params);
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 7, 7, 2});
}

TEST_CASE("Android 11 takes the separable form where RESIZE's in/out is not PyTorch's scale", "[resize]") {
  LoweringHarness h(30);
  SECTION("bilinear, factor 1.5 on 7 pixels: 1/1.5 against 7/10") {
    const auto x = h.tensor({1, 2, 7, 7}, Layout::ChannelsLast);
    h.lower("aten::upsample_bilinear2d", {x, h.none(), h.boolean(false), h.constant(factors(1.5, 1.5))});
    REQUIRE(h.operationCodes() == concat(kInterpolate, kInterpolate));
    // Last width element: src = 9.5 / 1.5 - 0.5 = 5.83 (in/out would say 6.15).
    CHECK(h.intValues(h.operation(0).inputs[2]).back() == 5);
    CHECK(h.intValues(h.operation(1).inputs[2]).back() == 6);
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 10, 10, 2});
  }
  SECTION("nearest, factor 1.4 on 7 pixels: PyTorch reads 5 for element 8, NNAPI's 7/9 would read 6") {
    const auto x = h.tensor({1, 3, 7, 7}, Layout::ChannelsLast);
    h.lower("aten::upsample_nearest2d", {x, h.none(), h.constant(factors(1.4, 1.0))});
    // Width unchanged (factor 1): only the height's GATHER.
    REQUIRE(h.operationCodes() == Codes{ANEURALNETWORKS_GATHER});
    CHECK(h.scalarInt(h.operation(0).inputs[1]) == 1);
    CHECK(h.intValues(h.operation(0).inputs[2]) == Ints{0, 0, 1, 2, 2, 3, 4, 5, 5});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 9, 7, 3});
  }
}

TEST_CASE("_upsample_nearest_exact2d below Android 11 is one GATHER per axis", "[resize]") {
  LoweringHarness h(29);
  const auto x = h.tensor({1, 3, 8, 4}, Layout::ChannelsLast);
  h.lower("aten::_upsample_nearest_exact2d", {x, h.ints({3, 6}), h.none()});
  REQUIRE(h.operationCodes() == Codes{ANEURALNETWORKS_GATHER, ANEURALNETWORKS_GATHER});
  // Width 4 -> 6: floor((d + 0.5) * 2/3); height 8 -> 3: floor((d + 0.5) * 8/3).
  CHECK(h.intValues(h.operation(0).inputs[2]) == Ints{0, 1, 1, 2, 3, 3});
  CHECK(h.intValues(h.operation(1).inputs[2]) == Ints{1, 4, 6});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 3, 6, 3});
}

TEST_CASE("upsample_bilinear2d of an NCHW map transposes it once, then interpolates", "[resize]") {
  LoweringHarness h(29);
  const auto x = h.tensor({1, 2, 4, 4});
  h.lower("aten::upsample_bilinear2d", {x, h.ints({4, 6}), h.boolean(true), h.none()});
  REQUIRE(h.operationCodes() == concat({ANEURALNETWORKS_TRANSPOSE}, kInterpolate));
  CHECK(h.operation(1).inputs[0] == h.operation(0).outputs[0]);
}

TEST_CASE("upsample_bilinear2d refuses what it cannot compute", "[resize]") {
  SECTION("Android 9: no GATHER") {
    LoweringHarness h(28);
    const auto x = h.tensor({1, 2, 4, 4}, Layout::ChannelsLast);
    CHECK_THAT(h.unsupportedReason("aten::upsample_bilinear2d", {x, h.ints({8, 8}), h.boolean(false), h.none()}),
               Catch::Contains("uses GATHER on TENSOR_FLOAT32, which needs Android 10"));
  }
  SECTION("an output size and scale factors that read beyond the input") {
    // Width 4 -> 16 at scale 1/1: src up to 15.
    LoweringHarness h;
    const auto x = h.tensor({1, 2, 4, 4}, Layout::ChannelsLast);
    CHECK_THAT(h.unsupportedReason("aten::upsample_bilinear2d",
                                   {x, h.ints({4, 16}), h.boolean(false), h.none(), h.number(1.0)}),
               Catch::Contains("reads width 15 of an input of 4"));
  }
  SECTION("quantized input") {
    LoweringHarness h;
    const auto x = h.quantTensor({1, 2, 4, 4}, 0.1f, 3, Layout::ChannelsLast);
    CHECK_THAT(h.unsupportedReason("aten::upsample_bilinear2d", {x, h.ints({8, 8}), h.boolean(false), h.none()}),
               Catch::Contains("float32"));
  }
}
