// What the converted module's file format can express. Both formats hold the same NNAPI models, but the stock
// format is read by PyTorch's own binding (torch.classes._nnapi.Compilation, aten/src/ATen/nnapi), whose model
// loader makes a fixed set of NNAPI calls: an NNAPI feature that needs another call cannot be written in it. The
// lowerings ask this together with the feature level (LoweringContext::requireFeature), so what a format cannot
// express stays on the CPU with the reason, like an operation too new for the target device.
#pragma once

#include <optional>
#include <string>

#include "validation/feature_levels.h"

namespace nnc {

enum class TargetFormat {
  Flatbuffer,    // our schema (schema/nnapi_model.fbs), run by libnnapi_runtime.so's torch.classes.nnapi_convert.Model
  PyTorchNnapi,  // PyTorch's serialized NNAPI model, run by stock PyTorch's torch.classes._nnapi.Compilation
};

// "flatbuffer", "pytorch-nnapi": the --format spellings.
const char* formatName(TargetFormat format);
std::optional<TargetFormat> parseFormat(const std::string& name);

// Why `format` cannot hold a model using `feature`, or "" when it can.
std::string formatLimitation(TargetFormat format, nnapi_rules::Feature feature);

}  // namespace nnc
