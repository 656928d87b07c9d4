// Shared by the C API entry points: error reporting to stderr ("nnapi_host: <function>: <what>") and a guard
// that turns C++ exceptions into result codes, so nothing thrown ever crosses the C ABI.
#pragma once

#include <new>
#include <stdexcept>
#include <string>

#include "nnapi/NeuralNetworks.h"

namespace nnapi_host {

// Prints the message, keeps it for NnapiHost_lastError (nnapi/nnapi_host.h) and returns `code`, for
// `return fail(code, __func__, "...")`.
int fail(int code, const char* function, const std::string& what);

// Runs body(function); `function` is passed in because __func__ inside a lambda names the lambda.
template <typename Body>
int guarded(const char* function, Body&& body) {
  try {
    return body(function);
  } catch (const std::bad_alloc&) {
    return fail(ANEURALNETWORKS_OUT_OF_MEMORY, function, "out of memory");
  } catch (const std::exception& e) {
    return fail(ANEURALNETWORKS_OP_FAILED, function, std::string("internal error: ") + e.what());
  }
}

}  // namespace nnapi_host

// Null-argument checks: every required pointer must be non-NULL (UNEXPECTED_NULL).
#define NNAPI_REQUIRE_NONNULL(ptr)                                                                               \
  do {                                                                                                           \
    if ((ptr) == nullptr) return ::nnapi_host::fail(ANEURALNETWORKS_UNEXPECTED_NULL, __func__, #ptr " is NULL"); \
  } while (0)
