/* nnapi_host's one function beyond the NNAPI C API. NNAPI answers a failed call with a result code only; the
 * desktop NNAPI also knows why (it prints "nnapi_host: <function>: <why>" on stderr). A client that finds this
 * function with dlsym can put that reason into its own error; a phone's libneuralnetworks.so does not have it. */
#ifndef NNAPI_CONVERT_NNAPI_HOST_H
#define NNAPI_CONVERT_NNAPI_HOST_H

#ifdef __cplusplus
extern "C" {
#endif

/* The message of the most recent call on this thread that failed, "<function>: <why>" (e.g.
 * "ANeuralNetworksModel_finish: operand 3 is never written"), or "" when none has. Calls that succeed leave it
 * unchanged, so a client reads it right after a failure and checks that it names the call that failed. The text
 * stays valid until the thread's next failing call. */
const char* NnapiHost_lastError(void);

#ifdef __cplusplus
}
#endif

#endif /* NNAPI_CONVERT_NNAPI_HOST_H */
