#include "api/api_util.h"

#include <cstdio>

#include "nnapi/nnapi_host.h"

namespace nnapi_host {
namespace {

thread_local std::string lastError;

}  // namespace

int fail(int code, const char* function, const std::string& what) {
  lastError = std::string(function) + ": " + what;
  std::fprintf(stderr, "nnapi_host: %s\n", lastError.c_str());
  return code;
}

}  // namespace nnapi_host

extern "C" const char* NnapiHost_lastError(void) { return nnapi_host::lastError.c_str(); }
