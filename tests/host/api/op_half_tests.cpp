// TENSOR_FLOAT16 operations, computed in float32 and converted back (values exact in binary16).
#include <cstring>

#include <catch2/catch.hpp>

#include "model_builder.h"

using host_test::ModelBuilder;

namespace {

constexpr int32_t F16 = ANEURALNETWORKS_TENSOR_FLOAT16;
// binary16 encodings
constexpr uint16_t kHalf = 0x3800, kOne = 0x3C00, kOneAndHalf = 0x3E00, kTwo = 0x4000, kTwoAndHalf = 0x4100,
                   kThree = 0x4200;

std::vector<uint8_t> bytes(const std::vector<uint16_t>& halves) {
  std::vector<uint8_t> b(halves.size() * 2);
  std::memcpy(b.data(), halves.data(), b.size());
  return b;
}

std::vector<uint16_t> run(ModelBuilder& m, const std::vector<uint32_t>& ins, uint32_t out,
                          const std::vector<std::vector<uint16_t>>& x, size_t n) {
  REQUIRE(m.io(ins, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
  std::vector<std::vector<uint8_t>> inputs, outputs;
  for (const auto& v : x) inputs.push_back(bytes(v));
  REQUIRE(host_test::runBytes(m.model(), inputs, {n * 2}, &outputs) == ANEURALNETWORKS_NO_ERROR);
  std::vector<uint16_t> result(n);
  std::memcpy(result.data(), outputs[0].data(), n * 2);
  return result;
}

}  // namespace

TEST_CASE("TENSOR_FLOAT16 ADD") {
  ModelBuilder m;
  const uint32_t a = m.tensor(F16, {2}), b = m.tensor(F16, {2}), out = m.tensor(F16, {2});
  REQUIRE(m.op(ANEURALNETWORKS_ADD, {a, b, m.i32(0)}, {out}) == 0);
  // (1 + 2, 0.5 + 2.5)
  CHECK(run(m, {a, b}, out, {{kOne, kHalf}, {kTwo, kTwoAndHalf}}, 2) == std::vector<uint16_t>{kThree, kThree});
}

TEST_CASE("TENSOR_FLOAT16 CONV_2D with constant filter and bias") {
  ModelBuilder m;
  const uint32_t in = m.tensor(F16, {1, 1, 2, 1}), out = m.tensor(F16, {1, 1, 2, 1});
  const uint32_t filter = m.constTensor(F16, {1, 1, 1, 1}, 0, 0, &kTwo, 2);
  const uint32_t bias = m.constTensor(F16, {1}, 0, 0, &kHalf, 2);
  REQUIRE(m.op(ANEURALNETWORKS_CONV_2D,
               {in, filter, bias, m.i32(ANEURALNETWORKS_PADDING_VALID), m.i32(1), m.i32(1), m.i32(0)}, {out}) == 0);
  // 2x + 0.5 for x = 1 and 0.5
  CHECK(run(m, {in}, out, {{kOne, kHalf}}, 2) == std::vector<uint16_t>{kTwoAndHalf, kOneAndHalf});
}
