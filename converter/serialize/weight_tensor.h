// A model's large constants as torch tensors: both output formats keep them in tensors of the converted module
// (instead of inside the serialized model) so that the CPU fallback can read the same storage (wrapper/
// shared_weights.h) and the file holds each weight once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

#include "ir/model.h"

namespace nnc {

// NNAPI copies a constant of at most this many bytes at setOperandValue and keeps a pointer to a larger one: only
// larger constants gain from living in a tensor of their own (kept alive by the module) instead of in the model.
bool isWeight(const ConstBytes& bytes);

// The torch dtype of a tensor holding values of NNAPI operand type `type` (quint8 for TENSOR_QUANT8_ASYMM,
// int8/int16 for quantized types torch has no tensor of); throws std::logic_error for a non-tensor type.
at::ScalarType tensorDtype(int32_t type);

// A constant buffer as a weight tensor over the same bytes (no copy: the tensor keeps `bytes` alive, and nothing
// writes to it), described by `operand`, the first operand that reads it: typed and shaped as NNAPI holds it
// (TENSOR_QUANT8_ASYMM values as uint8: a quantized tensor needs a quantizer), so the file shows what each weight
// is; a fully-connected weight whose columns were reordered for a flattened channels-last input is [units, H, W, C]
// (ir::Layout::ChannelsLastFlattened), so the CPU fallback can read PyTorch's weight through a permute of it; a
// buffer another operand reads at another size stays 1-D uint8.
at::Tensor weightTensor(const ir::Operand& operand, const ConstBytes& bytes);

}  // namespace nnc
