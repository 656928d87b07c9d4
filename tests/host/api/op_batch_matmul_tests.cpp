// BATCH_MATMUL (feature level 6): hand-computed products with and without adj_x / adj_y, and the operand lists the
// rule refuses.
#include <catch2/catch.hpp>

#include "model_builder.h"

using host_test::ModelBuilder;
using host_test::requireClose;

namespace {

// Two batch items: x[0] = [[1,2,3],[4,5,6]], x[1] = [[1,0,-1],[2,1,0]] ([2,2,3]);
// y[0] = [[1,2],[3,4],[5,6]], y[1] = [[1,1],[0,2],[3,-1]] ([2,3,2]).
const std::vector<float> kX{1, 2, 3, 4, 5, 6, 1, 0, -1, 2, 1, 0};
const std::vector<float> kY{1, 2, 3, 4, 5, 6, 1, 1, 0, 2, 3, -1};
// The same matrices with their last two dimensions swapped: x^T [2,3,2], y^T [2,2,3].
const std::vector<float> kXt{1, 4, 2, 5, 3, 6, 1, 2, 0, 1, -1, 0};
const std::vector<float> kYt{1, 3, 5, 2, 4, 6, 1, 0, 3, 1, 2, -1};
// x[0] y[0] = [[1+6+15, 2+8+18], [4+15+30, 8+20+36]]; x[1] y[1] = [[1+0-3, 1+0+1], [2+0+0, 2+2+0]].
const std::vector<float> kProduct{22, 28, 49, 64, -2, 2, 2, 4};

std::vector<float> product(const host_test::Dims& xDims, const std::vector<float>& x, const host_test::Dims& yDims,
                           const std::vector<float>& y, bool adjX, bool adjY, const host_test::Dims& outDims) {
  ModelBuilder m;
  const uint32_t a = m.f32(xDims), b = m.f32(yDims), out = m.f32(outDims);
  REQUIRE(m.op(ANEURALNETWORKS_BATCH_MATMUL, {a, b, m.boolean(adjX), m.boolean(adjY)}, {out}) ==
          ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.io({a, b}, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
  size_t n = 1;
  for (uint32_t d : outDims) n *= d;
  std::vector<std::vector<float>> outputs;
  REQUIRE(host_test::runF32(m.model(), {x, y}, {n}, &outputs) == ANEURALNETWORKS_NO_ERROR);
  return outputs[0];
}

int addBatchMatmul(const host_test::Dims& xDims, const host_test::Dims& yDims, const host_test::Dims& outDims) {
  ModelBuilder m;
  const uint32_t a = m.f32(xDims), b = m.f32(yDims), out = m.f32(outDims);
  return m.op(ANEURALNETWORKS_BATCH_MATMUL, {a, b, m.boolean(false), m.boolean(false)}, {out});
}

}  // namespace

TEST_CASE("BATCH_MATMUL multiplies each batch item's matrices") {
  requireClose(product({2, 2, 3}, kX, {2, 3, 2}, kY, false, false, {2, 2, 2}), kProduct);
}

TEST_CASE("BATCH_MATMUL with adj_x and adj_y transposes that side's last two dimensions first") {
  SECTION("adj_x") { requireClose(product({2, 3, 2}, kXt, {2, 3, 2}, kY, true, false, {2, 2, 2}), kProduct); }
  SECTION("adj_y") { requireClose(product({2, 2, 3}, kX, {2, 2, 3}, kYt, false, true, {2, 2, 2}), kProduct); }
  SECTION("both") { requireClose(product({2, 3, 2}, kXt, {2, 2, 3}, kYt, true, true, {2, 2, 2}), kProduct); }
}

TEST_CASE("BATCH_MATMUL of rank 2 is one matrix product, of rank 4 one per item of both batch dimensions") {
  requireClose(product({2, 3}, {1, 2, 3, 4, 5, 6}, {3, 2}, {1, 2, 3, 4, 5, 6}, false, false, {2, 2}),
               {22, 28, 49, 64});
  // [1,2,...] and [2,1,...] leading dimensions hold the same items in the same order.
  requireClose(product({1, 2, 2, 3}, kX, {1, 2, 3, 2}, kY, false, false, {1, 2, 2, 2}), kProduct);
  requireClose(product({2, 1, 2, 3}, kX, {2, 1, 3, 2}, kY, false, false, {2, 1, 2, 2}), kProduct);
}

TEST_CASE("BATCH_MATMUL infers an output left unspecified") {
  ModelBuilder m;
  const uint32_t a = m.f32({2, 3, 2}), b = m.f32({2, 3, 2}), out = m.f32({0, 0, 0});
  REQUIRE(m.op(ANEURALNETWORKS_BATCH_MATMUL, {a, b, m.boolean(true), m.boolean(false)}, {out}) ==
          ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.io({a, b}, {out}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(m.finish() == ANEURALNETWORKS_NO_ERROR);
  std::vector<std::vector<float>> outputs;
  REQUIRE(host_test::runF32(m.model(), {kXt, kY}, {8}, &outputs) == ANEURALNETWORKS_NO_ERROR);
  requireClose(outputs[0], kProduct);
}

TEST_CASE("BATCH_MATMUL refuses other batch dimensions, contracted extents that differ, ranks and flags") {
  CHECK(addBatchMatmul({2, 2, 3}, {2, 3, 2}, {2, 2, 2}) == ANEURALNETWORKS_NO_ERROR);
  CHECK(addBatchMatmul({2, 2, 3}, {1, 3, 2}, {2, 2, 2}) == ANEURALNETWORKS_BAD_DATA);  // no broadcasting
  CHECK(addBatchMatmul({2, 2, 3}, {2, 2, 2}, {2, 2, 2}) == ANEURALNETWORKS_BAD_DATA);  // 3 against 2
  CHECK(addBatchMatmul({2, 3}, {2, 3, 2}, {2, 2, 2}) == ANEURALNETWORKS_BAD_DATA);     // ranks differ
  CHECK(addBatchMatmul({3}, {3}, {1}) == ANEURALNETWORKS_BAD_DATA);                    // rank 1
  CHECK(addBatchMatmul({1, 1, 1, 2, 3}, {1, 1, 1, 3, 2}, {1, 1, 1, 2, 2}) == ANEURALNETWORKS_BAD_DATA);  // rank 5
  CHECK(addBatchMatmul({2, 2, 3}, {2, 3, 2}, {2, 2, 3}) == ANEURALNETWORKS_BAD_DATA);  // declared output differs
  ModelBuilder m;
  const uint32_t a = m.f32({2, 3}), b = m.f32({3, 2}), out = m.f32({2, 2});
  CHECK(m.op(ANEURALNETWORKS_BATCH_MATMUL, {a, b, m.i32(0), m.boolean(false)}, {out}) == ANEURALNETWORKS_BAD_DATA);
  CHECK(m.op(ANEURALNETWORKS_BATCH_MATMUL, {a, b, m.boolean(false)}, {out}) == ANEURALNETWORKS_BAD_DATA);
  const uint32_t q = m.tensor(ANEURALNETWORKS_TENSOR_QUANT8_ASYMM, {3, 2}, 0.5f, 0);
  CHECK(m.op(ANEURALNETWORKS_BATCH_MATMUL, {a, q, m.boolean(false), m.boolean(false)}, {out}) ==
        ANEURALNETWORKS_BAD_DATA);  // the sides' types differ
}
