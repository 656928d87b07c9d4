// Valid models that an outside conformance run (NNAPI's published test specifications) found the desktop NNAPI
// refusing (issue 10, item 7): LOG_SOFTMAX of rank > 4, RESHAPE whose shape is a model input, TRANSPOSE whose
// permutation is a model input or omitted. Each must be accepted and computed as NNAPI defines it.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

#include "model_builder.h"

using host_test::Dims;
using host_test::ModelBuilder;
using host_test::requireClose;

namespace {

constexpr int32_t kI32T = ANEURALNETWORKS_TENSOR_INT32;

template <typename T>
std::vector<uint8_t> bytesOf(const std::vector<T>& values) {
  const auto* first = reinterpret_cast<const uint8_t*>(values.data());
  return {first, first + values.size() * sizeof(T)};
}

struct Outcome {
  int code = -1;
  std::vector<float> values;
  Dims dims;  // output 0's shape as the execution reports it
};

// One execution of a compiled model with a float input 0, an int32 input 1 and `capacity` floats of output 0.
Outcome execute(ANeuralNetworksCompilation* compilation, const std::vector<float>& x, const std::vector<int32_t>& v,
                size_t capacity) {
  ANeuralNetworksExecution* e = nullptr;
  REQUIRE(ANeuralNetworksExecution_create(compilation, &e) == 0);
  REQUIRE(ANeuralNetworksExecution_setInput(e, 0, nullptr, x.data(), x.size() * sizeof(float)) == 0);
  REQUIRE(ANeuralNetworksExecution_setInput(e, 1, nullptr, v.data(), v.size() * sizeof(int32_t)) == 0);
  Outcome outcome;
  outcome.values.assign(capacity, -1.0f);
  REQUIRE(ANeuralNetworksExecution_setOutput(e, 0, nullptr, outcome.values.data(), capacity * sizeof(float)) == 0);
  outcome.code = ANeuralNetworksExecution_compute(e);
  if (outcome.code == 0) {
    uint32_t rank = 0;
    REQUIRE(ANeuralNetworksExecution_getOutputOperandRank(e, 0, &rank) == 0);
    outcome.dims.resize(rank);
    REQUIRE(ANeuralNetworksExecution_getOutputOperandDimensions(e, 0, outcome.dims.data()) == 0);
  }
  ANeuralNetworksExecution_free(e);
  return outcome;
}

// Compiles the model of `m`, whose inputs are (data, int32 values) and whose output is `out`.
ANeuralNetworksCompilation* compile(ModelBuilder& m, uint32_t data, uint32_t values, uint32_t out) {
  REQUIRE(m.io({data, values}, {out}) == 0);
  REQUIRE(m.finish() == 0);
  ANeuralNetworksCompilation* compilation = nullptr;
  REQUIRE(ANeuralNetworksCompilation_create(m.model(), &compilation) == 0);
  REQUIRE(ANeuralNetworksCompilation_finish(compilation) == 0);
  return compilation;
}

// log_softmax along `axis` of a row-major tensor of shape `dims`, computed directly from the definition.
std::vector<float> logSoftmax(const std::vector<float>& x, const Dims& dims, size_t axis) {
  size_t inner = 1;
  for (size_t k = axis + 1; k < dims.size(); ++k) inner *= dims[k];
  const size_t n = dims[axis];
  std::vector<float> y(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    const size_t base = i - ((i / inner) % n) * inner;  // the first element of i's row along `axis`
    double sum = 0;
    for (size_t k = 0; k < n; ++k) sum += std::exp(double(x[base + k * inner]));
    y[i] = float(double(x[i]) - std::log(sum));
  }
  return y;
}

}  // namespace

TEST_CASE("LOG_SOFTMAX takes tensors of rank 5 and 6, along any axis") {
  for (const Dims& dims : {Dims{2, 1, 3, 1, 2}, Dims{1, 2, 1, 2, 1, 3}}) {
    for (const int32_t axis : {-1, 1}) {
      ModelBuilder m;
      const uint32_t in = m.f32(dims), out = m.f32(dims);
      REQUIRE(m.op(ANEURALNETWORKS_LOG_SOFTMAX, {in, m.f32Scalar(1.0f), m.i32(axis)}, {out}) == 0);
      REQUIRE(m.io({in}, {out}) == 0);
      REQUIRE(m.finish() == 0);
      std::vector<float> x(12);
      for (size_t i = 0; i < x.size(); ++i) x[i] = 0.37f * float(i) - float(i % 5);
      std::vector<std::vector<float>> outputs;
      REQUIRE(host_test::runF32(m.model(), {x}, {x.size()}, &outputs) == 0);
      requireClose(outputs[0], logSoftmax(x, dims, axis < 0 ? dims.size() - 1 : size_t(axis)));
    }
  }
}

