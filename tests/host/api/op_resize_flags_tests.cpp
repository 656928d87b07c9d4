// RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR under every align_corners / half_pixel_centers combination NNAPI
// allows, computed by hand with the reference's formulas (TFLite's reference kernels, which AOSP's
// ResizeImageOps.cpp calls): scale = (align && out > 1) ? (in-1)/(out-1) : in/out; bilinear source
// half ? (o+0.5)*scale-0.5 : o*scale with the lower tap clamped to 0 and the upper to in-1; nearest
// f = half ? (o+0.5)*scale : o*scale, then align ? round(f) : floor(f), clamped to [0, in-1].
#include <catch2/catch.hpp>

#include "model_builder.h"

using host_test::ModelBuilder;
using host_test::requireClose;

namespace {

// Resizes a [1,1,W,1] row (NHWC) to width `out_w` with the given flags (none: the 3- or 4-input form).
std::vector<float> resizeRow(int32_t op, const std::vector<float>& row, uint32_t out_w, int flags) {
  ModelBuilder m;
  const uint32_t in = m.f32({1, 1, uint32_t(row.size()), 1}), out = m.f32({1, 1, out_w, 1});
  std::vector<uint32_t> inputs = {in, m.i32(int32_t(out_w)), m.i32(1), m.boolean(false)};
  if (flags >= 0) {
    inputs.push_back(m.boolean(flags == 1));  // align_corners
    inputs.push_back(m.boolean(flags == 2));  // half_pixel_centers
  }
  REQUIRE(m.op(op, inputs, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.io({in}, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
  std::vector<std::vector<float>> outputs;
  REQUIRE(host_test::runF32(m.model(), {row}, {out_w}, &outputs) == ANEURALNETWORKS_NO_ERROR);
  return outputs[0];
}

constexpr int kNoFlags = -1, kBothFalse = 0, kAlignCorners = 1, kHalfPixel = 2;
const std::vector<float> kRow4 = {0, 10, 20, 30};

}  // namespace

TEST_CASE("RESIZE_BILINEAR 4 -> 3 under each flag combination") {
  // in/out = 4/3: sources 0, 4/3, 8/3.
  const std::vector<float> plain = {0, 40.0f / 3, 80.0f / 3};
  requireClose(resizeRow(ANEURALNETWORKS_RESIZE_BILINEAR, kRow4, 3, kNoFlags), plain);
  requireClose(resizeRow(ANEURALNETWORKS_RESIZE_BILINEAR, kRow4, 3, kBothFalse), plain);
  // (4-1)/(3-1) = 1.5: sources 0, 1.5, 3.
  requireClose(resizeRow(ANEURALNETWORKS_RESIZE_BILINEAR, kRow4, 3, kAlignCorners), {0, 15, 30});
  // (o+0.5)*4/3-0.5: sources 1/6, 1.5, 17/6.
  requireClose(resizeRow(ANEURALNETWORKS_RESIZE_BILINEAR, kRow4, 3, kHalfPixel), {10.0f / 6, 15, 170.0f / 6});
}

TEST_CASE("RESIZE_BILINEAR with half_pixel_centers clamps the sources outside the row to its ends") {
  // 2 -> 4, scale 0.5: sources -0.25, 0.25, 0.75, 1.25; the first reads only pixel 0, the last only pixel 1.
  requireClose(resizeRow(ANEURALNETWORKS_RESIZE_BILINEAR, {0, 10}, 4, kHalfPixel), {0, 2.5f, 7.5f, 10});
  // align_corners with one output pixel: scale in/out, source 0.
  requireClose(resizeRow(ANEURALNETWORKS_RESIZE_BILINEAR, kRow4, 1, kAlignCorners), {0});
}

TEST_CASE("RESIZE_NEAREST_NEIGHBOR 4 -> 6 under each flag combination") {
  // scale 2/3: floor(0, .67, 1.33, 2, 2.67, 3.33) = 0, 0, 1, 2, 2, 3.
  const std::vector<float> plain = {0, 0, 10, 20, 20, 30};
  requireClose(resizeRow(ANEURALNETWORKS_RESIZE_NEAREST_NEIGHBOR, kRow4, 6, kNoFlags), plain);
  requireClose(resizeRow(ANEURALNETWORKS_RESIZE_NEAREST_NEIGHBOR, kRow4, 6, kBothFalse), plain);
  // scale 3/5: round(0, .6, 1.2, 1.8, 2.4, 3) = 0, 1, 1, 2, 2, 3.
  requireClose(resizeRow(ANEURALNETWORKS_RESIZE_NEAREST_NEIGHBOR, kRow4, 6, kAlignCorners), {0, 10, 10, 20, 20, 30});
  // floor((o+0.5)*2/3) = floor(.33, 1, 1.67, 2.33, 3, 3.67) = 0, 1, 1, 2, 3, 3.
  requireClose(resizeRow(ANEURALNETWORKS_RESIZE_NEAREST_NEIGHBOR, kRow4, 6, kHalfPixel), {0, 10, 10, 20, 30, 30});
}

TEST_CASE("RESIZE_NEAREST_NEIGHBOR 4 -> 3: half_pixel_centers rounds down, align_corners to nearest") {
  // plain floor(0, 1.33, 2.67) = 0, 1, 2; align round(0, 1.5, 3) = 0, 2, 3; half floor(.67, 2, 3.33) = 0, 2, 3.
  requireClose(resizeRow(ANEURALNETWORKS_RESIZE_NEAREST_NEIGHBOR, kRow4, 3, kBothFalse), {0, 10, 20});
  requireClose(resizeRow(ANEURALNETWORKS_RESIZE_NEAREST_NEIGHBOR, kRow4, 3, kAlignCorners), {0, 20, 30});
  requireClose(resizeRow(ANEURALNETWORKS_RESIZE_NEAREST_NEIGHBOR, kRow4, 3, kHalfPixel), {0, 20, 30});
}

TEST_CASE("RESIZE_* refuse align_corners and half_pixel_centers together") {
  for (const int32_t op : {ANEURALNETWORKS_RESIZE_BILINEAR, ANEURALNETWORKS_RESIZE_NEAREST_NEIGHBOR}) {
    ModelBuilder m;
    const uint32_t in = m.f32({1, 2, 2, 1}), out = m.f32({1, 4, 4, 1});
    CHECK(m.op(op, {in, m.i32(4), m.i32(4), m.boolean(false), m.boolean(true), m.boolean(true)}, {out}) ==
          ANEURALNETWORKS_BAD_DATA);
  }
}
