// The version of nnapi_model.fbs that this build writes and reads. The converter stores it in Model.version; the
// runtime refuses any other value, so a model written by a newer or older converter fails with a clear message
// instead of being misread. Bump it on every schema change (and the file identifier on incompatible ones).
#pragma once

#include <cstdint>

namespace nnapi_convert::schema {

// 2: Model.preference and Model.relax_fp16 (compilation options).
// 3: Buffer.tensor (weights held as tensors).
constexpr uint32_t kSchemaVersion = 3;

}  // namespace nnapi_convert::schema
