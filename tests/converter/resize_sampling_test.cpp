// The per-axis taps of a resize as PyTorch's CPU kernels compute them (ops/resize_sampling.h), hand-computed: the
// scale in float (1/factor when given and align_corners=False, in/out otherwise, (in-1)/(out-1) with
// align_corners=True), the source position in double, clamped at 0, index0 = its integer part, index1 the next one
// up to in-1, weight1 its fraction, weight0 = 1 - weight1 in float.
#include <catch2/catch.hpp>

#include "ops/resize_sampling.h"

using nnc::AxisForm;
using nnc::AxisSampling;
using nnc::ResizeAxis;

namespace {

using Ints = std::vector<int32_t>;
using Floats = std::vector<float>;

// Each weight within a float rounding of the hand-computed decimal; an exact decimal is checked exactly.
void checkWeights(const Floats& got, const Floats& want) {
  REQUIRE(got.size() == want.size());
  for (size_t d = 0; d < want.size(); ++d) {
    INFO("element " << d);
    CHECK(got[d] == Approx(want[d]).margin(1e-7f).epsilon(1e-6f));
  }
}

}  // namespace

TEST_CASE("bilinear x2, align_corners=False: src = (d + 0.5) / 2 - 0.5, clamped at 0", "[resize_sampling]") {
  const ResizeAxis a{4, 8, std::nullopt};
  const AxisSampling s = nnc::bilinearSampling(a, false);
  // src: -0.25 -> 0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3.25 (index1 stays at in - 1 = 3).
  CHECK(s.index0 == Ints{0, 0, 0, 1, 1, 2, 2, 3});
  CHECK(s.index1 == Ints{1, 1, 1, 2, 2, 3, 3, 3});
  CHECK(s.weight1 == Floats{0, 0.25f, 0.75f, 0.25f, 0.75f, 0.25f, 0.75f, 0.25f});
  CHECK(s.weight0 == Floats{1, 0.75f, 0.25f, 0.75f, 0.25f, 0.75f, 0.25f, 0.75f});
  CHECK(nnc::axisForm(a, s) == AxisForm::Interpolate);
}

TEST_CASE("bilinear x2 (3 -> 5), align_corners=True: src = d * (in-1)/(out-1) = d / 2", "[resize_sampling]") {
  const ResizeAxis a{3, 5, std::nullopt};
  const AxisSampling s = nnc::bilinearSampling(a, true);
  CHECK(s.index0 == Ints{0, 0, 1, 1, 2});
  CHECK(s.index1 == Ints{1, 1, 2, 2, 2});
  CHECK(s.weight1 == Floats{0, 0.5f, 0, 0.5f, 0});
  CHECK(s.weight0 == Floats{1, 0.5f, 1, 0.5f, 1});
  CHECK(nnc::axisForm(a, s) == AxisForm::Interpolate);
}

TEST_CASE("bilinear by scale factor 1.5: the scale is 1/1.5, not in/out", "[resize_sampling]") {
  SECTION("4 -> 6, where 1/1.5 is 4/6") {
    const ResizeAxis a{4, 6, 1.5};
    const AxisSampling s = nnc::bilinearSampling(a, false);
    // src = (d + 0.5) * 2/3 - 0.5: -1/6 -> 0, 0.5, 7/6, 11/6, 2.5, 19/6.
    CHECK(s.index0 == Ints{0, 0, 1, 1, 2, 3});
    CHECK(s.index1 == Ints{1, 1, 2, 2, 3, 3});
    checkWeights(s.weight1, {0, 0.5f, 1.0f / 6, 5.0f / 6, 0.5f, 1.0f / 6});
    checkWeights(s.weight0, {1, 0.5f, 5.0f / 6, 1.0f / 6, 0.5f, 5.0f / 6});
  }
  SECTION("7 -> 10, where in/out would be 0.7") {
    const ResizeAxis a{7, 10, 1.5};
    const AxisSampling s = nnc::bilinearSampling(a, false);
    // Last element: src = 9.5 * 2/3 - 0.5 = 35/6 = 5.8333 (in/out would give 6.15).
    CHECK(s.index0.back() == 5);
    CHECK(s.index1.back() == 6);
    checkWeights({s.weight1.back()}, {5.0f / 6});
  }
}

