// Bytes for a compiled Plan, so a compilation can be cached in a file and a later one can skip compiling, and a
// digest of a Graph, so a cached Plan is only ever used for the model it was compiled from.
#pragma once

#include <optional>
#include <string>

#include "digest/sha256.h"
#include "executor/graph.h"
#include "executor/plan.h"

namespace nnapi_host {

// Everything a Plan holds except constant values, which stay the model's: the resolved operand descriptions and
// each step's operation, decoded parameters and releases.
std::string encodePlan(const Plan& plan);

// The Plan `bytes` encode, for `graph`; constants point at the graph's values. Never reads outside `bytes`.
// Returns nullopt and says why in `problem` when the bytes are cut short, carry trailing data, or describe another
// graph (operand count, types, lifetimes, constant sizes, execution order or an index out of range).
std::optional<Plan> decodePlan(const std::string& bytes, const Graph& graph, std::string* problem);

// SHA-256 of everything in the model that decides its plan: operands (types, shapes, quantization, lifetimes, the
// values of scalar and integer constants), operations, inputs and outputs, relaxed computation. Weight values
// (float and quantized tensor constants) are left out: a plan reads them from the model when it runs, so a
// cached plan is right for the same network with other weights.
nnapi_digest::Digest graphDigest(const Graph& graph);

}  // namespace nnapi_host
