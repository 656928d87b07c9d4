// The NNAPI feature level the runtime reads from a library (device queries, or the functions it exports), and the
// refusal of a model that needs a newer one. Tables with entries replaced stand in for older or newer phones.
#include "compiled_model.h"
#include "feature_level.h"
#include "module_io.h"
#include "test_models.h"

#include <catch2/catch.hpp>

#include <ATen/ATen.h>

#include <cstring>

using namespace nnapi_convert::runtime;
using Catch::Matchers::Contains;

namespace {

// Two devices reporting fakeDeviceLevels (set by twoDevices; the fake functions cannot capture).
int64_t fakeDeviceLevels[2];
ANeuralNetworksDevice* fakeDevice(uint32_t index) {
  static char devices[2];
  return reinterpret_cast<ANeuralNetworksDevice*>(&devices[index]);
}

NnapiFunctions twoDevices(int64_t first, int64_t second) {
  fakeDeviceLevels[0] = first;
  fakeDeviceLevels[1] = second;
  NnapiFunctions functions;
  functions.ANeuralNetworks_getDeviceCount = [](uint32_t* count) {
    *count = 2;
    return int(ANEURALNETWORKS_NO_ERROR);
  };
  functions.ANeuralNetworks_getDevice = [](uint32_t index, ANeuralNetworksDevice** device) {
    *device = fakeDevice(index);
    return int(ANEURALNETWORKS_NO_ERROR);
  };
  functions.ANeuralNetworksDevice_getFeatureLevel = [](const ANeuralNetworksDevice* device, int64_t* level) {
    *level = fakeDeviceLevels[device == fakeDevice(0) ? 0 : 1];
    return int(ANEURALNETWORKS_NO_ERROR);
  };
  return functions;
}

// The desktop NNAPI as a feature level 1 or 2 library: no device queries, and for level 1 no relaxed float.
NnapiFunctions withoutDeviceQueries(bool relaxed_float) {
  NnapiFunctions functions = nnapiLibrary().functions;
  functions.ANeuralNetworks_getRuntimeFeatureLevel = nullptr;
  functions.ANeuralNetworks_getDeviceCount = nullptr;
  functions.ANeuralNetworks_getDevice = nullptr;
  functions.ANeuralNetworksDevice_getFeatureLevel = nullptr;
  if (!relaxed_float) functions.ANeuralNetworksModel_relaxComputationFloat32toFloat16 = nullptr;
  return functions;
}

}  // namespace

TEST_CASE("A library's feature level is the highest any of its devices reports", "[runtime][level]") {
  CHECK(nnapiFeatureLevel(twoDevices(30, 27)) == 30);
  CHECK(nnapiFeatureLevel(twoDevices(27, 29)) == 29);
  CHECK(nnapiFeatureLevel(twoDevices(31, 30)) == 31);  // feature level 5
}

TEST_CASE("Feature levels 6 and later, reported as 1000006 and up, are the API levels that introduced them",
          "[runtime][level]") {
  CHECK(nnapiFeatureLevel(twoDevices(1000006, 30)) == 33);
  CHECK(nnapiFeatureLevel(twoDevices(30, 1000008)) == 35);
  CHECK(describeFeatureLevel(33) == "Android 13 (API 33, NNAPI feature level 6)");
  CHECK(describeFeatureLevel(29) == "Android 10 (API 29, NNAPI feature level 3)");
  CHECK(describeFeatureLevel(40) == "API level 40");
}

TEST_CASE("A library with ANeuralNetworks_getRuntimeFeatureLevel (feature level 5 on) is the runtime's level",
          "[runtime][level]") {
  NnapiFunctions functions = twoDevices(30, 30);  // drivers of Android 11 under a newer NNAPI runtime
  functions.ANeuralNetworks_getRuntimeFeatureLevel = [] { return int64_t(ANEURALNETWORKS_FEATURE_LEVEL_7); };
  CHECK(nnapiFeatureLevel(functions) == 34);
  functions.ANeuralNetworks_getRuntimeFeatureLevel = [] { return int64_t(ANEURALNETWORKS_FEATURE_LEVEL_5); };
  CHECK(nnapiFeatureLevel(functions) == 31);
}

TEST_CASE("Without device queries the level follows the functions: relaxed float is feature level 2",
          "[runtime][level]") {
  CHECK(nnapiFeatureLevel(withoutDeviceQueries(true)) == 28);
  CHECK(nnapiFeatureLevel(withoutDeviceQueries(false)) == 27);
}

TEST_CASE("A failing device query fails with the call named", "[runtime][level]") {
  NnapiFunctions functions = twoDevices(30, 30);
  functions.ANeuralNetworks_getDeviceCount = [](uint32_t*) { return int(ANEURALNETWORKS_BAD_STATE); };
  CHECK_THROWS_WITH(nnapiFeatureLevel(functions), Contains("ANeuralNetworks_getDeviceCount") &&
                                                      Contains("ANEURALNETWORKS_BAD_STATE"));
}

TEST_CASE("A model that needs a newer feature level than the library's is refused before NNAPI sees it",
          "[runtime][level]") {
  nnc_test::ModelSpec spec = nnc_test::addReluModel();
  spec.min_feature_level = 29;
  const at::Tensor bytes = nnc_test::bytesTensor(nnc_test::serialize(spec));
  CHECK_THROWS_WITH(CompiledModel(bytes, withoutDeviceQueries(false)),
                    "nnapi-convert runtime: this NNAPI partition needs Android 10 (API 29, NNAPI feature level 3); "
                    "the device has Android 8.1 (API 27, NNAPI feature level 1)");
  spec.min_feature_level = 28;
  CHECK_NOTHROW(CompiledModel(nnc_test::bytesTensor(nnc_test::serialize(spec)), withoutDeviceQueries(true)));
}
