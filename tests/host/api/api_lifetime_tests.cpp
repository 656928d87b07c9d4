// What outlives what in the C API, and bad memory descriptions (issue 10, item 7): a client may free a model or a
// compilation while an execution or burst made from it is alive, and the execution must still run (it was a heap
// use-after-free); a memory must not reach past the end of its file (a later read would fault); a failed call's
// reason is available to the caller (NnapiHost_lastErrorMessage).
#include <catch2/catch.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "model_builder.h"
#include "nnapi/NnapiHostExtensions.h"

using host_test::ModelBuilder;

namespace {

// A finished compilation of out = in + 1 on [2] floats; the model is freed before this returns.
ANeuralNetworksCompilation* compileAddOneThenFreeModel() {
  ModelBuilder m;
  const uint32_t in = m.f32({2}), out = m.f32({2});
  REQUIRE(m.op(ANEURALNETWORKS_ADD, {in, m.constF32({2}, {1, 1}), m.i32(0)}, {out}) == 0);
  REQUIRE(m.io({in}, {out}) == 0);
  REQUIRE(m.finish() == 0);
  ANeuralNetworksCompilation* compilation = nullptr;
  REQUIRE(ANeuralNetworksCompilation_create(m.model(), &compilation) == 0);
  REQUIRE(ANeuralNetworksCompilation_finish(compilation) == 0);
  return compilation;  // ~ModelBuilder frees the model
}

}  // namespace

TEST_CASE("an execution runs after its model and compilation are freed") {
  ANeuralNetworksCompilation* compilation = compileAddOneThenFreeModel();
  ANeuralNetworksExecution* execution = nullptr;
  REQUIRE(ANeuralNetworksExecution_create(compilation, &execution) == 0);
  ANeuralNetworksBurst* burst = nullptr;
  REQUIRE(ANeuralNetworksBurst_create(compilation, &burst) == 0);
  ANeuralNetworksCompilation_free(compilation);

  const float x[2] = {1, 2};
  float y[2] = {0, 0};
  REQUIRE(ANeuralNetworksExecution_setInput(execution, 0, nullptr, x, sizeof x) == 0);
  REQUIRE(ANeuralNetworksExecution_setOutput(execution, 0, nullptr, y, sizeof y) == 0);
  REQUIRE(ANeuralNetworksExecution_burstCompute(execution, burst) == 0);
  CHECK(y[0] == 2.0f);
  CHECK(y[1] == 3.0f);
  ANeuralNetworksExecution_free(execution);
  ANeuralNetworksBurst_free(burst);  // the last holder of the compilation and, through it, the model
}

TEST_CASE("Memory_createFromFd refuses a range past the end of the file") {
  FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  const int fd = fileno(file);
  const size_t page = size_t(sysconf(_SC_PAGESIZE));
  REQUIRE(ftruncate(fd, off_t(page + 64)) == 0);
  ANeuralNetworksMemory* memory = nullptr;
  CHECK(ANeuralNetworksMemory_createFromFd(65, PROT_READ, fd, page, &memory) == ANEURALNETWORKS_BAD_DATA);
  CHECK(memory == nullptr);
  CHECK(std::string(NnapiHost_lastErrorMessage()) ==
        "ANeuralNetworksMemory_createFromFd: size 65 at offset " + std::to_string(page) +
            " reaches past the end of the " + std::to_string(page + 64) + "-byte file");
  CHECK(ANeuralNetworksMemory_createFromFd(1, PROT_READ, fd, 2 * page, &memory) == ANEURALNETWORKS_BAD_DATA);
  CHECK(ANeuralNetworksMemory_createFromFd(SIZE_MAX, PROT_READ, fd, 1, &memory) == ANEURALNETWORKS_BAD_DATA);
  REQUIRE(ANeuralNetworksMemory_createFromFd(page + 64, PROT_READ, fd, 0, &memory) == 0);  // exactly the file
  ANeuralNetworksMemory_free(memory);
  std::fclose(file);
}

TEST_CASE("NnapiHost_lastErrorMessage says why the last failing call failed, and a success leaves it") {
  ModelBuilder m;
  const uint32_t in = m.f32({2}), out = m.f32({2});
  REQUIRE(m.op(ANEURALNETWORKS_RELU, {in}, {out}) == 0);
  CHECK(m.finish() == ANEURALNETWORKS_BAD_DATA);  // no inputs and outputs identified
  const std::string reason = NnapiHost_lastErrorMessage();
  CHECK(reason.rfind("ANeuralNetworksModel_finish: ", 0) == 0);
  CHECK(reason.size() > std::string("ANeuralNetworksModel_finish: ").size());
  uint32_t count = 0;
  REQUIRE(ANeuralNetworks_getDeviceCount(&count) == 0);
  CHECK(NnapiHost_lastErrorMessage() == reason);
}
