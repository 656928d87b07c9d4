// MIRROR_PAD (feature level 7): hand-computed REFLECT and SYMMETRIC padding, bytes moved unchanged for quantized
// tensors, and the operand lists the rule refuses.
#include <catch2/catch.hpp>

#include "model_builder.h"

using host_test::ModelBuilder;
using host_test::requireClose;

namespace {

constexpr int32_t kReflect = 0, kSymmetric = 1;

int addMirrorPad(ModelBuilder& m, uint32_t in, const host_test::Dims& outDims, const std::vector<int32_t>& pads,
                 int32_t mode, uint32_t* out) {
  *out = m.f32(outDims);
  const uint32_t paddings = m.constI32Tensor({uint32_t(pads.size() / 2), 2}, pads);
  return m.op(ANEURALNETWORKS_MIRROR_PAD, {in, paddings, m.i32(mode)}, {*out});
}

std::vector<float> mirrorPad(const host_test::Dims& inDims, const std::vector<float>& x, const host_test::Dims& outDims,
                             const std::vector<int32_t>& pads, int32_t mode) {
  ModelBuilder m;
  const uint32_t in = m.f32(inDims);
  uint32_t out = 0;
  REQUIRE(addMirrorPad(m, in, outDims, pads, mode, &out) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.io({in}, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
  size_t n = 1;
  for (uint32_t d : outDims) n *= d;
  std::vector<std::vector<float>> outputs;
  REQUIRE(host_test::runF32(m.model(), {x}, {n}, &outputs) == ANEURALNETWORKS_NO_ERROR);
  return outputs[0];
}

}  // namespace

TEST_CASE("MIRROR_PAD REFLECT mirrors around the edge element, on every padded axis") {
  // [[1,2,3],[4,5,6]] padded (1,1) rows and (2,2) columns: rows 1 0 1 0, columns 2 1 0 1 2 1 0.
  requireClose(mirrorPad({2, 3}, {1, 2, 3, 4, 5, 6}, {4, 7}, {1, 1, 2, 2}, kReflect),
               {6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1, 6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1});
}

TEST_CASE("MIRROR_PAD SYMMETRIC repeats the edge element, up to the whole extent per side") {
  // [1,2,3] padded (2,3): indices 1 0 | 0 1 2 | 2 1 0.
  requireClose(mirrorPad({3}, {1, 2, 3}, {8}, {2, 3}, kSymmetric), {2, 1, 1, 2, 3, 3, 2, 1});
}

TEST_CASE("MIRROR_PAD of a 4-D map pads only the axes given non-zero padding") {
  // [1,2,2,1] NHWC [[1,2],[3,4]] padded (0,0),(1,0),(0,1),(0,0) REFLECT: rows 1 0 1, columns 0 1 0.
  requireClose(mirrorPad({1, 2, 2, 1}, {1, 2, 3, 4}, {1, 3, 3, 1}, {0, 0, 1, 0, 0, 1, 0, 0}, kReflect),
               {3, 4, 3, 1, 2, 1, 3, 4, 3});
}

TEST_CASE("MIRROR_PAD moves quint8 bytes unchanged and keeps the quantization") {
  ModelBuilder m;
  const uint32_t in = m.tensor(ANEURALNETWORKS_TENSOR_QUANT8_ASYMM, {3}, 0.5f, 3);
  const uint32_t out = m.tensor(ANEURALNETWORKS_TENSOR_QUANT8_ASYMM, {5}, 0.5f, 3);
  REQUIRE(m.op(ANEURALNETWORKS_MIRROR_PAD, {in, m.constI32Tensor({1, 2}, {1, 1}), m.i32(kReflect)}, {out}) ==
          ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.io({in}, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
  std::vector<std::vector<uint8_t>> outputs;
  REQUIRE(host_test::runBytes(m.model(), {{10, 20, 30}}, {5}, &outputs) == ANEURALNETWORKS_NO_ERROR);
  CHECK(outputs[0] == std::vector<uint8_t>{20, 10, 20, 30, 20});
}

TEST_CASE("MIRROR_PAD refuses padding beyond the mode's limit, other modes and paddings of another rank") {
  ModelBuilder m;
  const uint32_t in = m.f32({3});
  uint32_t out = 0;
  CHECK(addMirrorPad(m, in, {6}, {1, 2}, kReflect, &out) == ANEURALNETWORKS_NO_ERROR);
  CHECK(addMirrorPad(m, in, {6}, {3, 0}, kSymmetric, &out) == ANEURALNETWORKS_NO_ERROR);
  CHECK(addMirrorPad(m, in, {6}, {3, 0}, kReflect, &out) == ANEURALNETWORKS_BAD_DATA);  // REFLECT: at most 2
  CHECK(addMirrorPad(m, in, {7}, {4, 0}, kSymmetric, &out) == ANEURALNETWORKS_BAD_DATA);  // SYMMETRIC: at most 3
  CHECK(addMirrorPad(m, in, {6}, {1, 2}, 2, &out) == ANEURALNETWORKS_BAD_DATA);
  CHECK(addMirrorPad(m, in, {6}, {1, 2, 0, 0}, kReflect, &out) == ANEURALNETWORKS_BAD_DATA);
}
