#include "api/api_util.h"

#include <cstdio>

namespace nnapi_host {

int fail(int code, const char* function, const std::string& what) {
  std::fprintf(stderr, "nnapi_host: %s: %s\n", function, what.c_str());
  return code;
}

}  // namespace nnapi_host
