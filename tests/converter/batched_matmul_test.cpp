// Batched products of two computed tensors: y's last two dimensions swapped once, both sides as matrices of rows,
// per batch item two STRIDED_SLICEs and a FULLY_CONNECTED, joined by CONCATENATION and reshaped.
#include <catch2/catch.hpp>

#include "lowering_harness.h"
#include "nnapi/NeuralNetworks.h"

using nnc::test::LoweringHarness;

namespace {

// The begin and end of STRIDED_SLICE operation i (its inputs 1 and 2).
std::vector<int32_t> sliceBounds(const LoweringHarness& h, size_t i) {
  std::vector<int32_t> bounds = h.intValues(h.operation(i).inputs[1]);
  const std::vector<int32_t> end = h.intValues(h.operation(i).inputs[2]);
  bounds.insert(bounds.end(), end.begin(), end.end());
  return bounds;
}

}  // namespace

TEST_CASE("bmm [2,3,4] @ [2,4,5]: rows 0..3 and 3..6 of x, rows 0..5 and 5..10 of y^T, one FC per batch item",
          "[batched_matmul]") {
  LoweringHarness h;
  const auto x = h.tensor({2, 3, 4});
  const auto y = h.tensor({2, 4, 5});
  h.lower("aten::bmm", {x, y});
  using V = std::vector<int32_t>;
  REQUIRE(h.operationCodes() ==
          V{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_TRANSPOSE, ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_STRIDED_SLICE,
            ANEURALNETWORKS_STRIDED_SLICE, ANEURALNETWORKS_FULLY_CONNECTED, ANEURALNETWORKS_STRIDED_SLICE,
            ANEURALNETWORKS_STRIDED_SLICE, ANEURALNETWORKS_FULLY_CONNECTED, ANEURALNETWORKS_CONCATENATION,
            ANEURALNETWORKS_RESHAPE});
  CHECK(h.intValues(h.operation(0).inputs[1]) == V{6, 4});
  CHECK(h.intValues(h.operation(1).inputs[1]) == V{0, 2, 1});
  CHECK(h.intValues(h.operation(2).inputs[1]) == V{10, 4});
  CHECK(sliceBounds(h, 3) == V{0, 0, 3, 4});
  CHECK(sliceBounds(h, 4) == V{0, 0, 5, 4});
  CHECK(sliceBounds(h, 6) == V{3, 0, 6, 4});
  CHECK(sliceBounds(h, 7) == V{5, 0, 10, 4});
  const auto& fc = h.operation(8);
  CHECK(h.operand(fc.inputs[1]).dims == std::vector<uint32_t>{5, 4});  // y^T rows of batch item 1: weights [N, K]
  CHECK(h.floatValues(fc.inputs[2]) == std::vector<float>(5, 0.0f));
  CHECK(h.scalarInt(h.operation(9).inputs[2]) == 0);
  CHECK(h.intValues(h.operation(10).inputs[1]) == V{2, 3, 5});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 3, 5});
}

TEST_CASE("matmul of 4-D attention tensors with one batch item slices nothing", "[batched_matmul]") {
  LoweringHarness h;
  const auto q = h.tensor({1, 1, 3, 2});
  const auto k = h.tensor({1, 1, 2, 3});
  h.lower("aten::matmul", {q, k});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_TRANSPOSE,
                                                     ANEURALNETWORKS_RESHAPE, ANEURALNETWORKS_FULLY_CONNECTED,
                                                     ANEURALNETWORKS_RESHAPE});
  CHECK(h.intValues(h.operation(1).inputs[1]) == std::vector<int32_t>{0, 1, 3, 2});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{1, 1, 3, 3});
}

TEST_CASE("baddbmm scales the product by alpha and self by beta, then adds", "[batched_matmul]") {
  LoweringHarness h;
  const auto self = h.tensor({1, 2, 2});
  const auto x = h.tensor({1, 2, 3});
  const auto y = h.tensor({1, 3, 2});
  h.lower("aten::baddbmm", {self, x, y, h.number(2.0), h.number(0.5)});
  const auto codes = h.operationCodes();
  REQUIRE(codes.size() == 8);
  CHECK(std::vector<int32_t>(codes.end() - 3, codes.end()) ==
        std::vector<int32_t>{ANEURALNETWORKS_MUL, ANEURALNETWORKS_MUL, ANEURALNETWORKS_ADD});
  CHECK(h.floatValues(h.operation(5).inputs[1]) == std::vector<float>{0.5f});
  CHECK(h.floatValues(h.operation(6).inputs[1]) == std::vector<float>{2.0f});
  CHECK(h.operation(6).inputs[0] == h.operandOf(self));
}

