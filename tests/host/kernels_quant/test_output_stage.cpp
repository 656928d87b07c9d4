// The vectorised output stage and matrix product against their portable versions on awkward values: the AVX2
// code must be bit-identical, including negative ties, INT32_MIN-sized accumulators and every shift.
#include <catch2/catch.hpp>

#include <limits>
#include <vector>

#include "kernels/quant/gemm_s16.h"
#include "kernels/quant/requantize.h"
#include "quant_test_util.h"

using namespace nnapi_host::kernels;
using namespace quant_test;

namespace {

template <typename T>
std::vector<T> runStage(const OutputStage& stage, const std::vector<int32_t>& acc, bool portable) {
  setPortableKernelsForTesting(portable);
  std::vector<T> out(acc.size());
  stage.apply(acc.data(), 0, uint32_t(acc.size()), out.data());
  setPortableKernelsForTesting(false);
  return out;
}

}  // namespace

TEST_CASE("output stage: vector and portable code agree on every shift and sign", "[output_stage]") {
  std::vector<QuantizedMultiplier> multipliers;
  std::vector<int32_t> acc, bias;
  std::uniform_int_distribution<int32_t> anyMultiplier(1 << 30, std::numeric_limits<int32_t>::max());
  // Right shifts 0..31 and left shifts 1..8, each with accumulators across the int32 range.
  for (int32_t shift = -31; shift <= 8; ++shift) {
    for (int i = 0; i < 64; ++i) {
      multipliers.push_back({anyMultiplier(rng()), shift});
      const int32_t limit = shift > 0 ? (std::numeric_limits<int32_t>::max() >> (shift + 1)) : 2000000000;
      acc.push_back(std::uniform_int_distribution<int32_t>(-limit, limit)(rng()));
      bias.push_back(std::uniform_int_distribution<int32_t>(-1000, 1000)(rng()));
    }
  }
  // Exact ties: 2^30 is 0.5, so odd accumulators with shift 0 land on .5 after SRDHM, and RDBPOT ties with shift -1.
  for (int32_t v : {-7, -5, -3, -1, 1, 3, 5, 7, std::numeric_limits<int32_t>::min() + 1000}) {
    for (int32_t shift : {0, -1, -2}) {
      multipliers.push_back({1 << 30, shift});
      acc.push_back(v);
      bias.push_back(0);
    }
  }
  multipliers.push_back({0, 0});  // a multiplier flushed to zero
  acc.push_back(123456);
  bias.push_back(0);
  const OutputStage stage(multipliers, bias.data(), 3, IntRange{-128, 127});
  CHECK(runStage<int8_t>(stage, acc, false) == runStage<int8_t>(stage, acc, true));
  const OutputStage unsignedStage(multipliers, bias.data(), 130, IntRange{0, 255});
  CHECK(runStage<uint8_t>(unsignedStage, acc, false) == runStage<uint8_t>(unsignedStage, acc, true));
  // And the portable code is the §11.1 formula itself.
  const auto portable = runStage<int8_t>(stage, acc, true);
  for (std::size_t i = 0; i < acc.size(); ++i) {
    const int32_t expected = multiplyByQuantizedMultiplier(acc[i] + bias[i], multipliers[i]) + 3;
    REQUIRE(int32_t(portable[i]) == std::clamp(expected, -128, 127));
  }
}

TEST_CASE("output stage: hand-computed ties", "[output_stage]") {
  // multiplier 0.5 * 2^-1 = 0.25: 6 -> 1.5 -> 2, -6 -> -2, 2 -> 0.5 -> 1, -2 -> -1 (half away from zero).
  const std::vector<QuantizedMultiplier> multipliers(8, QuantizedMultiplier{1 << 30, -1});
  const std::vector<int32_t> acc{6, -6, 2, -2, 4, -4, 0, 1000};
  const OutputStage stage(multipliers, nullptr, 0, IntRange{-128, 127});
  for (bool portable : {false, true}) {
    CHECK(runStage<int8_t>(stage, acc, portable) == std::vector<int8_t>{2, -2, 1, -1, 1, -1, 0, 127});
  }
}

TEST_CASE("int16 matrix tiles: AVX2 and portable kernels give the exact sums", "[output_stage]") {
  const uint32_t depth = 37, columns = 16;
  const auto weights = randomValues<uint8_t>(std::size_t(columns) * depth);
  const PackedWeightsS16 packed = packWeightsS16(weights.data(), columns, depth, 131);
  const uint32_t stride = 2 * packed.depthPairs;
  std::vector<int16_t> lhs(std::size_t(kTileRows) * stride, 0);
  for (uint32_t r = 0; r < kTileRows; ++r)
    for (uint32_t k = 0; k < depth; ++k) lhs[r * stride + k] = int16_t(randomValues<uint8_t>(1)[0] - 255);
  for (uint32_t rows = 1; rows <= kTileRows; ++rows) {
    int32_t fast[kTileRows * kTileColumns], portable[kTileRows * kTileColumns];
    dotTileS16(lhs.data(), stride, rows, packed.block(0), packed.depthPairs, fast);
    setPortableKernelsForTesting(true);
    dotTileS16(lhs.data(), stride, rows, packed.block(0), packed.depthPairs, portable);
    setPortableKernelsForTesting(false);
    for (uint32_t r = 0; r < rows; ++r) {
      for (uint32_t c = 0; c < columns; ++c) {
        int32_t expected = 0;
        for (uint32_t k = 0; k < depth; ++k) expected += lhs[r * stride + k] * (weights[c * depth + k] - 131);
        REQUIRE(fast[r * kTileColumns + c] == expected);
        REQUIRE(portable[r * kTileColumns + c] == expected);
      }
    }
  }
}

TEST_CASE("output stage: int32 sums past the limits wrap as on the reference's hardware, in both paths",
          "[output_stage]") {
  // The fuzzer's input (tests/fuzz_regressions/model_loader/requantize_bias_overflow.nnc): accumulator -992 plus a
  // legal bias of -2147483628 is -2147484620, which wraps to 2147482676; times 0.5 that is 1073741338, clamped to
  // 127. The sum was undefined behaviour in the portable code; the AVX2 code always wrapped.
  const std::vector<QuantizedMultiplier> multipliers(8, QuantizedMultiplier{1 << 30, 0});
  const std::vector<int32_t> bias(8, -2147483628), acc(8, -992);
  const OutputStage stage(multipliers, bias.data(), 0, IntRange{-128, 127});
  for (bool portable : {false, true}) CHECK(runStage<int8_t>(stage, acc, portable) == std::vector<int8_t>(8, 127));
}
