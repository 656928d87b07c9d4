// Finding and loading the NNAPI library, and naming result codes in errors.
#include "nnapi_functions.h"

#include <catch2/catch.hpp>

#include <dlfcn.h>

#include <climits>
#include <cstdlib>
#include <optional>

using namespace nnapi_convert::runtime;
using Catch::Matchers::Contains;

namespace {

// Sets (or with nullptr unsets) an environment variable for one test, restoring it afterwards.
class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) previous_ = old;
    if (value) setenv(name, value, 1); else unsetenv(name);
  }
  ~ScopedEnvironment() {
    if (previous_) setenv(name_, previous_->c_str(), 1); else unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> previous_;
};

std::string canonicalPath(const std::string& path) {
  char resolved[PATH_MAX];
  return realpath(path.c_str(), resolved) ? resolved : "(cannot resolve " + path + ")";
}

const std::string kDesktopNnapi = std::string(NNC_TEST_LIB_DIR) + "/libneuralnetworks.so";

}  // namespace

TEST_CASE("NNAPI_LIBRARY naming a missing file fails with the path and the loader's reason", "[runtime][loader]") {
  ScopedEnvironment environment("NNAPI_LIBRARY", "/nonexistent/libneuralnetworks.so");
  REQUIRE_THROWS_WITH(loadNnapiLibrary(), Contains("NNAPI_LIBRARY=/nonexistent/libneuralnetworks.so") &&
                                              Contains("No such file"));
}

TEST_CASE("A library that is not an NNAPI is rejected with the functions it lacks", "[runtime][loader]") {
  ScopedEnvironment environment("NNAPI_LIBRARY", "libm.so.6");
  REQUIRE_THROWS_WITH(loadNnapiLibrary(), Contains("is not a usable NNAPI library") &&
                                              Contains("ANeuralNetworksModel_create") &&
                                              Contains("ANeuralNetworksExecution_setInput"));
}

TEST_CASE("Without NNAPI_LIBRARY the desktop NNAPI next to libnnapi_runtime.so is used", "[runtime][loader]") {
  ScopedEnvironment environment("NNAPI_LIBRARY", nullptr);
  // dlopen("libneuralnetworks.so") also finds a library of that soname already loaded by an earlier test, or on
  // LD_LIBRARY_PATH (which ctest clears for these tests); only otherwise is the fallback the one that answers.
  void* already_loaded = dlopen(kDesktopNnapi.c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (already_loaded) dlclose(already_loaded);  // drops only the reference RTLD_NOLOAD added
  const char* loader_path = std::getenv("LD_LIBRARY_PATH");
  const bool fallback_expected = already_loaded == nullptr && (loader_path == nullptr || *loader_path == '\0');

  const NnapiLibrary library = loadNnapiLibrary();
  CHECK(canonicalPath(library.info.path) == canonicalPath(kDesktopNnapi));
  if (fallback_expected) CHECK(library.info.found_by == "the directory of libnnapi_runtime.so");
  // The desktop NNAPI is feature level 4: the optional functions the runtime prefers are there too.
  CHECK(library.functions.ANeuralNetworksExecution_compute != nullptr);
  CHECK(library.functions.ANeuralNetworksExecution_getOutputOperandDimensions != nullptr);
}

TEST_CASE("NNAPI_LIBRARY naming a real NNAPI is used and reported as such", "[runtime][loader]") {
  ScopedEnvironment environment("NNAPI_LIBRARY", kDesktopNnapi.c_str());
  const NnapiLibrary library = loadNnapiLibrary();
  CHECK(library.info.found_by == "NNAPI_LIBRARY");
  CHECK(canonicalPath(library.info.path) == canonicalPath(kDesktopNnapi));
}

TEST_CASE("NNAPI result codes become errors that name the call and the code", "[runtime][loader]") {
  CHECK_NOTHROW(checkNnapiResult(ANEURALNETWORKS_NO_ERROR, "ANeuralNetworksModel_finish"));
  CHECK_THROWS_WITH(checkNnapiResult(ANEURALNETWORKS_BAD_DATA, "ANeuralNetworksModel_finish"),
                    "nnapi-convert runtime: ANeuralNetworksModel_finish failed with ANEURALNETWORKS_BAD_DATA (4)");
  CHECK_THROWS_WITH(checkNnapiResult(ANEURALNETWORKS_OP_FAILED, "ANeuralNetworksExecution_setInput", "input 0 'a'"),
                    "nnapi-convert runtime: ANeuralNetworksExecution_setInput(input 0 'a') failed with "
                    "ANEURALNETWORKS_OP_FAILED (5)");
  CHECK(resultCodeName(ANEURALNETWORKS_DEAD_OBJECT) == "ANEURALNETWORKS_DEAD_OBJECT");
  CHECK(resultCodeName(15) == "unknown result code 15");
  CHECK(resultCodeName(-1) == "unknown result code -1");
}