TEST_CASE("batched products refuse broadcast batches, mixed ranks and run-time extents", "[batched_matmul]") {
  LoweringHarness h;
  CHECK_THAT(h.unsupportedReason("aten::matmul", {h.tensor({2, 3, 4}), h.tensor({1, 4, 5})}),
             Catch::Contains("batch dimensions differ"));
  CHECK_THAT(h.unsupportedReason("aten::matmul", {h.tensor({3, 4}), h.tensor({2, 4, 5})}),
             Catch::Contains("same rank, 3 or 4"));
  CHECK_THAT(h.unsupportedReason("aten::bmm", {h.tensor({0, 3, 4}), h.tensor({0, 4, 5})}),
             Catch::Contains("fixed only at run time"));
  CHECK_THAT(h.unsupportedReason("aten::bmm", {h.tensor({2, 3, 4}), h.tensor({2, 3, 5})}),
             Catch::Contains("inner dimensions"));
}

// ---- feature level 6 (Android 13, API 33): one BATCH_MATMUL ----

namespace {

constexpr int kFeatureLevel5 = 31, kFeatureLevel6 = 33;

// BATCH_MATMUL operation i's adj_x and adj_y (its constant BOOL inputs 2 and 3).
std::vector<bool> adjFlags(const LoweringHarness& h, size_t i) {
  return {h.bytes(h.operation(i).inputs[2]).at(0) != 0, h.bytes(h.operation(i).inputs[3]).at(0) != 0};
}

}  // namespace

TEST_CASE("At feature level 6 bmm is one BATCH_MATMUL of both sides as they are", "[batched_matmul]") {
  LoweringHarness h(kFeatureLevel6);
  const auto x = h.tensor({2, 3, 4});
  const auto y = h.tensor({2, 4, 5});
  h.lower("aten::bmm", {x, y});
  REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_BATCH_MATMUL});
  CHECK(h.operation(0).inputs[0] == h.operandOf(x));
  CHECK(h.operation(0).inputs[1] == h.operandOf(y));
  CHECK(adjFlags(h, 0) == std::vector<bool>{false, false});
  CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 3, 5});
}

TEST_CASE("At feature level 6 a 4-D matmul and baddbmm's product are one BATCH_MATMUL", "[batched_matmul]") {
  {
    LoweringHarness h(kFeatureLevel6);
    h.lower("aten::matmul", {h.tensor({2, 3, 4, 5}), h.tensor({2, 3, 5, 6})});
    REQUIRE(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_BATCH_MATMUL});
    CHECK(h.operand(h.outputOperand()).dims == std::vector<uint32_t>{2, 3, 4, 6});
  }
  {
    LoweringHarness h(kFeatureLevel6);
    const auto self = h.tensor({1, 2, 2});
    h.lower("aten::baddbmm", {self, h.tensor({1, 2, 3}), h.tensor({1, 3, 2}), h.number(2.0), h.number(0.5)});
    CHECK(h.operationCodes() == std::vector<int32_t>{ANEURALNETWORKS_BATCH_MATMUL, ANEURALNETWORKS_MUL,
                                                     ANEURALNETWORKS_MUL, ANEURALNETWORKS_ADD});
    CHECK(h.floatValues(h.operation(1).inputs[1]) == std::vector<float>{0.5f});
  }
}

TEST_CASE("At feature level 5 (Android 12) a batched product is still a FULLY_CONNECTED per batch item",
          "[batched_matmul]") {
  LoweringHarness h(kFeatureLevel5);
  h.lower("aten::bmm", {h.tensor({2, 3, 4}), h.tensor({2, 4, 5})});
  const auto codes = h.operationCodes();
  CHECK(std::count(codes.begin(), codes.end(), ANEURALNETWORKS_FULLY_CONNECTED) == 2);
  CHECK(std::count(codes.begin(), codes.end(), ANEURALNETWORKS_BATCH_MATMUL) == 0);
}

TEST_CASE("At feature level 6 batched products still refuse broadcast batches and run-time extents, saying why",
          "[batched_matmul]") {
  LoweringHarness h(kFeatureLevel6);
  CHECK_THAT(h.unsupportedReason("aten::matmul", {h.tensor({2, 3, 4}), h.tensor({1, 4, 5})}),
             Catch::Contains("batch dimensions differ"));
  CHECK_THAT(h.unsupportedReason("aten::bmm", {h.tensor({0, 3, 4}), h.tensor({0, 4, 5})}),
             Catch::Contains("BATCH_MATMUL needs both sides' batch dimensions known to be equal"));
}
