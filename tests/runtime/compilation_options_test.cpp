// The runtime applies what the serialized model records: its compilation preference, relaxed float32 computation
// (skipped, not failed, by an NNAPI library without the call) and, given a cache directory, compilation caching
// with a token derived from the model's bytes. A function table whose entries record their arguments and call the
// desktop NNAPI's shows which calls were made; the desktop NNAPI's counts show that a second compilation of the
// same bytes came from the cache.
#include "compiled_model.h"
#include "module_io.h"
#include "test_models.h"

#include <catch2/catch.hpp>

#include <ATen/ATen.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <dlfcn.h>

#include "nnapi/NnapiHostExtensions.h"

using namespace nnapi_convert::runtime;
using namespace nnc_test;

namespace {

struct Calls {
  int preference = -1;
  int relax_calls = 0;
  bool relax_allowed = false;
  int caching_calls = 0;
  std::string cache_dir;
  std::array<uint8_t, 32> token{};
};

Calls calls;
NnapiFunctions desktop;

int recordPreference(ANeuralNetworksCompilation* compilation, int32_t preference) {
  calls.preference = preference;
  return desktop.ANeuralNetworksCompilation_setPreference(compilation, preference);
}

int recordRelax(ANeuralNetworksModel* model, bool allow) {
  ++calls.relax_calls;
  calls.relax_allowed = allow;
  return desktop.ANeuralNetworksModel_relaxComputationFloat32toFloat16(model, allow);
}

int recordCaching(ANeuralNetworksCompilation* compilation, const char* dir, const uint8_t* token) {
  ++calls.caching_calls;
  calls.cache_dir = dir;
  std::memcpy(calls.token.data(), token, calls.token.size());
  return desktop.ANeuralNetworksCompilation_setCaching(compilation, dir, token);
}

// The desktop NNAPI with the three calls recorded; `calls` starts afresh.
NnapiFunctions recording() {
  desktop = nnapiLibrary().functions;
  calls = Calls{};
  NnapiFunctions functions = desktop;
  functions.ANeuralNetworksCompilation_setPreference = recordPreference;
  functions.ANeuralNetworksModel_relaxComputationFloat32toFloat16 = recordRelax;
  functions.ANeuralNetworksCompilation_setCaching = recordCaching;
  return functions;
}

at::Tensor bytesTensor(const ModelSpec& spec) {
  const std::string serialized = serialize(spec);
  at::Tensor bytes = at::empty({static_cast<int64_t>(serialized.size())}, at::kByte);
  std::memcpy(bytes.data_ptr<uint8_t>(), serialized.data(), serialized.size());
  return bytes;
}

// relu(a + b) on values exact in float16, so relaxed or not the result is exact.
std::vector<float> runAddRelu(const CompiledModel& model) {
  const at::Tensor a = at::tensor(std::vector<float>{-1, 2, -3, 4, -5, 6}).reshape({2, 3});
  const at::Tensor b = at::tensor(std::vector<float>{0.5f, 1, 4, -5, 6, -7.5f}).reshape({2, 3});
  return floatValues(model.run({a, b})[0]);
}
const std::vector<float> kReluSum = {0, 3, 1, 0, 1, 0};

// NnapiHost_getCompilationCounts of the desktop NNAPI the runtime loaded: {compiled, from cache}.
std::pair<uint64_t, uint64_t> compilationCounts() {
  void* library = dlopen(nnapiLibraryInfo().path.c_str(), RTLD_LAZY | RTLD_NOLOAD);
  REQUIRE(library != nullptr);
  auto counts = reinterpret_cast<decltype(&NnapiHost_getCompilationCounts)>(
      dlsym(library, "NnapiHost_getCompilationCounts"));
  REQUIRE(counts != nullptr);
  uint64_t compiled = 0, cached = 0;
  counts(&compiled, &cached);
  dlclose(library);
  return {compiled, cached};
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "nnc_runtime_cache_XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST_CASE("The model's preference and relaxation are what the runtime asks NNAPI for", "[runtime][options]") {
  ModelSpec spec = addReluModel();
  SECTION("default: sustained speed, full precision") {
    const CompiledModel model(bytesTensor(spec), recording());
    CHECK(calls.preference == ANEURALNETWORKS_PREFER_SUSTAINED_SPEED);
    CHECK(calls.relax_calls == 0);
    CHECK(runAddRelu(model) == kReluSum);
  }
  SECTION("low power, relaxed") {
    spec.preference = ANEURALNETWORKS_PREFER_LOW_POWER;
    spec.relax_fp16 = true;
    const CompiledModel model(bytesTensor(spec), recording());
    CHECK(calls.preference == ANEURALNETWORKS_PREFER_LOW_POWER);
    CHECK(calls.relax_calls == 1);
    CHECK(calls.relax_allowed);
    CHECK(runAddRelu(model) == kReluSum);
  }
  SECTION("relaxed, on a library without relaxComputationFloat32toFloat16: compiled at full precision") {
    spec.relax_fp16 = true;
    NnapiFunctions functions = recording();
    functions.ANeuralNetworksModel_relaxComputationFloat32toFloat16 = nullptr;
    const CompiledModel model(bytesTensor(spec), functions);
    CHECK(calls.relax_calls == 0);
    CHECK(runAddRelu(model) == kReluSum);
  }
}

TEST_CASE("A preference outside NNAPI's codes is refused as corrupt", "[runtime][options]") {
  ModelSpec spec = addReluModel();
  spec.preference = 3;
  CHECK_THROWS_WITH(CompiledModel(bytesTensor(spec), recording()),
                    Catch::Matchers::Contains("compilation preference 3 is not an NNAPI PreferenceCode"));
}

TEST_CASE("With a cache directory the runtime caches, keyed by the model's bytes", "[runtime][options]") {
  TempDir dir;
  const at::Tensor bytes = bytesTensor(addReluModel());
  const auto before = compilationCounts();
  {
    const CompiledModel first(bytes, recording(), {}, dir.path.string());
    CHECK(calls.caching_calls == 1);
    CHECK(calls.cache_dir == dir.path.string());
    CHECK(calls.token == cacheToken(bytes.data_ptr<uint8_t>(), static_cast<size_t>(bytes.numel())));
    CHECK(runAddRelu(first) == kReluSum);
  }
  const CompiledModel second(bytes, recording(), {}, dir.path.string());
  const auto after = compilationCounts();
  CHECK(after.first == before.first + 1);    // the first compiled
  CHECK(after.second == before.second + 1);  // the second read the first's plan
  CHECK(runAddRelu(second) == kReluSum);

  // Another option is another model: another token.
  ModelSpec relaxed = addReluModel();
  relaxed.relax_fp16 = true;
  const at::Tensor other = bytesTensor(relaxed);
  CHECK(cacheToken(other.data_ptr<uint8_t>(), static_cast<size_t>(other.numel())) != calls.token);
}

TEST_CASE("Caching is skipped and compiling goes on without setCaching or without a usable directory", "[runtime][options]") {
  TempDir dir;
  const at::Tensor bytes = bytesTensor(addReluModel());
  SECTION("library without ANeuralNetworksCompilation_setCaching") {
    NnapiFunctions functions = recording();
    functions.ANeuralNetworksCompilation_setCaching = nullptr;
    const CompiledModel model(bytes, functions, {}, dir.path.string());
    CHECK(runAddRelu(model) == kReluSum);
    CHECK(std::filesystem::is_empty(dir.path));
  }
  SECTION("a directory that cannot be created (under a regular file)") {
    const std::filesystem::path file = dir.path / "file";
    std::ofstream(file).put('x');
    const CompiledModel model(bytes, recording(), {}, (file / "cache").string());
    CHECK(calls.caching_calls == 0);
    CHECK(runAddRelu(model) == kReluSum);
  }
  SECTION("a missing directory is created") {
    const CompiledModel model(bytes, recording(), {}, (dir.path / "a" / "b").string());
    CHECK(calls.caching_calls == 1);
    CHECK(std::filesystem::is_directory(dir.path / "a" / "b"));
  }
}
