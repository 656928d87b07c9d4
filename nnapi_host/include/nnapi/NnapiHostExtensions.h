// Functions of the desktop NNAPI (nnapi_host) beyond the NNAPI C API, for tests and tools. A phone's
// libneuralnetworks.so has none of them: look them up with dlsym and expect NULL there.
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Since the library was loaded: how many ANeuralNetworksCompilation_finish calls compiled the model, and how many
// took a valid plan from the compilation cache instead (see ANeuralNetworksCompilation_setCaching). Either
// pointer may be NULL.
void NnapiHost_getCompilationCounts(uint64_t* compiled, uint64_t* fromCache);

// The message behind the calling thread's last failed call: NNAPI's C API returns only a result code (a phone's
// NNAPI explains itself in logcat), so a client that wants to tell its user *why* uses this when present.
// "ANeuralNetworksCompilation_finish: operation 3: ..." : the C API function's name, ": ", and what the library
// printed on stderr; "" when no call of this thread has failed. Valid until this thread's next failing call.
const char* NnapiHost_lastErrorMessage(void);

#ifdef __cplusplus
}
#endif
