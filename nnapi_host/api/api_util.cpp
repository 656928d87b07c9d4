#include "api/api_util.h"

#include <cstdio>

#include "nnapi/NnapiHostExtensions.h"

namespace nnapi_host {
namespace {

// Per thread, as NNAPI clients build and compile models on several threads at once.
thread_local std::string last_error;

}  // namespace

int fail(int code, const char* function, const std::string& what) {
  last_error = std::string(function) + ": " + what;
  std::fprintf(stderr, "nnapi_host: %s\n", last_error.c_str());
  return code;
}

}  // namespace nnapi_host

extern "C" const char* NnapiHost_lastErrorMessage(void) { return nnapi_host::last_error.c_str(); }
