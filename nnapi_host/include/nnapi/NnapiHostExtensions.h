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

#ifdef __cplusplus
}
#endif
