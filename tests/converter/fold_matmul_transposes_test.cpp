// foldMatmulTransposes: a BATCH_MATMUL side made by a TRANSPOSE of its last two dimensions is read before it, with
// that side's adj flag set; the TRANSPOSE goes when nothing else reads it.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"
#include "passes/fold_matmul_transposes.h"

using nnc::test::LoweringHarness;

namespace {

constexpr int kFeatureLevel6 = 33;

std::vector<bool> adjFlags(const LoweringHarness& h, const nnc::ir::Operation& op) {
  return {h.bytes(op.inputs[2]).at(0) != 0, h.bytes(op.inputs[3]).at(0) != 0};
}

// Lowers attention's scores q @ k.transpose(2, 3) for q, k [1, 2, 4, 3]; returns k (and the transposed k in `kt`).
nnc::ValueId lowerScores(LoweringHarness& h, nnc::ValueId* kt = nullptr) {
  const auto q = h.tensor({1, 2, 4, 3});
  const auto k = h.tensor({1, 2, 4, 3});
  h.lower("aten::transpose", {k, h.integer(2), h.integer(3)});
  const auto transposed = h.outputValue();
  if (kt != nullptr) *kt = transposed;
  h.lower("aten::matmul", {q, transposed});
  return k;
}

}  // namespace

TEST_CASE("q @ k.transpose(2, 3) is one BATCH_MATMUL reading k with adj_y", "[fold_matmul_transposes]") {
  LoweringHarness h(kFeatureLevel6);
  const auto k = lowerScores(h);
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_BATCH_MATMUL});
  CHECK(nnc::foldMatmulTransposes(h.model) == 1);
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_BATCH_MATMUL});
  CHECK(h.operation(0).inputs[1] == h.operandOf(k));
  CHECK(adjFlags(h, h.operation(0)) == std::vector<bool>{false, true});
  CHECK(h.operand(h.operation(0).outputs[0]).dims == std::vector<uint32_t>{1, 2, 4, 4});
}

TEST_CASE("a TRANSPOSE that something else reads stays, the BATCH_MATMUL still reads before it",
          "[fold_matmul_transposes]") {
  LoweringHarness h(kFeatureLevel6);
  nnc::ValueId kt = 0;
  lowerScores(h, &kt);
  h.lower("aten::relu", {kt});
  CHECK(nnc::foldMatmulTransposes(h.model) == 1);
  CHECK(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_BATCH_MATMUL,
                                                   ANEURALNETWORKS_RELU});
  CHECK(adjFlags(h, h.operation(1)) == std::vector<bool>{false, true});
}

TEST_CASE("other permutations and other operations are left alone", "[fold_matmul_transposes]") {
  LoweringHarness h(kFeatureLevel6);
  const auto x = h.tensor({2, 3, 4});
  h.lower("aten::permute", {x, h.ints({1, 0, 2})});  // [3, 2, 4]: moves a batch dimension
  h.lower("aten::bmm", {h.outputValue(), h.tensor({3, 4, 2})});
  CHECK(nnc::foldMatmulTransposes(h.model) == 0);
  CHECK(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_BATCH_MATMUL});
  CHECK(adjFlags(h, h.operation(1)) == std::vector<bool>{false, false});
}