TEST_CASE("bilinear downsampling 7 -> 3", "[resize_sampling]") {
  SECTION("align_corners=False: scale float(7/3) = 2.33333325") {
    const ResizeAxis a{7, 3, std::nullopt};
    const AxisSampling s = nnc::bilinearSampling(a, false);
    // src = (d + 0.5) * 2.33333325 - 0.5: 0.6666666, 2.99999988 (just below 3: the float scale is below 7/3),
    // 5.3333331.
    CHECK(s.index0 == Ints{0, 2, 5});
    CHECK(s.index1 == Ints{1, 3, 6});
    CHECK(s.weight1[1] == 1.0f - 0x1p-23f);  // 2.99999988 - 2, exactly
    CHECK(s.weight0[1] == 0x1p-23f);
    checkWeights(s.weight1, {2.0f / 3, 1, 1.0f / 3});
    CHECK(nnc::axisForm(a, s) == AxisForm::Interpolate);
  }
  SECTION("align_corners=True: src = 3d, whole pixels: one GATHER") {
    const ResizeAxis a{7, 3, std::nullopt};
    const AxisSampling s = nnc::bilinearSampling(a, true);
    CHECK(s.index0 == Ints{0, 3, 6});
    CHECK(s.weight1 == Floats{0, 0, 0});
    CHECK(nnc::axisForm(a, s) == AxisForm::Gather);
  }
}

TEST_CASE("bilinear from one pixel (1 -> 5) reads pixel 0 everywhere: one GATHER", "[resize_sampling]") {
  const ResizeAxis a{1, 5, std::nullopt};
  SECTION("align_corners=False") {
    const AxisSampling s = nnc::bilinearSampling(a, false);
    // src = (d + 0.5) * 0.2 - 0.5: -0.4, -0.2 -> 0, then 0.0000000075 (float(0.2) is above 0.2), 0.2, 0.4; both taps
    // read pixel 0 and the weights sum to 1.
    CHECK(s.index0 == Ints{0, 0, 0, 0, 0});
    CHECK(s.index1 == Ints{0, 0, 0, 0, 0});
    checkWeights(s.weight1, {0, 0, 0, 0.2f, 0.4f});
    CHECK(s.weight1[3] + s.weight0[3] == 1.0f);
    CHECK(nnc::axisForm(a, s) == AxisForm::Gather);
  }
  SECTION("align_corners=True") {
    const AxisSampling s = nnc::bilinearSampling(a, true);
    CHECK(s.index0 == Ints{0, 0, 0, 0, 0});
    CHECK(s.weight1 == Floats{0, 0, 0, 0, 0});
    CHECK(nnc::axisForm(a, s) == AxisForm::Gather);
  }
}

TEST_CASE("an unchanged extent is copied whatever the scale factor", "[resize_sampling]") {
  // 5 by factor 1.1: floor(5.5) = 5; PyTorch copies although 1/1.1 would map element 4 to 3.6.
  const ResizeAxis a{5, 5, 1.1};
  const AxisSampling bilinear = nnc::bilinearSampling(a, false);
  CHECK(bilinear.index0 == Ints{0, 1, 2, 3, 4});
  CHECK(nnc::axisForm(a, bilinear) == AxisForm::Identity);
  const AxisSampling nearest = nnc::nearestSampling(a, false);
  CHECK(nearest.index0 == Ints{0, 1, 2, 3, 4});
  CHECK(nnc::axisForm(a, nearest) == AxisForm::Identity);
}

TEST_CASE("nearest: floor(d * scale) in float, with PyTorch's x1 and x2 shortcuts", "[resize_sampling]") {
  SECTION("7 by factor 1.4 -> 9: scale float(1/1.4) = 0.71428573") {
    const ResizeAxis a{7, 9, 1.4};
    const AxisSampling s = nnc::nearestSampling(a, false);
    // d * 0.71428573: 0, 0.71, 1.43, 2.14, 2.86, 3.57, 4.29, 5.0000001, 5.71.
    CHECK(s.index0 == Ints{0, 0, 1, 2, 2, 3, 4, 5, 5});
    CHECK(s.weight0 == Floats(9, 1.0f));
    CHECK(nnc::axisForm(a, s) == AxisForm::Gather);
  }
  SECTION("3 -> 6 is d >> 1") {
    const ResizeAxis a{3, 6, std::nullopt};
    CHECK(nnc::nearestSampling(a, false).index0 == Ints{0, 0, 1, 1, 2, 2});
  }
  SECTION("nearest-exact 4 -> 6: floor((d + 0.5) * 2/3)") {
    const ResizeAxis a{4, 6, std::nullopt};
    // 0.33, 1.0000001, 1.67, 2.33, 3.0000002, 3.67.
    CHECK(nnc::nearestSampling(a, true).index0 == Ints{0, 1, 1, 2, 3, 3});
  }
  SECTION("nearest-exact downsampling 8 -> 3 stays inside: min(floor((d + 0.5) * 8/3), 7)") {
    const ResizeAxis a{8, 3, std::nullopt};
    CHECK(nnc::nearestSampling(a, true).index0 == Ints{1, 4, 6});
  }
}
