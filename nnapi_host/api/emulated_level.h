// The NNAPI feature level this library presents itself as. NNAPI_HOST_FEATURE_LEVEL=1..7 makes it a device of
// feature level 1..7 (Android 8.1 .. 14), so a client's behaviour on older phones can be tried on a PC: the device
// reports that level and models using anything newer are refused as such a phone's NNAPI would refuse them.
// Unset or empty: level 7, everything this library implements. Any other value is reported on stderr at first
// use and level 7 is used (a typo should not silently look like an old phone, nor stop every client).
#pragma once

#include <string>

#include "validation/operation_rules.h"

namespace nnapi_host {

// As an API level (27..31, 33, 34; feature_levels.h). Read from the environment on the first call; later changes
// are not seen.
int emulatedFeatureLevel();

// A verdict's message for the client; when only the feature level failed, it also names the level emulated:
// "SUB on TENSOR_FLOAT32 needs Android 9 (API 28, NNAPI feature level 2); this device emulates feature level 1
// (NNAPI_HOST_FEATURE_LEVEL=1)".
std::string explainVerdict(const nnapi_rules::Verdict& verdict);

}  // namespace nnapi_host
