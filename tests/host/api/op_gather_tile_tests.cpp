// GATHER and TILE (feature level 3): hand-computed results, the same bytes for quantized tensors, and the cases
// the rules and the executor refuse.
#include <catch2/catch.hpp>

#include <cstring>

#include "model_builder.h"

using host_test::ModelBuilder;
using host_test::requireClose;

namespace {

// x = [[1,2,3],[4,5,6]]
const std::vector<float> kSix{1, 2, 3, 4, 5, 6};

std::vector<float> run(ModelBuilder& m, uint32_t in, uint32_t out, const std::vector<float>& x, size_t n) {
  REQUIRE(m.io({in}, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
  std::vector<std::vector<float>> outputs;
  REQUIRE(host_test::runF32(m.model(), {x}, {n}, &outputs) == ANEURALNETWORKS_NO_ERROR);
  return outputs[0];
}

std::vector<uint8_t> bytesOf(const std::vector<int32_t>& values) {
  std::vector<uint8_t> bytes(values.size() * 4);
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

}  // namespace

TEST_CASE("GATHER along the last axis picks columns, repeats and reorders allowed") {
  ModelBuilder m;
  const uint32_t in = m.f32({2, 3}), out = m.f32({2, 3});
  REQUIRE(m.op(ANEURALNETWORKS_GATHER, {in, m.i32(-1), m.constI32Tensor({3}, {2, 0, 2})}, {out}) ==
          ANEURALNETWORKS_NO_ERROR);
  requireClose(run(m, in, out, kSix, 6), {3, 1, 3, 6, 4, 6});
}

TEST_CASE("GATHER with 2-D indices puts their shape in place of the axis") {
  ModelBuilder m;  // rows of x by indices [[1],[0],[1]]: shape [3,1,3]
  const uint32_t in = m.f32({2, 3}), out = m.f32({3, 1, 3});
  REQUIRE(m.op(ANEURALNETWORKS_GATHER, {in, m.i32(0), m.constI32Tensor({3, 1}, {1, 0, 1})}, {out}) ==
          ANEURALNETWORKS_NO_ERROR);
  requireClose(run(m, in, out, kSix, 9), {4, 5, 6, 1, 2, 3, 4, 5, 6});
}

TEST_CASE("GATHER moves quint8 bytes unchanged and keeps the quantization") {
  ModelBuilder m;
  const uint32_t in = m.tensor(ANEURALNETWORKS_TENSOR_QUANT8_ASYMM, {4}, 0.5f, 3);
  const uint32_t out = m.tensor(ANEURALNETWORKS_TENSOR_QUANT8_ASYMM, {2}, 0.5f, 3);
  REQUIRE(m.op(ANEURALNETWORKS_GATHER, {in, m.i32(0), m.constI32Tensor({2}, {3, 1})}, {out}) ==
          ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.io({in}, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
  std::vector<std::vector<uint8_t>> outputs;
  REQUIRE(host_test::runBytes(m.model(), {{10, 20, 30, 40}}, {2}, &outputs) == ANEURALNETWORKS_NO_ERROR);
  CHECK(outputs[0] == std::vector<uint8_t>{40, 20});
  ModelBuilder other;
  const uint32_t a = other.tensor(ANEURALNETWORKS_TENSOR_QUANT8_ASYMM, {4}, 0.5f, 3);
  const uint32_t b = other.tensor(ANEURALNETWORKS_TENSOR_QUANT8_ASYMM, {2}, 0.25f, 3);
  CHECK(other.op(ANEURALNETWORKS_GATHER, {a, other.i32(0), other.constI32Tensor({2}, {3, 1})}, {b}) ==
        ANEURALNETWORKS_BAD_DATA);
}

TEST_CASE("GATHER with run-time indices fails the execution on an index out of range") {
  for (const int32_t bad : {3, -1}) {
    ModelBuilder m;
    const uint32_t in = m.f32({3}), indices = m.tensor(ANEURALNETWORKS_TENSOR_INT32, {2}), out = m.f32({2});
    REQUIRE(m.op(ANEURALNETWORKS_GATHER, {in, m.i32(0), indices}, {out}) == ANEURALNETWORKS_NO_ERROR);
    REQUIRE(m.io({in, indices}, {out}) == ANEURALNETWORKS_NO_ERROR);
    REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
    std::vector<float> x{1, 2, 3};
    std::vector<uint8_t> xBytes(12);
    std::memcpy(xBytes.data(), x.data(), 12);
    std::vector<std::vector<uint8_t>> outputs;
    REQUIRE(host_test::runBytes(m.model(), {xBytes, bytesOf({2, 0})}, {8}, &outputs) == ANEURALNETWORKS_NO_ERROR);
    float got[2];
    std::memcpy(got, outputs[0].data(), 8);
    CHECK(got[0] == 3.0f);
    CHECK(got[1] == 1.0f);
    CHECK(host_test::runBytes(m.model(), {xBytes, bytesOf({0, bad})}, {8}, &outputs) == ANEURALNETWORKS_OP_FAILED);
  }
}

TEST_CASE("GATHER rejects an axis out of range and indices that are not TENSOR_INT32") {
  ModelBuilder m;
  const uint32_t in = m.f32({2, 3}), out = m.f32({2, 1});
  CHECK(m.op(ANEURALNETWORKS_GATHER, {in, m.i32(2), m.constI32Tensor({1}, {0})}, {out}) == ANEURALNETWORKS_BAD_DATA);
  CHECK(m.op(ANEURALNETWORKS_GATHER, {in, m.i32(1), m.constF32({1}, {0.0f})}, {out}) == ANEURALNETWORKS_BAD_DATA);
}

TEST_CASE("TILE repeats every axis its multiple of times") {
  ModelBuilder m;  // [[1,2],[3,4]] tiled (2, 3)
  const uint32_t in = m.f32({2, 2}), out = m.f32({4, 6});
  REQUIRE(m.op(ANEURALNETWORKS_TILE, {in, m.constI32Tensor({2}, {2, 3})}, {out}) == ANEURALNETWORKS_NO_ERROR);
  requireClose(run(m, in, out, {1, 2, 3, 4}, 24), {1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4,  //
                                                   1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4});
}

TEST_CASE("TILE of a size-1 middle axis broadcasts it; a multiple of 1 copies the axis as it is") {
  ModelBuilder m;  // [2,1,2] -> [2,3,2]
  const uint32_t in = m.f32({2, 1, 2}), out = m.f32({2, 3, 2});
  REQUIRE(m.op(ANEURALNETWORKS_TILE, {in, m.constI32Tensor({3}, {1, 3, 1})}, {out}) == ANEURALNETWORKS_NO_ERROR);
  requireClose(run(m, in, out, {1, 2, 3, 4}, 12), {1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4});
}

TEST_CASE("TILE rejects a multiple below 1 and a multiples tensor of the wrong length") {
  ModelBuilder m;
  const uint32_t in = m.f32({2, 2}), out = m.f32({2, 2});
  CHECK(m.op(ANEURALNETWORKS_TILE, {in, m.constI32Tensor({2}, {1, 0})}, {out}) == ANEURALNETWORKS_BAD_DATA);
  CHECK(m.op(ANEURALNETWORKS_TILE, {in, m.constI32Tensor({3}, {1, 1, 1})}, {out}) == ANEURALNETWORKS_BAD_DATA);
}

TEST_CASE("TILE rejects an output extent past uint32 instead of letting it wrap to a short output") {
  ModelBuilder m;  // 4 x 1073741825 = 2^32 + 4, which in 32 bits is 4: a [4,2] output the kernel would overrun
  const uint32_t in = m.f32({4, 2}), out = m.f32({4, 2});
  CHECK(m.op(ANEURALNETWORKS_TILE, {in, m.constI32Tensor({2}, {1073741825, 1})}, {out}) == ANEURALNETWORKS_BAD_DATA);
}
