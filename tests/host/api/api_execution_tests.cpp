// Execution inputs/outputs: exact lengths, type overrides, unknown dimensions resolved at execution,
// OUTPUT_INSUFFICIENT_SIZE with the required shape reported, and memories created from file descriptors.
#include <sys/mman.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstring>

#include "model_builder.h"

using host_test::ModelBuilder;

namespace {

// out[?, 2] = in[?, 2] + [10, 20]: batch unknown in the model.
struct FlexibleAdd {
  ModelBuilder m;
  uint32_t in, out;
  ANeuralNetworksCompilation* compilation = nullptr;
  FlexibleAdd() {
    in = m.f32({0, 2});
    out = m.f32({0, 2});
    REQUIRE(m.op(ANEURALNETWORKS_ADD, {in, m.constF32({2}, {10, 20}), m.i32(0)}, {out}) == 0);
    REQUIRE(m.io({in}, {out}) == 0);
    REQUIRE(m.finish() == 0);
    REQUIRE(ANeuralNetworksCompilation_create(m.model(), &compilation) == 0);
    REQUIRE(ANeuralNetworksCompilation_finish(compilation) == 0);
  }
  ~FlexibleAdd() { ANeuralNetworksCompilation_free(compilation); }
  ANeuralNetworksExecution* execution() {
    ANeuralNetworksExecution* e = nullptr;
    REQUIRE(ANeuralNetworksExecution_create(compilation, &e) == 0);
    return e;
  }
};

ANeuralNetworksOperandType f32Type(const std::vector<uint32_t>& dims) {
  return {ANEURALNETWORKS_TENSOR_FLOAT32, uint32_t(dims.size()), dims.data(), 0, 0};
}

}  // namespace

TEST_CASE("unknown dimensions are resolved at execution and reported by getOutputOperand*") {
  FlexibleAdd model;
  for (const uint32_t batch : {3u, 1u}) {
    ANeuralNetworksExecution* e = model.execution();
    const std::vector<uint32_t> dims{batch, 2};
    const ANeuralNetworksOperandType type = f32Type(dims);
    std::vector<float> in(batch * 2, 1.0f), out(batch * 2, 0.0f);
    CHECK(ANeuralNetworksExecution_setInput(e, 0, nullptr, in.data(), in.size() * 4) == ANEURALNETWORKS_BAD_DATA);
    REQUIRE(ANeuralNetworksExecution_setInput(e, 0, &type, in.data(), in.size() * 4) == 0);
    REQUIRE(ANeuralNetworksExecution_setOutput(e, 0, nullptr, out.data(), out.size() * 4) == 0);
    REQUIRE(ANeuralNetworksExecution_compute(e) == 0);
    CHECK(out.back() == 21.0f);
    uint32_t rank = 0, got[2] = {0, 0};
    REQUIRE(ANeuralNetworksExecution_getOutputOperandRank(e, 0, &rank) == 0);
    CHECK(rank == 2);
    REQUIRE(ANeuralNetworksExecution_getOutputOperandDimensions(e, 0, got) == 0);
    CHECK(got[0] == batch);
    CHECK(got[1] == 2);
    CHECK(ANeuralNetworksExecution_getOutputOperandRank(e, 1, &rank) == ANEURALNETWORKS_BAD_DATA);
    ANeuralNetworksExecution_free(e);
  }
}

TEST_CASE("a too small output buffer gives OUTPUT_INSUFFICIENT_SIZE with the needed shape") {
  FlexibleAdd model;
  ANeuralNetworksExecution* e = model.execution();
  const std::vector<uint32_t> dims{4, 2};
  const ANeuralNetworksOperandType type = f32Type(dims);
  std::vector<float> in(8, 1.0f), out(2, 0.0f);
  REQUIRE(ANeuralNetworksExecution_setInput(e, 0, &type, in.data(), 32) == 0);
  REQUIRE(ANeuralNetworksExecution_setOutput(e, 0, nullptr, out.data(), 8) == 0);
  CHECK(ANeuralNetworksExecution_compute(e) == ANEURALNETWORKS_OUTPUT_INSUFFICIENT_SIZE);
  uint32_t rank = 0, got[2] = {0, 0};
  CHECK(ANeuralNetworksExecution_getOutputOperandRank(e, 0, &rank) == ANEURALNETWORKS_OUTPUT_INSUFFICIENT_SIZE);
  CHECK(rank == 2);
  CHECK(ANeuralNetworksExecution_getOutputOperandDimensions(e, 0, got) == ANEURALNETWORKS_OUTPUT_INSUFFICIENT_SIZE);
  CHECK(got[0] == 4);
  ANeuralNetworksExecution_free(e);
}

