// The desktop NNAPI's test hook NNAPI_HOST_FAIL=model|compilation (api/injected_failure.h) and its one extension,
// NnapiHost_lastErrorMessage (nnapi/NnapiHostExtensions.h). The variable is read once per process, so each test case is
// tagged with the setting it expects and ctest runs it in its own process (tests/host/api/CMakeLists.txt).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "model_builder.h"
#include "nnapi/NnapiHostExtensions.h"

using host_test::ModelBuilder;
using Catch::Matchers::Equals;

namespace {

void requireSetting(const char* value) {
  const char* actual = std::getenv("NNAPI_HOST_FAIL");
  INFO("run through ctest, which sets NNAPI_HOST_FAIL=" << value << " for this test");
  REQUIRE(actual != nullptr);
  REQUIRE(std::string(actual) == value);
}

// relu(x) on a [2] float tensor, operations and inputs/outputs added, not finished.
void buildRelu(ModelBuilder& builder) {
  const uint32_t x = builder.f32({2});
  const uint32_t y = builder.f32({2});
  REQUIRE(builder.op(ANEURALNETWORKS_RELU, {x}, {y}) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(builder.io({x}, {y}) == ANEURALNETWORKS_NO_ERROR);
}

int compile(ANeuralNetworksModel* model) {
  ANeuralNetworksCompilation* compilation = nullptr;
  REQUIRE(ANeuralNetworksCompilation_create(model, &compilation) == ANEURALNETWORKS_NO_ERROR);
  const int result = ANeuralNetworksCompilation_finish(compilation);
  ANeuralNetworksCompilation_free(compilation);
  return result;
}

}  // namespace

TEST_CASE("NnapiHost_lastErrorMessage: the calling thread's last failed call, named, with the library's reason",
          "[no_hook]") {
  requireSetting("");
  ModelBuilder builder;
  CHECK(ANeuralNetworksModel_addOperand(builder.model(), nullptr) == ANEURALNETWORKS_UNEXPECTED_NULL);
  CHECK_THAT(NnapiHost_lastErrorMessage(), Equals("ANeuralNetworksModel_addOperand: type is NULL"));
  // Successful calls leave it as it was; the hook is off, so the model builds and compiles.
  buildRelu(builder);
  CHECK(builder.finish() == ANEURALNETWORKS_NO_ERROR);
  CHECK(compile(builder.model()) == ANEURALNETWORKS_NO_ERROR);
  CHECK_THAT(NnapiHost_lastErrorMessage(), Equals("ANeuralNetworksModel_addOperand: type is NULL"));
}

TEST_CASE("NNAPI_HOST_FAIL=model: ANeuralNetworksModel_finish fails, saying why, and the model cannot be compiled",
          "[fail_model]") {
  requireSetting("model");
  ModelBuilder builder;
  buildRelu(builder);
  CHECK(builder.finish() == ANEURALNETWORKS_OP_FAILED);
  CHECK_THAT(NnapiHost_lastErrorMessage(),
             Equals("ANeuralNetworksModel_finish: refused as asked by NNAPI_HOST_FAIL=model (a test hook of the "
                    "desktop NNAPI)"));
  ANeuralNetworksCompilation* compilation = nullptr;
  CHECK(ANeuralNetworksCompilation_create(builder.model(), &compilation) == ANEURALNETWORKS_BAD_STATE);
}

TEST_CASE("NNAPI_HOST_FAIL=compilation: models finish, every ANeuralNetworksCompilation_finish fails saying why",
          "[fail_compilation]") {
  requireSetting("compilation");
  ModelBuilder builder;
  buildRelu(builder);
  CHECK(builder.finish() == ANEURALNETWORKS_NO_ERROR);
  CHECK(compile(builder.model()) == ANEURALNETWORKS_OP_FAILED);
  CHECK_THAT(NnapiHost_lastErrorMessage(),
             Equals("ANeuralNetworksCompilation_finish: refused as asked by NNAPI_HOST_FAIL=compilation (a test "
                    "hook of the desktop NNAPI)"));
  CHECK(compile(builder.model()) == ANEURALNETWORKS_OP_FAILED);
}

TEST_CASE("NNAPI_HOST_FAIL with an unknown stage is ignored: models build and compile", "[bad_stage]") {
  requireSetting("execution");
  ModelBuilder builder;
  buildRelu(builder);
  CHECK(builder.finish() == ANEURALNETWORKS_NO_ERROR);
  CHECK(compile(builder.model()) == ANEURALNETWORKS_NO_ERROR);
}
