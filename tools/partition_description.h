// What `inspect` shows of one NNAPI partition, as JSON: operands, operations, inputs and outputs. Torch-free, so
// that the fuzz target of inspect's reading of partition bytes (fuzz/) links it without libtorch.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "schema/nnapi_model_generated.h"

namespace nnc::cli {

// `model` must have passed the runtime's verifyModelBuffer (runtime/model_loader.h): this reads every table the
// verification proved present and in range, and nothing else. `weight_bytes`: the byte size of each weight tensor
// the model's Buffer.tensor entries name (verified with those tensors).
nlohmann::json describePartition(const nnapi_convert::schema::Model& model,
                                 const std::vector<size_t>& weight_bytes = {});

}  // namespace nnc::cli
