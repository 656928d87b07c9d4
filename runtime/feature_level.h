// Which NNAPI feature level a loaded NNAPI library offers, so a model that needs a newer one is refused before
// NNAPI sees it (and a converted module can run that partition on the CPU instead).
#pragma once

#include "nnapi_functions.h"

#include <cstdint>
#include <string>

namespace nnapi_convert::runtime {

// The library's feature level as an Android API level, the scale of the model's min_feature_level (27..31 for
// feature levels 1..5; NNAPI reports 6, 7, ... as 1000006, ..., given here as the API levels that introduced them,
// 33, 34, ...): ANeuralNetworks_getRuntimeFeatureLevel's where the library has it (feature level 5 on), else the
// highest level any of its devices reports. A library without the device queries either (they came with feature
// level 3) is 28 when it has ANeuralNetworksModel_relaxComputationFloat32toFloat16 (feature level 2), else 27.
// Throws std::runtime_error when a device query fails or there is no device.
int64_t nnapiFeatureLevel(const NnapiFunctions& nnapi);

// "Android 10 (API 29, NNAPI feature level 3)"; "API level 40" for a level not known here. (The rules' describeLevel
// names the levels a model can need; this one also the newer levels a device can report, and the runtime links no
// part of nnapi_host.)
std::string describeFeatureLevel(int64_t level);

}  // namespace nnapi_convert::runtime