TEST_CASE("setInput and setOutput need exact lengths for known shapes and types may only fill unknown extents") {
  ModelBuilder m;
  const uint32_t in = m.f32({2}), out = m.f32({2});
  REQUIRE(m.op(ANEURALNETWORKS_RELU, {in}, {out}) == 0);
  REQUIRE(m.io({in}, {out}) == 0);
  REQUIRE(m.finish() == 0);
  ANeuralNetworksCompilation* c = nullptr;
  REQUIRE(ANeuralNetworksCompilation_create(m.model(), &c) == 0);
  REQUIRE(ANeuralNetworksCompilation_finish(c) == 0);
  ANeuralNetworksExecution* e = nullptr;
  REQUIRE(ANeuralNetworksExecution_create(c, &e) == 0);
  float buffer[3] = {0, 0, 0};
  const std::vector<uint32_t> three{3};
  const ANeuralNetworksOperandType override3 = f32Type(three);
  const ANeuralNetworksOperandType int32Type{ANEURALNETWORKS_TENSOR_INT32, 0, nullptr, 0, 0};
  CHECK(ANeuralNetworksExecution_setInput(e, 0, nullptr, buffer, 12) == ANEURALNETWORKS_BAD_DATA);
  CHECK(ANeuralNetworksExecution_setInput(e, 0, &override3, buffer, 12) == ANEURALNETWORKS_BAD_DATA);
  CHECK(ANeuralNetworksExecution_setInput(e, 0, &int32Type, buffer, 8) == ANEURALNETWORKS_BAD_DATA);
  CHECK(ANeuralNetworksExecution_setInput(e, 1, nullptr, buffer, 8) == ANEURALNETWORKS_BAD_DATA);
  CHECK(ANeuralNetworksExecution_setOutput(e, 0, nullptr, buffer, 12) == ANEURALNETWORKS_BAD_DATA);
  CHECK(ANeuralNetworksExecution_setInput(e, 0, nullptr, buffer, 8) == 0);
  ANeuralNetworksExecution_free(e);
  ANeuralNetworksCompilation_free(c);
}

TEST_CASE("Memory_createFromFd with a page offset feeds constants and inputs and receives outputs") {
  FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  const int fd = fileno(file);
  const size_t page = size_t(sysconf(_SC_PAGESIZE));
  // Layout after the page offset: [0,8) constant (10, 20), [8,16) input (1, 2), [16,24) output.
  const float values[4] = {10, 20, 1, 2};
  REQUIRE(ftruncate(fd, off_t(page + 64)) == 0);
  REQUIRE(pwrite(fd, values, sizeof values, off_t(page)) == ssize_t(sizeof values));
  ANeuralNetworksMemory* memory = nullptr;
  CHECK(ANeuralNetworksMemory_createFromFd(64, 8, fd, page, &memory) == ANEURALNETWORKS_BAD_DATA);  // protect
  REQUIRE(ANeuralNetworksMemory_createFromFd(64, PROT_READ | PROT_WRITE, fd, page, &memory) == 0);

  ModelBuilder m;
  const uint32_t in = m.f32({2}), out = m.f32({2}), c = m.f32({2});
  CHECK(ANeuralNetworksModel_setOperandValueFromMemory(m.model(), int32_t(c), memory, 60, 8) ==
        ANEURALNETWORKS_BAD_DATA);  // past the end
  REQUIRE(ANeuralNetworksModel_setOperandValueFromMemory(m.model(), int32_t(c), memory, 0, 8) == 0);
  REQUIRE(m.op(ANEURALNETWORKS_ADD, {in, c, m.i32(0)}, {out}) == 0);
  REQUIRE(m.io({in}, {out}) == 0);
  REQUIRE(m.finish() == 0);
  ANeuralNetworksCompilation* compilation = nullptr;
  REQUIRE(ANeuralNetworksCompilation_create(m.model(), &compilation) == 0);
  REQUIRE(ANeuralNetworksCompilation_finish(compilation) == 0);
  ANeuralNetworksExecution* e = nullptr;
  REQUIRE(ANeuralNetworksExecution_create(compilation, &e) == 0);
  REQUIRE(ANeuralNetworksExecution_setInputFromMemory(e, 0, nullptr, memory, 8, 8) == 0);
  REQUIRE(ANeuralNetworksExecution_setOutputFromMemory(e, 0, nullptr, memory, 16, 8) == 0);
  REQUIRE(ANeuralNetworksExecution_compute(e) == 0);
  float result[2] = {0, 0};
  REQUIRE(pread(fd, result, sizeof result, off_t(page + 16)) == ssize_t(sizeof result));  // MAP_SHARED
  CHECK(result[0] == 11.0f);
  CHECK(result[1] == 22.0f);
  ANeuralNetworksExecution_free(e);
  ANeuralNetworksCompilation_free(compilation);
  ANeuralNetworksMemory_free(memory);
  std::fclose(file);
}
