#include "nnapi_functions.h"

#include "printable_text.h"

#include <dlfcn.h>

#include <cstdlib>
#include <stdexcept>
#include <vector>

namespace nnapi_convert::runtime {
namespace {

constexpr const char* kLibraryName = "libneuralnetworks.so";

struct OpenedLibrary {
  void* handle = nullptr;
  std::string name;  // as passed to dlopen
  std::string found_by;
};

// dlerror's text holds file names, which need not be UTF-8.
std::string lastDlError() {
  const char* message = dlerror();
  return message ? printableText(message) : "unknown dlopen error";
}

// The directory holding libnnapi_runtime.so, found from the address of one of its own functions.
std::string runtimeLibraryDirectory() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&loadNnapiLibrary), &info) == 0 || info.dli_fname == nullptr) return "";
  std::string path = info.dli_fname;
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

OpenedLibrary openLibrary() {
  // RTLD_NOW: a library with unresolvable dependencies fails here, not at some later call.
  constexpr int kFlags = RTLD_NOW | RTLD_LOCAL;

  // An explicit choice is final: falling back to another library would hide the user's mistake.
  const char* configured = std::getenv("NNAPI_LIBRARY");
  if (configured != nullptr && *configured != '\0') {
    void* handle = dlopen(configured, kFlags);
    if (handle == nullptr) {
      throw std::runtime_error("nnapi-convert runtime: cannot load the NNAPI library named by NNAPI_LIBRARY=" +
                               printableText(configured) + ": " + lastDlError());
    }
    return {handle, configured, "NNAPI_LIBRARY"};
  }

  std::vector<std::string> failures;
  if (void* handle = dlopen(kLibraryName, kFlags)) return {handle, kLibraryName, "the loader path"};
  failures.push_back("on the loader path: " + lastDlError());

  const std::string directory = runtimeLibraryDirectory();
  if (!directory.empty()) {
    const std::string beside = directory + "/" + kLibraryName;
    if (void* handle = dlopen(beside.c_str(), kFlags)) {
      return {handle, beside, "the directory of libnnapi_runtime.so"};
    }
    failures.push_back("next to libnnapi_runtime.so: " + lastDlError());
  }

  std::string message = "nnapi-convert runtime: no NNAPI library found. Tried:";
  for (const std::string& failure : failures) message += "\n  " + failure;
  message += "\nSet NNAPI_LIBRARY to the path of a libneuralnetworks.so.";
  throw std::runtime_error(message);
}

// The file the loader actually opened (dlopen by bare name does not say), via one of its symbols.
std::string resolvedPath(const NnapiFunctions& functions, const std::string& fallback) {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(functions.ANeuralNetworksModel_create), &info) != 0 && info.dli_fname) {
    return info.dli_fname;
  }
  return fallback;
}

}  // namespace

NnapiLibrary loadNnapiLibrary() {
  const OpenedLibrary opened = openLibrary();
  NnapiLibrary library;
  std::vector<std::string> missing;
  // dlsym returns void*; the table entries have the C API's exact types, taken from the header.
#define NNAPI_CONVERT_LOOK_UP(function, need)                                                        \
  library.functions.function = reinterpret_cast<decltype(&::function)>(dlsym(opened.handle, #function)); \
  if (library.functions.function == nullptr && FunctionNeed::need == FunctionNeed::Required) {           \
    missing.push_back(#function);                                                                    \
  }
  NNAPI_CONVERT_FOR_EACH_FUNCTION(NNAPI_CONVERT_LOOK_UP)
#undef NNAPI_CONVERT_LOOK_UP

  library.info.found_by = opened.found_by;
  library.info.path = resolvedPath(library.functions, opened.name);
  if (!missing.empty()) {
    std::string list;
    for (const std::string& name : missing) list += (list.empty() ? "" : ", ") + name;
    throw std::runtime_error("nnapi-convert runtime: " + printableText(library.info.path) + " (found via " +
                             opened.found_by + ") is not a usable NNAPI library: it does not export " + list);
  }
  return library;
}

const NnapiLibrary& nnapiLibrary() {
  // A static whose initializer throws is initialized again by the next call, which retries the search.
  static const NnapiLibrary library = loadNnapiLibrary();
  return library;
}

NnapiLibraryInfo nnapiLibraryInfo() { return nnapiLibrary().info; }

std::string resultCodeName(int code) {
  static const char* const kNames[] = {
      "ANEURALNETWORKS_NO_ERROR",
      "ANEURALNETWORKS_OUT_OF_MEMORY",
      "ANEURALNETWORKS_INCOMPLETE",
      "ANEURALNETWORKS_UNEXPECTED_NULL",
      "ANEURALNETWORKS_BAD_DATA",
      "ANEURALNETWORKS_OP_FAILED",
      "ANEURALNETWORKS_BAD_STATE",
      "ANEURALNETWORKS_UNMAPPABLE",
      "ANEURALNETWORKS_OUTPUT_INSUFFICIENT_SIZE",
      "ANEURALNETWORKS_UNAVAILABLE_DEVICE",
      "ANEURALNETWORKS_MISSED_DEADLINE_TRANSIENT",
      "ANEURALNETWORKS_MISSED_DEADLINE_PERSISTENT",
      "ANEURALNETWORKS_RESOURCE_EXHAUSTED_TRANSIENT",
      "ANEURALNETWORKS_RESOURCE_EXHAUSTED_PERSISTENT",
      "ANEURALNETWORKS_DEAD_OBJECT",
  };
  constexpr int kCount = sizeof(kNames) / sizeof(kNames[0]);
  if (code < 0 || code >= kCount) return "unknown result code " + std::to_string(code);
  return kNames[code];
}

namespace {

std::string failureText(int code, const char* function, const std::string& subject) {
  return "nnapi-convert runtime: " + std::string(function) + (subject.empty() ? "" : "(" + subject + ")") +
         " failed with " + resultCodeName(code) + " (" + std::to_string(code) + ")";
}

}  // namespace

void checkNnapiResult(int code, const char* function, const std::string& subject) {
  if (code == ANEURALNETWORKS_NO_ERROR) return;
  throw std::runtime_error(failureText(code, function, subject));
}

void checkNnapiResult(const NnapiFunctions& nnapi, int code, const char* function, const std::string& subject) {
  if (code == ANEURALNETWORKS_NO_ERROR) return;
  std::string message = failureText(code, function, subject);
  const char* reason = nnapi.NnapiHost_lastErrorMessage ? nnapi.NnapiHost_lastErrorMessage() : nullptr;
  // The reason must be this call's: a message left by an earlier failure names another function.
  const std::string prefix = std::string(function) + ": ";
  if (reason != nullptr && std::string(reason).rfind(prefix, 0) == 0)
    message += ", the NNAPI library says: " + printableText(std::string(reason).substr(prefix.size()));
  throw std::runtime_error(message);
}

}  // namespace nnapi_convert::runtime
