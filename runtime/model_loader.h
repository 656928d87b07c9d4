// From serialized bytes to a finished ANeuralNetworksModel: first prove the bytes are a model this runtime can
// read without going out of bounds or handing NNAPI inconsistent sizes, then replay it through the C API.
#pragma once

#include "nnapi_functions.h"

#include <schema/nnapi_model_generated.h>

#include <ATen/core/Tensor.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nnapi_convert::runtime {

// Checks `data[0, size)`, with `weights` the tensors its buffers refer to (Buffer.tensor), and returns its root
// table, which points into `data`. `data` must be 16-byte aligned,
// as the writer laid the buffer out (tensor storage is); misaligned values are refused, never read. Throws
// std::runtime_error:
//  - "nnapi-convert runtime: model buffer is truncated or corrupt: <what>" when flatbuffers verification fails
//    or a value is out of range: an operand, buffer, weight tensor or operation code; no operations, or one without
//    outputs; a constant whose byte count is not element size x dimensions; a weight tensor that is not a
//    contiguous CPU tensor of the operand's dtype; inputs/outputs whose torch_shape contradicts their operand's
//    dimensions; values not aligned to their type;
//  - "nnapi-convert runtime: not an nnapi-convert model ..." for a wrong file identifier;
//  - "nnapi-convert runtime: ... schema version ..." for a version other than schema::kSchemaVersion.
// NNAPI's own rules (operation signatures, graph structure) are left to NNAPI, which reports them when built.
const schema::Model& verifyModelBuffer(const uint8_t* data, size_t size,
                                      const std::vector<at::Tensor>& weights = {});

// The dtype verifyModelBuffer requires of a weight tensor holding the values of an operand of NNAPI type `type`;
// Undefined for a scalar type or a code this runtime does not read (no weight tensor can hold such values).
at::ScalarType weightDtype(int32_t type);

// "operand 3 'conv1.weight'": how messages name an operand.
std::string describeOperand(const schema::Model& model, uint32_t index);

using NnapiModelHandle = std::unique_ptr<ANeuralNetworksModel, decltype(&::ANeuralNetworksModel_free)>;

// Builds and finishes the NNAPI model of a model verified with `weights`, relaxed to float16 precision when the
// model says so and the library has relaxComputationFloat32toFloat16. NNAPI references constants larger than 128
// bytes in place, so the bytes behind `model` and `weights` must outlive the result and every compilation made
// from it. Throws
// std::runtime_error naming the failing call, operand or operation and the NNAPI result code.
NnapiModelHandle buildNnapiModel(const NnapiFunctions& nnapi, const schema::Model& model,
                                 const std::vector<at::Tensor>& weights);

}  // namespace nnapi_convert::runtime
