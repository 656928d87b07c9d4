// A batch left unknown (0) in the model through a chain of operations: every temporary is sized at execution from
// the input's type, outputs are reported by getOutputOperandRank/Dimensions, and a buffer sized for a smaller batch
// gives OUTPUT_INSUFFICIENT_SIZE with the needed shape while the model stays usable for the next execution.
#include <catch2/catch.hpp>

#include "model_builder.h"

using host_test::ModelBuilder;

namespace {

// x[?, 2, 2, 1] -> CONV_2D 1x1 (w = 2, b = 1) -> [?, 2, 2, 1] -> RESHAPE [-1, 4] -> FULLY_CONNECTED (sum, +0)
// -> out[?, 1]: out = 2 * sum(x) + 4 per batch item.
struct BatchChain {
  ModelBuilder m;
  ANeuralNetworksCompilation* compilation = nullptr;
  BatchChain() {
    const uint32_t x = m.f32({0, 2, 2, 1}), conv = m.f32({0, 2, 2, 1}), flat = m.f32({0, 4}), out = m.f32({0, 1});
    REQUIRE(m.op(ANEURALNETWORKS_CONV_2D,
                 {x, m.constF32({1, 1, 1, 1}, {2}), m.constF32({1}, {1}), m.i32(ANEURALNETWORKS_PADDING_VALID),
                  m.i32(1), m.i32(1), m.i32(0)},
                 {conv}) == 0);
    REQUIRE(m.op(ANEURALNETWORKS_RESHAPE, {conv, m.constI32Tensor({2}, {-1, 4})}, {flat}) == 0);
    REQUIRE(m.op(ANEURALNETWORKS_FULLY_CONNECTED, {flat, m.constF32({1, 4}, {1, 1, 1, 1}), m.constF32({1}, {0}), m.i32(0)},
                 {out}) == 0);
    REQUIRE(m.io({x}, {out}) == 0);
    REQUIRE(m.finish() == 0);
    REQUIRE(ANeuralNetworksCompilation_create(m.model(), &compilation) == 0);
    REQUIRE(ANeuralNetworksCompilation_finish(compilation) == 0);
  }
  ~BatchChain() { ANeuralNetworksCompilation_free(compilation); }

  // Runs a batch of `batch` items (item b all b+1) into a buffer of `capacity` floats; returns the result code
  // and, in `dims`, the output shape NNAPI reports.
  int run(uint32_t batch, size_t capacity, std::vector<float>& out, std::vector<uint32_t>& dims) {
    ANeuralNetworksExecution* e = nullptr;
    REQUIRE(ANeuralNetworksExecution_create(compilation, &e) == 0);
    std::vector<float> x;
    for (uint32_t b = 0; b < batch; ++b) x.insert(x.end(), 4, float(b + 1));
    const std::vector<uint32_t> in_dims{batch, 2, 2, 1};
    const ANeuralNetworksOperandType type{ANEURALNETWORKS_TENSOR_FLOAT32, 4, in_dims.data(), 0, 0};
    REQUIRE(ANeuralNetworksExecution_setInput(e, 0, &type, x.data(), x.size() * sizeof(float)) == 0);
    out.assign(capacity, -1.0f);
    REQUIRE(ANeuralNetworksExecution_setOutput(e, 0, nullptr, out.data(), out.size() * sizeof(float)) == 0);
    const int rc = ANeuralNetworksExecution_compute(e);
    uint32_t rank = 0;
    const int rank_rc = ANeuralNetworksExecution_getOutputOperandRank(e, 0, &rank);
    CHECK(rank_rc == rc);
    dims.assign(rank, 0);
    CHECK(ANeuralNetworksExecution_getOutputOperandDimensions(e, 0, dims.data()) == rc);
    ANeuralNetworksExecution_free(e);
    return rc;
  }
};

}  // namespace

TEST_CASE("a batch unknown in the model is sized through every operation at execution", "[dynamic_shape]") {
  BatchChain chain;
  std::vector<float> out;
  std::vector<uint32_t> dims;
  for (const uint32_t batch : {1u, 5u, 2u}) {
    REQUIRE(chain.run(batch, batch, out, dims) == ANEURALNETWORKS_NO_ERROR);
    CHECK(dims == std::vector<uint32_t>{batch, 1});
    for (uint32_t b = 0; b < batch; ++b) CHECK(out[b] == 2.0f * 4 * float(b + 1) + 4);
  }
}

TEST_CASE("an output buffer sized for a smaller batch gives OUTPUT_INSUFFICIENT_SIZE and the needed shape",
          "[dynamic_shape]") {
  BatchChain chain;
  std::vector<float> out;
  std::vector<uint32_t> dims;
  CHECK(chain.run(5, 1, out, dims) == ANEURALNETWORKS_OUTPUT_INSUFFICIENT_SIZE);
  CHECK(dims == std::vector<uint32_t>{5, 1});
  // A larger buffer than needed is fine: the reported shape says how much of it holds the result.
  REQUIRE(chain.run(5, 8, out, dims) == ANEURALNETWORKS_NO_ERROR);
  CHECK(dims == std::vector<uint32_t>{5, 1});
  CHECK(out[4] == 44.0f);
  CHECK(out[5] == -1.0f);
}
