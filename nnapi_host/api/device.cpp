// Devices (FL3): one CPU device, this library, of the feature level it emulates; the runtime's feature level (FL5)
// is the same. Both are reported as NNAPI writes levels (ANEURALNETWORKS_FEATURE_LEVEL_7 = 1000007).
#include "api/api_util.h"
#include "api/emulated_level.h"
#include "api/objects.h"

namespace nnapi_host {

const ANeuralNetworksDevice& cpuDevice() {
  static const ANeuralNetworksDevice device{"nnapi-convert-host", "0.1.0",
                                            nnapi_rules::nnapiFeatureLevelCode(emulatedFeatureLevel())};
  return device;
}

}  // namespace nnapi_host

using nnapi_host::cpuDevice;
using nnapi_host::fail;

extern "C" {

int64_t ANeuralNetworks_getRuntimeFeatureLevel(void) { return cpuDevice().featureLevel; }

int ANeuralNetworks_getDeviceCount(uint32_t* numDevices) {
  NNAPI_REQUIRE_NONNULL(numDevices);
  *numDevices = 1;
  return ANEURALNETWORKS_NO_ERROR;
}

int ANeuralNetworks_getDevice(uint32_t devIndex, ANeuralNetworksDevice** device) {
  NNAPI_REQUIRE_NONNULL(device);
  if (devIndex != 0)
    return fail(ANEURALNETWORKS_BAD_DATA, __func__, "device index " + std::to_string(devIndex) + " >= count 1");
  *device = const_cast<ANeuralNetworksDevice*>(&cpuDevice());
  return ANEURALNETWORKS_NO_ERROR;
}

int ANeuralNetworksDevice_getName(const ANeuralNetworksDevice* device, const char** name) {
  NNAPI_REQUIRE_NONNULL(device);
  NNAPI_REQUIRE_NONNULL(name);
  *name = device->name;
  return ANEURALNETWORKS_NO_ERROR;
}

int ANeuralNetworksDevice_getType(const ANeuralNetworksDevice* device, int32_t* type) {
  NNAPI_REQUIRE_NONNULL(device);
  NNAPI_REQUIRE_NONNULL(type);
  *type = ANEURALNETWORKS_DEVICE_CPU;
  return ANEURALNETWORKS_NO_ERROR;
}

int ANeuralNetworksDevice_getVersion(const ANeuralNetworksDevice* device, const char** version) {
  NNAPI_REQUIRE_NONNULL(device);
  NNAPI_REQUIRE_NONNULL(version);
  *version = device->version;
  return ANEURALNETWORKS_NO_ERROR;
}

int ANeuralNetworksDevice_getFeatureLevel(const ANeuralNetworksDevice* device, int64_t* featureLevel) {
  NNAPI_REQUIRE_NONNULL(device);
  NNAPI_REQUIRE_NONNULL(featureLevel);
  *featureLevel = device->featureLevel;
  return ANEURALNETWORKS_NO_ERROR;
}

int ANeuralNetworksDevice_wait(const ANeuralNetworksDevice* device) {
  NNAPI_REQUIRE_NONNULL(device);
  return ANEURALNETWORKS_NO_ERROR;  // the CPU device is always alive
}

}  // extern "C"
