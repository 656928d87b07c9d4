#include "feature_level.h"

#include <algorithm>
#include <stdexcept>

namespace nnapi_convert::runtime {
namespace {

// ANEURALNETWORKS_FEATURE_LEVEL_6 and later are 1000000 + the feature level, no longer an API level.
constexpr int64_t kFeatureLevelBase = 1000000;
// Feature level 6 came with Android 13, API 33; each later level with the next API level.
constexpr int64_t kApiLevelOfFeatureLevel6 = 33;

int64_t apiLevelOf(int64_t reported) {
  if (reported <= kFeatureLevelBase) return reported;
  return kApiLevelOfFeatureLevel6 + (reported - kFeatureLevelBase - 6);
}

}  // namespace

int64_t nnapiFeatureLevel(const NnapiFunctions& nnapi) {
  // Since feature level 5 the runtime states its own level, which is what it validates a model against; a device
  // of a lower level only means some operations run on another device (NNAPI's CPU implementation).
  if (nnapi.ANeuralNetworks_getRuntimeFeatureLevel != nullptr) {
    return apiLevelOf(nnapi.ANeuralNetworks_getRuntimeFeatureLevel());
  }
  if (nnapi.ANeuralNetworks_getDeviceCount == nullptr || nnapi.ANeuralNetworks_getDevice == nullptr ||
      nnapi.ANeuralNetworksDevice_getFeatureLevel == nullptr) {
    return nnapi.ANeuralNetworksModel_relaxComputationFloat32toFloat16 != nullptr ? 28 : 27;
  }
  uint32_t count = 0;
  checkNnapiResult(nnapi.ANeuralNetworks_getDeviceCount(&count), "ANeuralNetworks_getDeviceCount");
  if (count == 0) throw std::runtime_error("nnapi-convert runtime: the NNAPI library reports no devices");
  int64_t highest = 0;
  for (uint32_t i = 0; i < count; ++i) {
    const std::string subject = "device " + std::to_string(i);
    ANeuralNetworksDevice* device = nullptr;
    checkNnapiResult(nnapi.ANeuralNetworks_getDevice(i, &device), "ANeuralNetworks_getDevice", subject);
    int64_t level = 0;
    checkNnapiResult(nnapi.ANeuralNetworksDevice_getFeatureLevel(device, &level),
                     "ANeuralNetworksDevice_getFeatureLevel", subject);
    highest = std::max(highest, apiLevelOf(level));
  }
  return highest;
}

std::string describeFeatureLevel(int64_t level) {
  struct Named {
    int64_t api_level;
    const char* android;
    int feature_level;
  };
  static const Named kNamed[] = {{27, "8.1", 1}, {28, "9", 2},  {29, "10", 3}, {30, "11", 4},
                                 {31, "12", 5},  {33, "13", 6}, {34, "14", 7}, {35, "15", 8}};
  for (const Named& named : kNamed) {
    if (named.api_level == level) {
      return "Android " + std::string(named.android) + " (API " + std::to_string(level) + ", NNAPI feature level " +
             std::to_string(named.feature_level) + ")";
    }
  }
  return "API level " + std::to_string(level);
}

}  // namespace nnapi_convert::runtime
