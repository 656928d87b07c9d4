// The version of nnapi_model.fbs that this build writes and reads. The converter stores it in Model.version; the
// runtime refuses any other value, so a model written by a newer or older converter fails with a clear message
// instead of being misread. Bump it on every schema change (and the file identifier on incompatible ones).
#pragma once

#include <cstdint>

namespace nnapi_convert::schema {

// 2: Model.preference and Model.relax_fp16 (compilation options).
// 3: Buffer.tensor (weights held as tensors).
// 4: Operand.buffer kOmittedBuffer (an optional input left out).
constexpr uint32_t kSchemaVersion = 4;

// Operand.buffer of an optional operation input that is left out: the runtime sets it with
// ANeuralNetworksModel_setOperandValue(model, index, NULL, 0).
constexpr int32_t kOmittedBuffer = -2;

}  // namespace nnapi_convert::schema
