// SPLIT and CHANNEL_SHUFFLE: results computed by hand, the rules' refusals, and their feature level.
#include <catch2/catch.hpp>

#include "model_builder.h"
#include "validation/feature_levels.h"

using host_test::ModelBuilder;
using host_test::requireClose;

namespace {

constexpr int32_t Q8A = ANEURALNETWORKS_TENSOR_QUANT8_ASYMM;

std::vector<std::vector<float>> runAll(ModelBuilder& m, uint32_t in, const std::vector<uint32_t>& outs,
                                       const std::vector<float>& x, size_t n) {
  REQUIRE(m.io({in}, outs) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
  std::vector<std::vector<float>> outputs;
  REQUIRE(host_test::runF32(m.model(), {x}, std::vector<size_t>(outs.size(), n), &outputs) == ANEURALNETWORKS_NO_ERROR);
  return outputs;
}

}  // namespace

TEST_CASE("SPLIT cuts an inner axis into equal pieces") {
  ModelBuilder m;  // [2,4] along axis 1 (given as -1) into 2: each row gives its halves
  const uint32_t in = m.f32({2, 4}), a = m.f32({2, 2}), b = m.f32({2, 2});
  REQUIRE(m.op(ANEURALNETWORKS_SPLIT, {in, m.i32(-1), m.i32(2)}, {a, b}) == ANEURALNETWORKS_NO_ERROR);
  const auto out = runAll(m, in, {a, b}, {1, 2, 3, 4, 5, 6, 7, 8}, 4);
  requireClose(out[0], {1, 2, 5, 6});
  requireClose(out[1], {3, 4, 7, 8});
}

TEST_CASE("SPLIT along the outer axis and the channels of an NHWC map") {
  std::vector<float> x(12);
  for (int i = 0; i < 12; ++i) x[i] = float(i);
  {
    ModelBuilder m;  // [3,2,2] along axis 0 into 3: consecutive blocks of 4
    const uint32_t in = m.f32({3, 2, 2}), a = m.f32({1, 2, 2}), b = m.f32({1, 2, 2}), c = m.f32({1, 2, 2});
    REQUIRE(m.op(ANEURALNETWORKS_SPLIT, {in, m.i32(0), m.i32(3)}, {a, b, c}) == ANEURALNETWORKS_NO_ERROR);
    const auto out = runAll(m, in, {a, b, c}, x, 4);
    requireClose(out[0], {0, 1, 2, 3});
    requireClose(out[2], {8, 9, 10, 11});
  }
  {
    ModelBuilder m;  // [1,1,3,4] (3 pixels of 4 channels) along axis 3 into 2: channels 0-1 and 2-3 of each pixel
    const uint32_t in = m.f32({1, 1, 3, 4}), a = m.f32({1, 1, 3, 2}), b = m.f32({1, 1, 3, 2});
    REQUIRE(m.op(ANEURALNETWORKS_SPLIT, {in, m.i32(3), m.i32(2)}, {a, b}) == ANEURALNETWORKS_NO_ERROR);
    const auto out = runAll(m, in, {a, b}, x, 6);
    requireClose(out[0], {0, 1, 4, 5, 8, 9});
    requireClose(out[1], {2, 3, 6, 7, 10, 11});
  }
}

TEST_CASE("CHANNEL_SHUFFLE: out[k*G + g] = in[g*(C/G) + k] along the axis") {
  {
    ModelBuilder m;  // 2 pixels of 6 channels, 2 groups of 3: 0 1 2 | 3 4 5 -> 0 3 1 4 2 5
    const uint32_t in = m.f32({1, 2, 6}), out = m.f32({1, 2, 6});
    REQUIRE(m.op(ANEURALNETWORKS_CHANNEL_SHUFFLE, {in, m.i32(2), m.i32(-1)}, {out}) == ANEURALNETWORKS_NO_ERROR);
    const auto y = runAll(m, in, {out}, {0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15}, 12);
    requireClose(y[0], {0, 3, 1, 4, 2, 5, 10, 13, 11, 14, 12, 15});
  }
  {
    ModelBuilder m;  // axis 0 of [6,2] into 3 groups of 2: rows 0 1 | 2 3 | 4 5 -> 0 2 4 1 3 5
    const uint32_t in = m.f32({6, 2}), out = m.f32({6, 2});
    REQUIRE(m.op(ANEURALNETWORKS_CHANNEL_SHUFFLE, {in, m.i32(3), m.i32(0)}, {out}) == ANEURALNETWORKS_NO_ERROR);
    const auto y = runAll(m, in, {out}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 12);
    requireClose(y[0], {0, 1, 4, 5, 8, 9, 2, 3, 6, 7, 10, 11});
  }
}

TEST_CASE("SPLIT and CHANNEL_SHUFFLE move quantized bytes and keep the quantization") {
  ModelBuilder m;
  const uint32_t in = m.tensor(Q8A, {1, 4}, 0.5f, 3), shuffled = m.tensor(Q8A, {1, 4}, 0.5f, 3);
  const uint32_t a = m.tensor(Q8A, {1, 2}, 0.5f, 3), b = m.tensor(Q8A, {1, 2}, 0.5f, 3);
  REQUIRE(m.op(ANEURALNETWORKS_CHANNEL_SHUFFLE, {in, m.i32(2), m.i32(1)}, {shuffled}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.op(ANEURALNETWORKS_SPLIT, {shuffled, m.i32(1), m.i32(2)}, {a, b}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.io({in}, {a, b}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
  std::vector<std::vector<uint8_t>> outputs;
  REQUIRE(host_test::runBytes(m.model(), {{10, 20, 30, 40}}, {2, 2}, &outputs) == ANEURALNETWORKS_NO_ERROR);
  CHECK(outputs[0] == std::vector<uint8_t>{10, 30});  // shuffled: 10 30 20 40
  CHECK(outputs[1] == std::vector<uint8_t>{20, 40});
  // An output quantized differently is refused.
  ModelBuilder other;
  const uint32_t x = other.tensor(Q8A, {1, 4}, 0.5f, 3), y = other.tensor(Q8A, {1, 4}, 0.25f, 3);
  CHECK(other.op(ANEURALNETWORKS_CHANNEL_SHUFFLE, {x, other.i32(2), other.i32(1)}, {y}) != ANEURALNETWORKS_NO_ERROR);
}

TEST_CASE("SPLIT and CHANNEL_SHUFFLE refuse groups and pieces that do not divide the axis") {
  ModelBuilder m;
  const uint32_t in = m.f32({2, 6});
  const uint32_t p3a = m.f32({2, 3}), p3b = m.f32({2, 3});
  std::vector<uint32_t> quarters;
  for (int i = 0; i < 4; ++i) quarters.push_back(m.f32({2, 1}));
  CHECK(m.op(ANEURALNETWORKS_SPLIT, {in, m.i32(1), m.i32(4)}, quarters) != ANEURALNETWORKS_NO_ERROR);
  CHECK(m.op(ANEURALNETWORKS_SPLIT, {in, m.i32(1), m.i32(3)}, {p3a, p3b}) != ANEURALNETWORKS_NO_ERROR);  // 2 outputs
  CHECK(m.op(ANEURALNETWORKS_SPLIT, {in, m.i32(2), m.i32(2)}, {p3a, p3b}) != ANEURALNETWORKS_NO_ERROR);  // no axis 2
  CHECK(m.op(ANEURALNETWORKS_SPLIT, {in, m.i32(1), m.i32(0)}, {}) != ANEURALNETWORKS_NO_ERROR);
  const uint32_t out = m.f32({2, 6});
  CHECK(m.op(ANEURALNETWORKS_CHANNEL_SHUFFLE, {in, m.i32(4), m.i32(1)}, {out}) != ANEURALNETWORKS_NO_ERROR);
  CHECK(m.op(ANEURALNETWORKS_CHANNEL_SHUFFLE, {in, m.i32(0), m.i32(1)}, {out}) != ANEURALNETWORKS_NO_ERROR);
  CHECK(m.op(ANEURALNETWORKS_SPLIT, {in, m.i32(1), m.i32(2)}, {p3a, p3b}) == ANEURALNETWORKS_NO_ERROR);
}

TEST_CASE("SPLIT and CHANNEL_SHUFFLE need feature level 3") {
  using nnapi_rules::operationLevel;
  CHECK(operationLevel(ANEURALNETWORKS_SPLIT, ANEURALNETWORKS_TENSOR_FLOAT32) == nnapi_rules::kFeatureLevel3);
  CHECK(operationLevel(ANEURALNETWORKS_SPLIT, Q8A) == nnapi_rules::kFeatureLevel3);
  CHECK(operationLevel(ANEURALNETWORKS_CHANNEL_SHUFFLE, ANEURALNETWORKS_TENSOR_FLOAT32) == nnapi_rules::kFeatureLevel3);
  CHECK(operationLevel(ANEURALNETWORKS_CHANNEL_SHUFFLE, ANEURALNETWORKS_TENSOR_QUANT8_ASYMM_SIGNED) ==
        nnapi_rules::kFeatureLevel4);
}