TEST_CASE("RESHAPE takes its shape from a model input, a new one at each execution") {
  ModelBuilder m;
  const uint32_t in = m.f32({2, 3}), shape = m.tensor(kI32T, {2}), out = m.f32({0, 0});
  REQUIRE(m.op(ANEURALNETWORKS_RESHAPE, {in, shape}, {out}) == 0);
  ANeuralNetworksCompilation* compilation = compile(m, in, shape, out);
  const std::vector<float> x{1, 2, 3, 4, 5, 6};
  const Outcome asColumns = execute(compilation, x, {3, 2}, 6);
  CHECK(asColumns.code == 0);
  CHECK(asColumns.dims == Dims{3, 2});
  requireClose(asColumns.values, x);
  const Outcome inferred = execute(compilation, x, {-1, 6}, 6);
  CHECK(inferred.code == 0);
  CHECK(inferred.dims == Dims{1, 6});
  // 8 elements for 6: refused by the run, with RESHAPE's rule, and nothing written.
  const Outcome wrong = execute(compilation, x, {4, 2}, 6);
  CHECK(wrong.code == ANEURALNETWORKS_OP_FAILED);
  CHECK(wrong.values == std::vector<float>(6, -1.0f));
  ANeuralNetworksCompilation_free(compilation);
}

TEST_CASE("TRANSPOSE takes its permutation from a model input") {
  ModelBuilder m;
  const uint32_t in = m.f32({2, 1, 3}), perm = m.tensor(kI32T, {3}), out = m.f32({0, 0, 0});
  REQUIRE(m.op(ANEURALNETWORKS_TRANSPOSE, {in, perm}, {out}) == 0);
  ANeuralNetworksCompilation* compilation = compile(m, in, perm, out);
  const std::vector<float> x{1, 2, 3, 4, 5, 6};
  const Outcome swapped = execute(compilation, x, {2, 1, 0}, 6);
  CHECK(swapped.code == 0);
  CHECK(swapped.dims == Dims{3, 1, 2});
  requireClose(swapped.values, {1, 4, 2, 5, 3, 6});
  const Outcome same = execute(compilation, x, {1, 0, 2}, 6);
  CHECK(same.code == 0);
  CHECK(same.dims == Dims{1, 2, 3});
  requireClose(same.values, x);
  CHECK(execute(compilation, x, {0, 0, 1}, 6).code == ANEURALNETWORKS_OP_FAILED);  // not a permutation
  ANeuralNetworksCompilation_free(compilation);
}

TEST_CASE("a model-input permutation of the wrong length is refused when the operation is added") {
  ModelBuilder m;
  const uint32_t in = m.f32({2, 3}), perm = m.tensor(kI32T, {3}), out = m.f32({0, 0});
  CHECK(m.op(ANEURALNETWORKS_TRANSPOSE, {in, perm}, {out}) == ANEURALNETWORKS_BAD_DATA);
}

TEST_CASE("TRANSPOSE with its permutation omitted reverses the axes") {
  ModelBuilder m;
  const uint32_t in = m.f32({2, 1, 3}), perm = m.tensor(kI32T, {0}), out = m.f32({3, 1, 2});
  REQUIRE(ANeuralNetworksModel_setOperandValue(m.model(), int32_t(perm), nullptr, 0) == 0);
  REQUIRE(m.op(ANEURALNETWORKS_TRANSPOSE, {in, perm}, {out}) == 0);
  REQUIRE(m.io({in}, {out}) == 0);
  REQUIRE(m.finish() == 0);
  std::vector<std::vector<float>> outputs;
  REQUIRE(host_test::runF32(m.model(), {{1, 2, 3, 4, 5, 6}}, {6}, &outputs) == 0);
  requireClose(outputs[0], {1, 4, 2, 5, 3, 6});
}
