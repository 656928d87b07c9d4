// torch.classes.nnapi_convert.Model.available(), which a converted module asks before running a partition on
// NNAPI (else it runs the partition's original ops on the CPU). What it answers depends on settings read once per
// process (NNAPI_LIBRARY by the runtime, NNAPI_HOST_FEATURE_LEVEL by the desktop NNAPI), so these test cases are
// hidden ("[.tag]") and ctest runs each tag in its own processes with its setting (tests/runtime/CMakeLists.txt).
#include "feature_level.h"
#include "module_io.h"
#include "test_models.h"
#include "wrapper/wrap_module.h"

#include <catch2/catch.hpp>

#include <c10/util/Exception.h>
#include <torch/script.h>

#include <climits>
#include <cstdlib>

using namespace nnapi_convert::runtime;
using namespace nnc_test;
using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using Catch::Matchers::StartsWith;

namespace {

// Fails the test, saying how to run it, unless the process was started with `variable`=`value`.
void requireSetting(const char* variable, const char* value) {
  const char* actual = std::getenv(variable);
  INFO("run through ctest, which sets " << variable << "=" << value << " for this test");
  REQUIRE(actual != nullptr);
  REQUIRE(std::string(actual) == value);
}

// The NNAPI in use must be the desktop one built with the runtime (an NNAPI on LD_LIBRARY_PATH would win).
void requireDesktopNnapi() {
  char used[PATH_MAX], built[PATH_MAX];
  REQUIRE(realpath(nnapiLibraryInfo().path.c_str(), used) != nullptr);
  REQUIRE(realpath((std::string(NNC_TEST_LIB_DIR) + "/libneuralnetworks.so").c_str(), built) != nullptr);
  REQUIRE(std::string(used) == built);
}

// The TORCH_WARN messages issued while this object lives.
class CollectedWarnings : public c10::WarningHandler {
 public:
  void process(const c10::SourceLocation&, const std::string& message, bool) override {
    messages.push_back(message);
  }
  std::vector<std::string> messages;

 private:
  c10::Warning::WarningHandlerGuard guard_{this};
};

// The Model object of `spec`, asked as a converted module asks it.
struct Partition {
  explicit Partition(const ModelSpec& spec) : model(nnc::makePartitionObject({serialize(spec), {}})) {}

  bool available() {
    torch::jit::Stack stack{model};
    model.toObject()->type()->getMethod("available").run(stack);
    return stack.back().toBool();
  }

  // The partition's outputs' first tensor, as the converted forward's NNAPI branch computes it.
  at::Tensor run(const std::vector<c10::IValue>& inputs) {
    c10::List<at::Tensor> tensors;
    for (const c10::IValue& input : inputs) tensors.push_back(input.toTensor());
    torch::jit::Stack stack{model, c10::IValue(tensors)};
    model.toObject()->type()->getMethod("run").run(stack);
    return stack.back().toTensorList().get(0);
  }

  c10::IValue model;
};

// addReluModel() marked as needing `level` (it holds one float ADD, feature level 1, so only the mark differs).
ModelSpec addReluNeeding(int32_t level) {
  ModelSpec spec = addReluModel();
  spec.min_feature_level = level;
  return spec;
}

// moduleInputs({{2,3},{2,3}}): relu(a + b) = {0,0,0,1,2,3}.
const std::vector<float> kReluSum = {0, 0, 0, 1, 2, 3};

// A partition of `spec` is available, runs (x + y through RELU), and nothing is warned.
void requireRuns(const ModelSpec& spec) {
  CollectedWarnings warnings;
  Partition partition(spec);
  CHECK(partition.available());
  CHECK(floatValues(partition.run(moduleInputs({{2, 3}, {2, 3}}))) == kReluSum);
  CHECK(warnings.messages.empty());
}

// What every reason NNAPI cannot run a partition of `spec` shares: available() answers false every time it is
// asked, with exactly one warning, which gives `reason` and ends saying the CPU runs the partition instead; run()
// (what a module converted with --no-cpu-fallback calls) raises the same reason, saying there is no CPU path.
void requireCpuFallback(const ModelSpec& spec, const std::string& reason) {
  CollectedWarnings warnings;
  Partition partition(spec);
  CHECK_FALSE(partition.available());
  CHECK_FALSE(partition.available());
  CHECK_FALSE(partition.available());
  REQUIRE(warnings.messages.size() == 1);
  CHECK_THAT(warnings.messages[0], StartsWith("nnapi-convert runtime: ") && Contains(reason) &&
                                       EndsWith(": running this NNAPI partition on the CPU instead"));
  CHECK_THROWS_WITH(partition.run(moduleInputs({{2, 3}, {2, 3}})),
                    Contains(reason) && EndsWith("this NNAPI partition cannot run here (a module converted with "
                                                 "--no-cpu-fallback has no CPU path to take instead)"));
  // Another partition with the same reason (a model of many partitions) does not say it again.
  CHECK_FALSE(Partition(spec).available());
  CHECK(warnings.messages.size() == 1);
}

}  // namespace

