#include "api/compilation_cache.h"

#include <atomic>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include <unistd.h>

#include "digest/sha256.h"
#include "executor/plan_codec.h"
#include "nnapi/NnapiHostExtensions.h"

namespace nnapi_host {
namespace {

constexpr char kMagic[8] = {'N', 'N', 'H', 'P', 'L', 'A', 'N', '\0'};
// Bump on any change to the header or to plan_codec's encoding: older files then miss instead of being misread.
constexpr uint32_t kFormatVersion = 1;

struct Header {
  char magic[8];
  uint32_t version;
  uint8_t token[32];
  uint8_t model[32];    // graphDigest
  uint8_t payload[32];  // SHA-256 of the payload
  uint64_t payloadSize;
};

std::atomic<uint64_t> compiledCount{0};
std::atomic<uint64_t> cachedCount{0};

std::string cachePath(const std::string& dir, const CacheToken& token) {
  nnapi_digest::Digest digest;
  std::memcpy(digest.data(), token.data(), token.size());
  return dir + "/nnapi_host_" + nnapi_digest::hex(digest) + ".plan";
}

void note(const char* function, const std::string& what) {
  std::fprintf(stderr, "nnapi_host: %s: %s\n", function, what.c_str());
}

// "" when `header` is for this library, `token` and `graph`, else which check failed.
std::string headerProblem(const Header& header, const CacheToken& token, const Graph& graph) {
  if (std::memcmp(header.magic, kMagic, sizeof kMagic) != 0) return "not an nnapi_host cache file";
  if (header.version != kFormatVersion)
    return "format version " + std::to_string(header.version) + ", this library reads " +
           std::to_string(kFormatVersion);
  if (std::memcmp(header.token, token.data(), token.size()) != 0) return "written for another cache token";
  const nnapi_digest::Digest model = graphDigest(graph);
  if (std::memcmp(header.model, model.data(), model.size()) != 0) return "written for another model";
  return {};
}

}  // namespace

std::shared_ptr<const Plan> readCachedPlan(const std::string& dir, const CacheToken& token, const Graph& graph,
                                           const char* function) {
  const std::string path = cachePath(dir, token);
  std::ifstream file(path, std::ios::binary);
  if (!file) return nullptr;  // not cached yet
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const auto ignore = [&](const std::string& why) -> std::shared_ptr<const Plan> {
    note(function, "ignoring compilation cache file " + path + ": " + why + "; compiling");
    return nullptr;
  };
  Header header;
  if (bytes.size() < sizeof header) return ignore("shorter than its header");
  std::memcpy(&header, bytes.data(), sizeof header);
  const std::string problem = headerProblem(header, token, graph);
  if (!problem.empty()) return ignore(problem);
  if (header.payloadSize != bytes.size() - sizeof header) return ignore("truncated or extended");
  const std::string payload = bytes.substr(sizeof header);
  const nnapi_digest::Digest digest = nnapi_digest::Sha256().update(payload).finish();
  if (std::memcmp(header.payload, digest.data(), digest.size()) != 0) return ignore("its contents are corrupt");
  std::string mismatch;
  std::optional<Plan> plan = decodePlan(payload, graph, &mismatch);
  if (!plan) return ignore(mismatch);
  return std::make_shared<const Plan>(std::move(*plan));
}

void writeCachedPlan(const std::string& dir, const CacheToken& token, const Graph& graph, const Plan& plan,
                     const char* function) {
  const std::string payload = encodePlan(plan);
  Header header{};
  std::memcpy(header.magic, kMagic, sizeof kMagic);
  header.version = kFormatVersion;
  std::memcpy(header.token, token.data(), token.size());
  const nnapi_digest::Digest model = graphDigest(graph);
  std::memcpy(header.model, model.data(), model.size());
  const nnapi_digest::Digest digest = nnapi_digest::Sha256().update(payload).finish();
  std::memcpy(header.payload, digest.data(), digest.size());
  header.payloadSize = payload.size();

  const std::string path = cachePath(dir, token);
  // Unique per process and call: two compilations of the same model may finish at once, here or elsewhere.
  static std::atomic<uint64_t> writes{0};
  const std::string temp = path + ".tmp" + std::to_string(getpid()) + "_" + std::to_string(writes++);
  {
    std::ofstream file(temp, std::ios::binary | std::ios::trunc);
    file.write(reinterpret_cast<const char*>(&header), sizeof header);
    file.write(payload.data(), std::streamsize(payload.size()));
    if (file) file.close();
    if (!file) {
      std::remove(temp.c_str());
      note(function, "cannot write the compilation cache file " + temp + " (continuing without caching)");
      return;
    }
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    note(function, "cannot rename " + temp + " to " + path + " (continuing without caching)");
  }
}

void countCompilation(bool fromCache) { ++(fromCache ? cachedCount : compiledCount); }

}  // namespace nnapi_host

extern "C" void NnapiHost_getCompilationCounts(uint64_t* compiled, uint64_t* fromCache) {
  if (compiled != nullptr) *compiled = nnapi_host::compiledCount.load();
  if (fromCache != nullptr) *fromCache = nnapi_host::cachedCount.load();
}
