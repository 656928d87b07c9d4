// A test hook: NNAPI_HOST_FAIL=model or NNAPI_HOST_FAIL=compilation makes every ANeuralNetworksModel_finish or
// every ANeuralNetworksCompilation_finish of the process fail with ANEURALNETWORKS_OP_FAILED and a message naming
// the setting, as a phone's NNAPI does when its driver refuses a model. Clients (the runtime's CPU fallback) can
// so be tested on a PC against a device that cannot build or compile. Read once, at the first finish; unset or
// empty: nothing fails; any other value is reported on stderr and ignored.
#pragma once

#include <string>

namespace nnapi_host {

enum class InjectedFailure { Model, Compilation };

// The message to fail `stage` with when NNAPI_HOST_FAIL names it, else "".
std::string injectedFailure(InjectedFailure stage);

}  // namespace nnapi_host
