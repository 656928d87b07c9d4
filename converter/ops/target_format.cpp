#include "ops/target_format.h"

namespace nnc {

const char* formatName(TargetFormat format) {
  return format == TargetFormat::PyTorchNnapi ? "pytorch-nnapi" : "flatbuffer";
}

std::optional<TargetFormat> parseFormat(const std::string& name) {
  for (TargetFormat format : {TargetFormat::Flatbuffer, TargetFormat::PyTorchNnapi}) {
    if (name == formatName(format)) return format;
  }
  return std::nullopt;
}

std::string formatLimitation(TargetFormat format, nnapi_rules::Feature feature) {
  if (format != TargetFormat::PyTorchNnapi) return "";
  // PyTorch's loader (nnapi_model_loader.cpp) declares each operand with addOperand (type, dims, one scale and
  // zero point) and sets constants with setOperandValue: nothing else. Every other Feature is an operand or a
  // parameter value of such a call, so only the per-channel scales and omitted inputs are out of its reach.
  if (feature == nnapi_rules::Feature::PerChannelQuantFilter) {
    return "per-channel quantized filters cannot be written in --format pytorch-nnapi: PyTorch's NNAPI binding "
           "(torch.classes._nnapi.Compilation) never calls ANeuralNetworksModel_setOperandSymmPerChannelQuantParams";
  }
  if (feature == nnapi_rules::Feature::OmittedOperand) {
    return "omitted optional inputs cannot be written in --format pytorch-nnapi: PyTorch's NNAPI binding only sets "
           "operand values from its buffers, never ANeuralNetworksModel_setOperandValue(NULL, 0)";
  }
  return "";
}

}  // namespace nnc
