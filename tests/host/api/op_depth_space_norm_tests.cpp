// DEPTH_TO_SPACE, SPACE_TO_DEPTH and INSTANCE_NORMALIZATION, computed by hand from the reference's definitions
// (TFLite's depth/space kernels; AOSP's InstanceNormalization.cpp).
#include <cmath>

#include <catch2/catch.hpp>

#include "model_builder.h"

using host_test::Dims;
using host_test::ModelBuilder;
using host_test::requireClose;

namespace {

std::vector<float> run(ModelBuilder& m, uint32_t in, uint32_t out, const std::vector<float>& x) {
  REQUIRE(m.io({in}, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
  std::vector<std::vector<float>> outputs;
  REQUIRE(host_test::runF32(m.model(), {x}, {x.size()}, &outputs) == ANEURALNETWORKS_NO_ERROR);
  return outputs[0];
}

// The deep tensor: NHWC [1,1,2,4], pixel w holds depths 4w..4w+3. With block 2 the wide tensor is [1,2,4,1]:
// wide[i][2w + j] = deep[w][i*2 + j], so row 0 reads depths 0,1 of each pixel and row 1 depths 2,3.
const std::vector<float> kDeep = {0, 1, 2, 3, 4, 5, 6, 7};
const std::vector<float> kWide = {0, 1, 4, 5, 2, 3, 6, 7};
// The same deep tensor stored NCHW [1,4,1,2]: channel c holds pixels (c, 4 + c).
const std::vector<float> kDeepNchw = {0, 4, 1, 5, 2, 6, 3, 7};

}  // namespace

TEST_CASE("DEPTH_TO_SPACE spreads each pixel's depth over a block, row-major") {
  for (const bool nchw : {false, true}) {
    ModelBuilder m;  // one output channel: both layouts hold the wide tensor alike
    const uint32_t in = m.f32(nchw ? Dims{1, 4, 1, 2} : Dims{1, 1, 2, 4});
    const uint32_t out = m.f32(nchw ? Dims{1, 1, 2, 4} : Dims{1, 2, 4, 1});
    REQUIRE(m.op(ANEURALNETWORKS_DEPTH_TO_SPACE, {in, m.i32(2), m.boolean(nchw)}, {out}) == 0);
    requireClose(run(m, in, out, nchw ? kDeepNchw : kDeep), kWide);
  }
}

TEST_CASE("SPACE_TO_DEPTH gathers each block into one pixel's depth, the inverse of DEPTH_TO_SPACE") {
  for (const bool nchw : {false, true}) {
    ModelBuilder m;
    const uint32_t in = m.f32(nchw ? Dims{1, 1, 2, 4} : Dims{1, 2, 4, 1});
    const uint32_t out = m.f32(nchw ? Dims{1, 4, 1, 2} : Dims{1, 1, 2, 4});
    REQUIRE(m.op(ANEURALNETWORKS_SPACE_TO_DEPTH, {in, m.i32(2), m.boolean(nchw)}, {out}) == 0);
    requireClose(run(m, in, out, kWide), nchw ? kDeepNchw : kDeep);
  }
}

TEST_CASE("DEPTH_TO_SPACE and SPACE_TO_DEPTH infer shapes and refuse blocks that do not divide") {
  {
    ModelBuilder m;  // depth 6 is not a multiple of 2*2
    const uint32_t in = m.f32({1, 2, 2, 6}), out = m.f32({});
    CHECK(m.op(ANEURALNETWORKS_DEPTH_TO_SPACE, {in, m.i32(2)}, {out}) == ANEURALNETWORKS_BAD_DATA);
  }
  {
    ModelBuilder m;  // height 3 is not a multiple of 2
    const uint32_t in = m.f32({1, 3, 4, 1}), out = m.f32({});
    CHECK(m.op(ANEURALNETWORKS_SPACE_TO_DEPTH, {in, m.i32(2)}, {out}) == ANEURALNETWORKS_BAD_DATA);
  }
  {
    ModelBuilder m;
    const uint32_t in = m.f32({1, 2, 2, 4}), out = m.f32({});
    CHECK(m.op(ANEURALNETWORKS_DEPTH_TO_SPACE, {in, m.i32(0)}, {out}) == ANEURALNETWORKS_BAD_DATA);
  }
  {
    ModelBuilder m;  // 3x3 blocks: [1,2,3,18] -> [1,6,9,2]; a wrong declared shape is refused
    const uint32_t in = m.f32({1, 2, 3, 18}), out = m.f32({1, 6, 9, 3});
    CHECK(m.op(ANEURALNETWORKS_DEPTH_TO_SPACE, {in, m.i32(3)}, {out}) == ANEURALNETWORKS_BAD_DATA);
  }
}

TEST_CASE("INSTANCE_NORMALIZATION normalizes each channel of each image over H*W, in both layouts") {
  // Channel 0 holds 1, 3: mean 2, population variance 1, sigma sqrt(1 + 0.21) = 1.1; gamma 2, beta 0.5 give
  // (x - 2) * 2 / 1.1 + 0.5. Channel 1 holds 10, 10: variance 0, every output is beta.
  const float low = -2.0f / 1.1f + 0.5f, high = 2.0f / 1.1f + 0.5f;
  for (const bool nchw : {false, true}) {
    ModelBuilder m;
    const Dims dims = nchw ? Dims{1, 2, 1, 2} : Dims{1, 1, 2, 2};
    const uint32_t in = m.f32(dims), out = m.f32(dims);
    REQUIRE(m.op(ANEURALNETWORKS_INSTANCE_NORMALIZATION,
                 {in, m.f32Scalar(2.0f), m.f32Scalar(0.5f), m.f32Scalar(0.21f), m.boolean(nchw)}, {out}) == 0);
    if (nchw)
      requireClose(run(m, in, out, {1, 3, 10, 10}), {low, high, 0.5f, 0.5f});
    else
      requireClose(run(m, in, out, {1, 10, 3, 10}), {low, 0.5f, high, 0.5f});
  }
}

TEST_CASE("INSTANCE_NORMALIZATION takes scalar gamma and beta and a mandatory layout, rank 4") {
  {
    ModelBuilder m;  // no layout input
    const uint32_t in = m.f32({1, 2, 2, 1}), out = m.f32({1, 2, 2, 1});
    CHECK(m.op(ANEURALNETWORKS_INSTANCE_NORMALIZATION, {in, m.f32Scalar(1), m.f32Scalar(0), m.f32Scalar(1e-5f)},
               {out}) == ANEURALNETWORKS_BAD_DATA);
  }
  {
    ModelBuilder m;  // per-channel gamma is not NNAPI's
    const uint32_t in = m.f32({1, 2, 2, 2}), out = m.f32({1, 2, 2, 2});
    CHECK(m.op(ANEURALNETWORKS_INSTANCE_NORMALIZATION,
               {in, m.constF32({2}, {1, 1}), m.f32Scalar(0), m.f32Scalar(1e-5f), m.boolean(false)},
               {out}) == ANEURALNETWORKS_BAD_DATA);
  }
  {
    ModelBuilder m;
    const uint32_t in = m.f32({2, 2, 2}), out = m.f32({2, 2, 2});
    CHECK(m.op(ANEURALNETWORKS_INSTANCE_NORMALIZATION,
               {in, m.f32Scalar(1), m.f32Scalar(0), m.f32Scalar(1e-5f), m.boolean(false)},
               {out}) == ANEURALNETWORKS_BAD_DATA);
  }
}