TEST_CASE("Feature level 1: a partition that needs feature level 3 is not available, with one warning",
          "[.fl1]") {
  requireSetting("NNAPI_HOST_FEATURE_LEVEL", "1");
  requireDesktopNnapi();
  CHECK(nnapiFeatureLevel(nnapiLibrary().functions) == 27);
  requireCpuFallback(addReluNeeding(29),
                     "this NNAPI partition needs Android 10 (API 29, NNAPI feature level 3); the device has Android "
                     "8.1 (API 27, NNAPI feature level 1) (NNAPI library ");
}

TEST_CASE("Feature level 1: a partition that needs only feature level 1 is available and runs", "[.fl1]") {
  requireSetting("NNAPI_HOST_FEATURE_LEVEL", "1");
  requireRuns(addReluNeeding(27));
}

TEST_CASE("Feature level 6 (reported as 1000006): a partition recorded at level 7 is not available, one at level 6 "
          "runs",
          "[.fl6]") {
  requireSetting("NNAPI_HOST_FEATURE_LEVEL", "6");
  requireDesktopNnapi();
  CHECK(nnapiFeatureLevel(nnapiLibrary().functions) == 33);
  requireRuns(addReluNeeding(33));
  requireCpuFallback(addReluNeeding(34),
                     "this NNAPI partition needs Android 14 (API 34, NNAPI feature level 7); the device has Android "
                     "13 (API 33, NNAPI feature level 6) (NNAPI library ");
}

TEST_CASE("Without NNAPI_HOST_FEATURE_LEVEL the desktop NNAPI is feature level 7 and a partition recorded at "
          "level 7 is available",
          "[.default_level]") {
  requireSetting("NNAPI_HOST_FEATURE_LEVEL", "");
  requireDesktopNnapi();
  CHECK(nnapiFeatureLevel(nnapiLibrary().functions) == 34);
  CollectedWarnings warnings;
  Partition partition(addReluNeeding(34));
  CHECK(partition.available());
  CHECK(partition.available());
  CHECK(floatValues(partition.run(moduleInputs({{2, 3}, {2, 3}}))) == kReluSum);
  CHECK(warnings.messages.empty());
}

TEST_CASE("NNAPI_LIBRARY naming a missing file: not available, one warning, no crash", "[.missing_library]") {
  requireSetting("NNAPI_LIBRARY", "/nonexistent/libneuralnetworks.so");
  requireCpuFallback(addReluNeeding(27),
                     "cannot load the NNAPI library named by NNAPI_LIBRARY=/nonexistent/libneuralnetworks.so: ");
}

TEST_CASE("A device that refuses to build the model: not available, one warning with the library's reason",
          "[.model_refused]") {
  requireSetting("NNAPI_HOST_FAIL", "model");
  requireDesktopNnapi();
  requireCpuFallback(addReluNeeding(27),
                     "ANeuralNetworksModel_finish failed with ANEURALNETWORKS_OP_FAILED (5), the NNAPI library says: "
                     "refused as asked by NNAPI_HOST_FAIL=model (a test hook of the desktop NNAPI) (NNAPI library ");
}

TEST_CASE("A device that refuses to compile the model: not available, one warning with the library's reason",
          "[.compilation_refused]") {
  requireSetting("NNAPI_HOST_FAIL", "compilation");
  requireDesktopNnapi();
  requireCpuFallback(addReluNeeding(27),
                     "ANeuralNetworksCompilation_finish failed with ANEURALNETWORKS_OP_FAILED (5), the NNAPI library "
                     "says: refused as asked by NNAPI_HOST_FAIL=compilation (a test hook of the desktop NNAPI) (NNAPI "
                     "library ");
}
