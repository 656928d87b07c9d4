// ANeuralNetworksCompilation_setCaching on the desktop NNAPI: the first finish compiles and writes the plan, a
// second compilation of the same model with the same directory and token reads it instead (counted by
// NnapiHost_getCompilationCounts), a cache file that is corrupt, truncated, or written for another network or
// token is ignored (that compilation compiles again and computes the right result), and the same network with
// other weights uses the cached plan with its own weights.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <catch2/catch.hpp>

#include "model_builder.h"
#include "nnapi/NnapiHostExtensions.h"

using host_test::ModelBuilder;

namespace {

struct Counts {
  uint64_t compiled = 0, fromCache = 0;
};

Counts counts() {
  Counts c;
  NnapiHost_getCompilationCounts(&c.compiled, &c.fromCache);
  return c;
}

// A fresh empty directory, removed at the end of the test.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "nnapi_host_cache_XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::filesystem::path onlyFile() const {
    std::filesystem::path found;
    int n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
      found = entry.path();
      ++n;
    }
    REQUIRE(n == 1);
    return found;
  }
};

using Token = std::array<uint8_t, ANEURALNETWORKS_BYTE_SIZE_OF_CACHE_TOKEN>;

Token token(uint8_t seed) {
  Token t;
  for (size_t i = 0; i < t.size(); ++i) t[i] = uint8_t(seed + i);
  return t;
}

// out = act(x * w + b) with weights `w` and fused activation `fuse` (RELU unless said): compiles it with caching
// in `dir`, runs x = {1, 2}, returns the output.
std::vector<float> compileAndRun(const std::filesystem::path& dir, const Token& t, float w,
                                 int32_t fuse = ANEURALNETWORKS_FUSED_RELU) {
  ModelBuilder m;
  const uint32_t in = m.f32({1, 2}), weights = m.constF32({1, 2}, {w, -w}), bias = m.constF32({1}, {10.0f});
  const uint32_t out = m.f32({1, 1});
  REQUIRE(m.op(ANEURALNETWORKS_FULLY_CONNECTED, {in, weights, bias, m.i32(fuse)}, {out}) == 0);
  REQUIRE(m.io({in}, {out}) == 0);
  REQUIRE(m.finish() == 0);
  ANeuralNetworksCompilation* compilation = nullptr;
  REQUIRE(ANeuralNetworksCompilation_create(m.model(), &compilation) == 0);
  REQUIRE(ANeuralNetworksCompilation_setCaching(compilation, dir.c_str(), t.data()) == 0);
  REQUIRE(ANeuralNetworksCompilation_finish(compilation) == 0);
  const std::vector<float> x{1.0f, 2.0f};
  std::vector<float> y(1);
  ANeuralNetworksExecution* execution = nullptr;
  REQUIRE(ANeuralNetworksExecution_create(compilation, &execution) == 0);
  REQUIRE(ANeuralNetworksExecution_setInput(execution, 0, nullptr, x.data(), 8) == 0);
  REQUIRE(ANeuralNetworksExecution_setOutput(execution, 0, nullptr, y.data(), 4) == 0);
  REQUIRE(ANeuralNetworksExecution_compute(execution) == 0);
  ANeuralNetworksExecution_free(execution);
  ANeuralNetworksCompilation_free(compilation);
  return y;
}

// x = {1, 2}: w - 2w + 10 = 10 - w, clamped at 0 by RELU.
float expected(float w) { return std::max(0.0f, 10.0f - w); }

std::string readAll(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void writeAll(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary | std::ios::trunc).write(bytes.data(), std::streamsize(bytes.size()));
}

// After one compilation that wrote the cache: compiling again compiles (the file was ignored) and is right.
void requireIgnored(const TempDir& dir, const Token& t, float w) {
  const Counts before = counts();
  CHECK(compileAndRun(dir.path, t, w) == std::vector<float>{expected(w)});
  CHECK(counts().compiled == before.compiled + 1);
  CHECK(counts().fromCache == before.fromCache);
}

}  // namespace

TEST_CASE("setCaching: the second compilation of a model reads the plan the first wrote") {
  TempDir dir;
  const Counts start = counts();
  CHECK(compileAndRun(dir.path, token(1), 3.0f) == std::vector<float>{expected(3.0f)});
  CHECK(counts().compiled == start.compiled + 1);
  CHECK(counts().fromCache == start.fromCache);
  const std::filesystem::path file = dir.onlyFile();
  CHECK(file.filename().string().rfind("nnapi_host_", 0) == 0);

  CHECK(compileAndRun(dir.path, token(1), 3.0f) == std::vector<float>{expected(3.0f)});
  CHECK(counts().compiled == start.compiled + 1);
  CHECK(counts().fromCache == start.fromCache + 1);
}

TEST_CASE("setCaching: a corrupt or truncated cache file is ignored and replaced") {
  TempDir dir;
  compileAndRun(dir.path, token(2), 4.0f);
  const std::filesystem::path file = dir.onlyFile();
  const std::string good = readAll(file);

  SECTION("a flipped byte in the plan") {
    std::string bad = good;
    bad[bad.size() - 5] ^= 0x40;
    writeAll(file, bad);
  }
  SECTION("cut short") { writeAll(file, good.substr(0, good.size() / 2)); }
  SECTION("shorter than the header") { writeAll(file, good.substr(0, 10)); }
  SECTION("a flipped byte in the header's model digest") {
    std::string bad = good;
    bad[8 + 4 + 32 + 3] ^= 0x01;
    writeAll(file, bad);
  }
  requireIgnored(dir, token(2), 4.0f);
  // The compilation that ignored the file wrote a good one again.
  CHECK(readAll(file) == good);
}

TEST_CASE("setCaching: a cache file of another network or another token is not used") {
  TempDir dir;
  compileAndRun(dir.path, token(3), 5.0f);
  SECTION("same token, another fused activation (a scalar operand)") {
    const Counts before = counts();
    // 10 - 12 = -2: RELU would give 0, no activation -2.
    CHECK(compileAndRun(dir.path, token(3), 12.0f, ANEURALNETWORKS_FUSED_NONE) == std::vector<float>{-2.0f});
    CHECK(counts().compiled == before.compiled + 1);
    CHECK(counts().fromCache == before.fromCache);
  }
  SECTION("other token, same model: its own file") {
    requireIgnored(dir, token(4), 5.0f);
    size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path)) files += entry.is_regular_file();
    CHECK(files == 2);
  }
}

TEST_CASE("setCaching: the same network with other weights uses the cached plan and its own weights") {
  TempDir dir;
  compileAndRun(dir.path, token(5), 5.0f);
  const Counts before = counts();
  CHECK(compileAndRun(dir.path, token(5), 7.0f) == std::vector<float>{expected(7.0f)});
  CHECK(counts().fromCache == before.fromCache + 1);
  CHECK(counts().compiled == before.compiled);
}
