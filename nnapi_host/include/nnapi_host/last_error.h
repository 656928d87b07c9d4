/* An extension of the desktop NNAPI, not part of Android's NNAPI: the message behind the calling thread's last
 * failed call. NNAPI's C API returns only a result code (a phone's NNAPI explains itself in logcat), so a client
 * that wants to tell its user *why* looks this function up with dlsym and uses it when present. */
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

/* "ANeuralNetworksCompilation_finish: operation 3: ..." for the last call of this thread that failed: the C API
 * function's name, ": ", and what the library printed on stderr. "" when no call of this thread has failed. The
 * pointer stays valid until this thread's next failing call. */
const char* NnapiHost_lastErrorMessage(void);

#ifdef __cplusplus
}
#endif
