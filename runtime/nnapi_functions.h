// The runtime reaches NNAPI only through this table of function pointers, filled with dlsym from a
// libneuralnetworks.so opened with dlopen. So the runtime never links an NNAPI: on a phone it uses the system's,
// on a PC the desktop NNAPI built next to it, and a test can hand CompiledModel a table with entries changed.
#pragma once

#include <nnapi/NeuralNetworks.h>
#include <nnapi/NnapiHostExtensions.h>
#include <nnapi_convert/runtime.h>

#include <string>

namespace nnapi_convert::runtime {

enum class FunctionNeed { Required, Optional };

// X(function, need) for every function of the NNAPI C API, and the desktop NNAPI's NnapiHost_lastErrorMessage (why a call
// failed; nnapi/NnapiHostExtensions.h), which a phone's library lacks. `Required`: the runtime calls it on every model, so a
// library without it is rejected when loaded (all FL1). `Optional`: the entry stays null when the library lacks
// it; code that needs one checks for null and says which function is missing.
#define NNAPI_CONVERT_FOR_EACH_FUNCTION(X)                        \
  X(ANeuralNetworks_getRuntimeFeatureLevel, Optional)             \
  X(ANeuralNetworks_getDeviceCount, Optional)                     \
  X(ANeuralNetworks_getDevice, Optional)                          \
  X(ANeuralNetworksDevice_getName, Optional)                      \
  X(ANeuralNetworksDevice_getType, Optional)                      \
  X(ANeuralNetworksDevice_getVersion, Optional)                   \
  X(ANeuralNetworksDevice_getFeatureLevel, Optional)              \
  X(ANeuralNetworksDevice_wait, Optional)                         \
  X(ANeuralNetworksMemory_createFromFd, Optional)                 \
  X(ANeuralNetworksMemory_createFromAHardwareBuffer, Optional)    \
  X(ANeuralNetworksMemory_free, Optional)                         \
  X(ANeuralNetworksMemoryDesc_create, Optional)                   \
  X(ANeuralNetworksMemoryDesc_free, Optional)                     \
  X(ANeuralNetworksMemoryDesc_addInputRole, Optional)             \
  X(ANeuralNetworksMemoryDesc_addOutputRole, Optional)            \
  X(ANeuralNetworksMemoryDesc_setDimensions, Optional)            \
  X(ANeuralNetworksMemoryDesc_finish, Optional)                   \
  X(ANeuralNetworksMemory_createFromDesc, Optional)               \
  X(ANeuralNetworksMemory_copy, Optional)                         \
  X(ANeuralNetworksModel_create, Required)                        \
  X(ANeuralNetworksModel_free, Required)                          \
  X(ANeuralNetworksModel_finish, Required)                        \
  X(ANeuralNetworksModel_addOperand, Required)                    \
  X(ANeuralNetworksModel_setOperandValue, Required)               \
  X(ANeuralNetworksModel_setOperandSymmPerChannelQuantParams, Optional) \
  X(ANeuralNetworksModel_setOperandValueFromMemory, Optional)     \
  X(ANeuralNetworksModel_setOperandValueFromModel, Optional)      \
  X(ANeuralNetworksModel_addOperation, Required)                  \
  X(ANeuralNetworksModel_identifyInputsAndOutputs, Required)      \
  X(ANeuralNetworksModel_getSupportedOperationsForDevices, Optional) \
  X(ANeuralNetworksModel_relaxComputationFloat32toFloat16, Optional) \
  X(ANeuralNetworksCompilation_create, Required)                  \
  X(ANeuralNetworksCompilation_createForDevices, Optional)        \
  X(ANeuralNetworksCompilation_free, Required)                    \
  X(ANeuralNetworksCompilation_setPreference, Required)           \
  X(ANeuralNetworksCompilation_setCaching, Optional)              \
  X(ANeuralNetworksCompilation_setPriority, Optional)             \
  X(ANeuralNetworksCompilation_setTimeout, Optional)              \
  X(ANeuralNetworksCompilation_finish, Required)                  \
  X(ANeuralNetworksExecution_create, Required)                    \
  X(ANeuralNetworksExecution_free, Required)                      \
  X(ANeuralNetworksExecution_setInput, Required)                  \
  X(ANeuralNetworksExecution_setInputFromMemory, Optional)        \
  X(ANeuralNetworksExecution_setOutput, Required)                 \
  X(ANeuralNetworksExecution_setOutputFromMemory, Optional)       \
  X(ANeuralNetworksExecution_startCompute, Required)              \
  X(ANeuralNetworksExecution_startComputeWithDependencies, Optional) \
  X(ANeuralNetworksExecution_compute, Optional)                   \
  X(ANeuralNetworksExecution_getOutputOperandRank, Optional)      \
  X(ANeuralNetworksExecution_getOutputOperandDimensions, Optional) \
  X(ANeuralNetworksExecution_setMeasureTiming, Optional)          \
  X(ANeuralNetworksExecution_getDuration, Optional)               \
  X(ANeuralNetworksExecution_setTimeout, Optional)                \
  X(ANeuralNetworksExecution_setLoopTimeout, Optional)            \
  X(ANeuralNetworksExecution_burstCompute, Optional)              \
  X(ANeuralNetworksBurst_create, Optional)                        \
  X(ANeuralNetworksBurst_free, Optional)                          \
  X(ANeuralNetworks_getDefaultLoopTimeout, Optional)              \
  X(ANeuralNetworks_getMaximumLoopTimeout, Optional)              \
  X(ANeuralNetworksEvent_wait, Required)                          \
  X(ANeuralNetworksEvent_free, Required)                          \
  X(ANeuralNetworksEvent_createFromSyncFenceFd, Optional)         \
  X(ANeuralNetworksEvent_getSyncFenceFd, Optional)                \
  X(NnapiHost_lastErrorMessage, Optional)

// One pointer per C API function, named like the function: `nnapi.ANeuralNetworksModel_create(&model)`.
struct NnapiFunctions {
#define NNAPI_CONVERT_DECLARE_POINTER(function, need) decltype(&::function) function = nullptr;
  NNAPI_CONVERT_FOR_EACH_FUNCTION(NNAPI_CONVERT_DECLARE_POINTER)
#undef NNAPI_CONVERT_DECLARE_POINTER
};

struct NnapiLibrary {
  NnapiLibraryInfo info;
  NnapiFunctions functions;
};

// Searches for and opens an NNAPI library (order in runtime.h) and fills the table. Every call searches afresh
// (dlopen handles are reference counted; the library is never closed). Throws std::runtime_error.
NnapiLibrary loadNnapiLibrary();

// The process-wide library, loaded by the first call. A failed load throws and is retried by the next call.
const NnapiLibrary& nnapiLibrary();

// "ANEURALNETWORKS_BAD_DATA" for 4; "unknown result code 99" outside the enum.
std::string resultCodeName(int code);

// Throws std::runtime_error "nnapi-convert runtime: <function>(<subject>) failed with <code name> (<code>)"
// unless `code` is NO_ERROR; `subject` says what the call was for, e.g. "operand 3 'x'". Cheap on success: runs
// call it on every input and output.
void checkNnapiResult(int code, const char* function, const std::string& subject = "");

// The same, with the library's reason for the failure appended when it can tell one (the desktop NNAPI's
// NnapiHost_lastErrorMessage, whose message names `function`): "... failed with ANEURALNETWORKS_BAD_DATA (4), the
// NNAPI library says: operand 3 is never written". A library without it (a phone) leaves the message naming the
// call that failed; its reasons are in logcat.
void checkNnapiResult(const NnapiFunctions& nnapi, int code, const char* function, const std::string& subject = "");

}  // namespace nnapi_convert::runtime
