// The desktop NNAPI's compilation cache (ANeuralNetworksCompilation_setCaching). A finished compilation whose plan
// was made at finish (all model input shapes known) is written to <cacheDir>/nnapi_host_<token hex>.plan; a later
// compilation with the same directory and token reads it instead of compiling. The file is used only when all of
// these hold, and is otherwise ignored (with a note on stderr) and rewritten after compiling:
//   magic "NNHPLAN\0", file format version, the 32-byte token, the SHA-256 of what in the model decides the plan
//   (plan_codec.h graphDigest: a token reused for another network misses; the same network with other weights
//   may use the plan, which reads the weights from the model), the
//   payload's size and SHA-256 (so a truncated or altered file misses), and a payload that decodes into a plan of
//   this model's operands and execution order.
// Files are written to a temporary name and renamed, so a reader never sees half a file.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "executor/graph.h"
#include "executor/plan.h"

namespace nnapi_host {

using CacheToken = std::array<uint8_t, 32>;  // ANEURALNETWORKS_BYTE_SIZE_OF_CACHE_TOKEN

// The cached plan of `graph`, or nullptr (no file, or one that fails a check above: `function` names the API call
// in the note).
std::shared_ptr<const Plan> readCachedPlan(const std::string& dir, const CacheToken& token, const Graph& graph,
                                           const char* function);

// Best effort, as NNAPI allows: a directory that cannot be written is reported on stderr and compiling goes on.
void writeCachedPlan(const std::string& dir, const CacheToken& token, const Graph& graph, const Plan& plan,
                     const char* function);

// Counts for NnapiHost_getCompilationCounts (NnapiHostExtensions.h).
void countCompilation(bool fromCache);

}  // namespace nnapi_host
