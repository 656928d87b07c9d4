#include "model_loader.h"

#include "format.h"
#include "printable_text.h"

#include <schema/schema_version.h>

#include <flatbuffers/flatbuffers.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

namespace nnapi_convert::runtime {
namespace {

[[noreturn]] void corrupt(const std::string& what) {
  throw std::runtime_error("nnapi-convert runtime: model buffer is truncated or corrupt: " + what);
}

struct OperandTypeInfo {
  size_t element_bytes;
  bool scalar;
  // The dtype of a weight tensor holding such values, as the converter writes it (serialize/weight_tensor.h):
  // quantized values as plain integers, for a quantized tensor needs a quantizer. Undefined for scalars.
  at::ScalarType weight_dtype;
};

// Indexed by OperandCode 0..14 (nnapi-reference §6). MODEL (15) is absent: the schema has no sub-models.
constexpr at::ScalarType kScalar = at::ScalarType::Undefined;
constexpr OperandTypeInfo kOperandTypes[] = {
    {4, true, kScalar},      // FLOAT32
    {4, true, kScalar},      // INT32
    {4, true, kScalar},      // UINT32
    {4, false, at::kFloat},  // TENSOR_FLOAT32
    {4, false, at::kInt},    // TENSOR_INT32
    {1, false, at::kByte},   // TENSOR_QUANT8_ASYMM
    {1, true, kScalar},      // BOOL
    {2, false, at::kShort},  // TENSOR_QUANT16_SYMM
    {2, false, at::kHalf},   // TENSOR_FLOAT16
    {1, false, at::kBool},   // TENSOR_BOOL8
    {2, true, kScalar},      // FLOAT16
    {1, false, at::kChar},   // TENSOR_QUANT8_SYMM_PER_CHANNEL
    {2, false, at::kShort},  // TENSOR_QUANT16_ASYMM
    {1, false, at::kChar},   // TENSOR_QUANT8_SYMM
    {1, false, at::kChar},   // TENSOR_QUANT8_ASYMM_SIGNED
};
constexpr int32_t kOperandTypeCount = sizeof(kOperandTypes) / sizeof(kOperandTypes[0]);
constexpr int32_t kLastOperationCode = ANEURALNETWORKS_REVERSE;

template <typename T>
std::vector<T> toVector(const flatbuffers::Vector<T>* values) {
  return values ? std::vector<T>(values->begin(), values->end()) : std::vector<T>{};
}

template <typename T>
size_t sizeOf(const flatbuffers::Vector<T>* values) {
  return values ? values->size() : 0;
}

// flatbuffers' verifier checks the alignment of a vector's length, not of its elements: a damaged offset can
// leave 8-byte torch_shape values or a constant's elements misaligned, and reading them would be undefined.
bool aligned(const void* address, size_t alignment) {
  return reinterpret_cast<uintptr_t>(address) % alignment == 0;
}

// The bytes a constant operand reads: its buffer's own data, or the weight tensor the buffer names.
struct ConstantBytes {
  const void* data;
  size_t size;
};

ConstantBytes constantBytes(const schema::Model& model, const schema::Operand& operand,
                            const std::vector<at::Tensor>& weights) {
  const schema::Buffer& buffer = *model.buffers()->Get(operand.buffer());
  if (buffer.tensor() >= 0) {
    const at::Tensor& weight = weights[buffer.tensor()];
    return {weight.data_ptr(), weight.nbytes()};
  }
  return {buffer.data() ? buffer.data()->data() : nullptr, sizeOf(buffer.data())};
}

// A buffer that names weight tensor `buffer.tensor()`: the tensor exists and holds exactly the operand's values.
void verifyWeight(const schema::Buffer& buffer, const std::vector<at::Tensor>& weights, const OperandTypeInfo& info,
                  uint64_t bytes, const std::string& name) {
  const std::string which = name + "'s weight tensor " + std::to_string(buffer.tensor());
  if (buffer.tensor() >= static_cast<int64_t>(weights.size())) {
    corrupt(name + " refers to weight tensor " + std::to_string(buffer.tensor()) + " of " +
            std::to_string(weights.size()));
  }
  if (sizeOf(buffer.data()) != 0) corrupt(name + "'s buffer holds both bytes and weight tensor " +
                                          std::to_string(buffer.tensor()));
  if (info.scalar) corrupt(name + " is a scalar but its value is in " + which);
  const at::Tensor& weight = weights[buffer.tensor()];
  if (!weight.defined() || !weight.device().is_cpu() || !weight.is_contiguous()) {
    corrupt(which + " is not a defined, contiguous CPU tensor");
  }
  if (weight.scalar_type() != info.weight_dtype) {
    corrupt(which + " has dtype " + std::string(c10::toString(weight.scalar_type())) + " but the operand's type needs " +
            c10::toString(info.weight_dtype));
  }
  if (weight.nbytes() != bytes) {
    corrupt(which + " holds " + std::to_string(weight.nbytes()) + " bytes but the operand needs " +
            std::to_string(bytes));
  }
}

void verifyOperand(const schema::Model& model, uint32_t index, const std::vector<at::Tensor>& weights) {
  const schema::Operand& operand = *model.operands()->Get(index);
  const std::string name = describeOperand(model, index);
  if (operand.type() < 0 || operand.type() >= kOperandTypeCount) {
    corrupt(name + " has type code " + std::to_string(operand.type()) + ", not an operand type this runtime reads");
  }
  const OperandTypeInfo& info = kOperandTypes[operand.type()];
  const std::vector<uint32_t> dims = toVector(operand.dimensions());
  if (info.scalar && !dims.empty()) corrupt(name + " is a scalar but has dimensions " + listText(dims));

  // NNAPI requires every operand's byte size to fit in uint32 (§12.1).
  uint64_t bytes = info.element_bytes;
  for (uint32_t dim : dims) {
    bytes *= dim;
    if (bytes > std::numeric_limits<uint32_t>::max()) corrupt(name + " is larger than 4 GiB");
  }

  const bool per_channel_type = operand.type() == ANEURALNETWORKS_TENSOR_QUANT8_SYMM_PER_CHANNEL;
  if (per_channel_type != (operand.per_channel() != nullptr)) {
    corrupt(name + (per_channel_type ? " is per-channel quantized but has no channel scales"
                                     : " has channel scales but is not per-channel quantized"));
  }
  if (const schema::PerChannelQuant* quant = operand.per_channel()) {
    if (quant->channel_dim() >= dims.size() ||
        sizeOf(quant->scales()) != dims[quant->channel_dim()]) {
      corrupt(name + " has " + std::to_string(sizeOf(quant->scales())) + " channel scales for channel dimension " +
              std::to_string(quant->channel_dim()) + " of " + listText(dims));
    }
  }

  if (operand.buffer() == -1 || operand.buffer() == schema::kOmittedBuffer) return;
  if (operand.buffer() < 0 || static_cast<size_t>(operand.buffer()) >= sizeOf(model.buffers())) {
    corrupt(name + " refers to buffer " + std::to_string(operand.buffer()) + " of " +
            std::to_string(sizeOf(model.buffers())));
  }
  for (uint32_t dim : dims) {
    if (dim == 0) corrupt(name + " is a constant with an unknown dimension " + listText(dims));
  }
  const schema::Buffer& buffer = *model.buffers()->Get(operand.buffer());
  if (buffer.tensor() < -1) corrupt(name + "'s buffer refers to weight tensor " + std::to_string(buffer.tensor()));
  if (buffer.tensor() >= 0) verifyWeight(buffer, weights, info, bytes, name);
  const ConstantBytes data = constantBytes(model, operand, weights);
  if (data.size != bytes) {
    corrupt(name + " holds " + std::to_string(data.size) + " bytes but its type and dimensions " +
            listText(dims) + " need " + std::to_string(bytes));
  }
  if (!aligned(data.data, info.element_bytes)) corrupt(name + "'s constant data is not aligned to its elements");
}

void verifyOperation(const schema::Model& model, uint32_t index) {
  const schema::Operation& operation = *model.operations()->Get(index);
  const std::string name = "operation " + std::to_string(index);
  if (operation.type() < 0 || operation.type() > kLastOperationCode) {
    corrupt(name + " has operation code " + std::to_string(operation.type()));
  }
  if (sizeOf(operation.outputs()) == 0) corrupt(name + " has no outputs");  // every NNAPI operation has one
  const size_t operand_count = sizeOf(model.operands());
  for (const auto* list : {operation.inputs(), operation.outputs()}) {
    for (uint32_t operand : toVector(list)) {
      if (operand >= operand_count) {
        corrupt(name + " uses operand " + std::to_string(operand) + " of " + std::to_string(operand_count));
      }
    }
  }
}

// A model input or output: a non-constant tensor whose torch_shape agrees with its known dimensions. A 0
// dimension (unknown to NNAPI) may have any torch extent, -1 meaning "any size at run time".
void verifyIo(const schema::Model& model, const schema::IoInfo* io, const std::string& name) {
  if (io == nullptr) corrupt(name + " is missing");
  const size_t operand_count = sizeOf(model.operands());
  if (io->operand() >= operand_count) {
    corrupt(name + " is operand " + std::to_string(io->operand()) + " of " + std::to_string(operand_count));
  }
  const schema::Operand& operand = *model.operands()->Get(io->operand());
  const std::string described = name + " (" + describeOperand(model, io->operand()) + ")";
  if (operand.buffer() == schema::kOmittedBuffer) corrupt(described + " is an omitted input");
  if (operand.buffer() != -1) corrupt(described + " is a constant");
  if (kOperandTypes[operand.type()].scalar) corrupt(described + " is a scalar, not a tensor");
  const std::vector<uint32_t> dims = toVector(operand.dimensions());
  if (io->torch_shape() && !aligned(io->torch_shape()->data(), alignof(int64_t))) {
    corrupt(described + " has a misaligned torch_shape");
  }
  const std::vector<int64_t> torch_shape = toVector(io->torch_shape());
  bool consistent = !dims.empty() && torch_shape.size() == dims.size();
  for (size_t i = 0; consistent && i < dims.size(); ++i) {
    consistent = dims[i] == 0 ? torch_shape[i] >= -1 : torch_shape[i] == static_cast<int64_t>(dims[i]);
  }
  if (!consistent) {
    corrupt(described + " has torch_shape " + listText(torch_shape) + " but operand dimensions " + listText(dims));
  }
}

}  // namespace

at::ScalarType weightDtype(int32_t type) {
  return type >= 0 && type < kOperandTypeCount ? kOperandTypes[type].weight_dtype : at::ScalarType::Undefined;
}

std::string describeOperand(const schema::Model& model, uint32_t index) {
  const schema::Operand* operand = model.operands()->Get(index);
  std::string text = "operand " + std::to_string(index);
  if (operand->name() != nullptr && operand->name()->size() > 0) {
    text += " '" + printableText(operand->name()->str()) + "'";
  }
  return text;
}

const schema::Model& verifyModelBuffer(const uint8_t* data, size_t size, const std::vector<at::Tensor>& weights) {
  if (data == nullptr || size < 2 * sizeof(flatbuffers::uoffset_t)) {
    corrupt("it holds " + std::to_string(data ? size : 0) + " bytes, too few for a root offset and identifier");
  }
  if (size >= FLATBUFFERS_MAX_BUFFER_SIZE) corrupt(std::to_string(size) + " bytes is larger than a flatbuffer");
  if (!flatbuffers::BufferHasIdentifier(data, schema::ModelIdentifier())) {
    throw std::runtime_error("nnapi-convert runtime: not an nnapi-convert model: the file identifier is '" +
                             std::string(flatbuffers::GetBufferIdentifier(data), 4) + "', expected '" +
                             schema::ModelIdentifier() + "'");
  }
  flatbuffers::Verifier verifier(data, size);
  if (!verifier.VerifyBuffer<schema::Model>(schema::ModelIdentifier())) {
    corrupt("flatbuffers verification of " + std::to_string(size) + " bytes failed");
  }
  const schema::Model& model = *schema::GetModel(data);
  if (model.version() != schema::kSchemaVersion) {
    throw std::runtime_error("nnapi-convert runtime: the model has schema version " +
                             std::to_string(model.version()) + " but this runtime reads version " +
                             std::to_string(schema::kSchemaVersion) +
                             "; convert it again with the nnapi-convert that matches this runtime");
  }
  if (model.preference() < ANEURALNETWORKS_PREFER_LOW_POWER ||
      model.preference() > ANEURALNETWORKS_PREFER_SUSTAINED_SPEED) {
    corrupt("compilation preference " + std::to_string(model.preference()) +
            " is not an NNAPI PreferenceCode (0 low power, 1 fast single answer, 2 sustained speed)");
  }
  if (model.operands() == nullptr) corrupt("the model has no operand table");
  const size_t operand_count = model.operands()->size();
  for (uint32_t i = 0; i < operand_count; ++i) verifyOperand(model, i, weights);
  // NNAPI refuses an empty model (§12.4); readers such as inspect may then rely on the operation table.
  if (sizeOf(model.operations()) == 0) corrupt("the model has no operations");
  for (uint32_t i = 0; i < sizeOf(model.operations()); ++i) verifyOperation(model, i);
  if (sizeOf(model.inputs()) == 0 || sizeOf(model.outputs()) == 0) {
    corrupt("the model has " + std::to_string(sizeOf(model.inputs())) + " inputs and " +
            std::to_string(sizeOf(model.outputs())) + " outputs; it needs at least one of each");
  }
  for (uint32_t i = 0; i < model.inputs()->size(); ++i) {
    verifyIo(model, model.inputs()->Get(i), "model input " + std::to_string(i));
  }
  for (uint32_t i = 0; i < model.outputs()->size(); ++i) {
    verifyIo(model, model.outputs()->Get(i), "model output " + std::to_string(i));
  }
  return model;
}

NnapiModelHandle buildNnapiModel(const NnapiFunctions& nnapi, const schema::Model& model,
                                 const std::vector<at::Tensor>& weights) {
  ANeuralNetworksModel* raw = nullptr;
  checkNnapiResult(nnapi, nnapi.ANeuralNetworksModel_create(&raw), "ANeuralNetworksModel_create");
  NnapiModelHandle handle(raw, nnapi.ANeuralNetworksModel_free);

  for (uint32_t i = 0; i < model.operands()->size(); ++i) {
    const schema::Operand& operand = *model.operands()->Get(i);
    const std::vector<uint32_t> dims = toVector(operand.dimensions());
    const ANeuralNetworksOperandType type{operand.type(), static_cast<uint32_t>(dims.size()),
                                          dims.empty() ? nullptr : dims.data(), operand.scale(),
                                          operand.zero_point()};
    checkNnapiResult(nnapi, nnapi.ANeuralNetworksModel_addOperand(raw, &type),
                     "ANeuralNetworksModel_addOperand", describeOperand(model, i));
    if (const schema::PerChannelQuant* quant = operand.per_channel()) {
      if (nnapi.ANeuralNetworksModel_setOperandSymmPerChannelQuantParams == nullptr) {
        throw std::runtime_error("nnapi-convert runtime: " + describeOperand(model, i) +
                                 " has per-channel quantization, but the NNAPI library (feature level < 3) lacks "
                                 "ANeuralNetworksModel_setOperandSymmPerChannelQuantParams");
      }
      const std::vector<float> scales = toVector(quant->scales());
      const ANeuralNetworksSymmPerChannelQuantParams params{quant->channel_dim(),
                                                            static_cast<uint32_t>(scales.size()), scales.data()};
      checkNnapiResult(nnapi, nnapi.ANeuralNetworksModel_setOperandSymmPerChannelQuantParams(raw, i, &params),
                       "ANeuralNetworksModel_setOperandSymmPerChannelQuantParams", describeOperand(model, i));
    }
    if (operand.buffer() == schema::kOmittedBuffer) {
      checkNnapiResult(nnapi, nnapi.ANeuralNetworksModel_setOperandValue(raw, i, nullptr, 0),
                       "ANeuralNetworksModel_setOperandValue", describeOperand(model, i));
    } else if (operand.buffer() >= 0) {
      // Points into the model bytes or a weight tensor, which the caller keeps alive (NNAPI copies only values up
      // to 128 bytes). Verification guaranteed the data exists and has the operand's exact byte size.
      const ConstantBytes data = constantBytes(model, operand, weights);
      checkNnapiResult(nnapi, nnapi.ANeuralNetworksModel_setOperandValue(raw, i, data.data, data.size),
                       "ANeuralNetworksModel_setOperandValue", describeOperand(model, i));
    }
  }

  for (uint32_t i = 0; i < sizeOf(model.operations()); ++i) {
    const schema::Operation& operation = *model.operations()->Get(i);
    const std::vector<uint32_t> inputs = toVector(operation.inputs());
    const std::vector<uint32_t> outputs = toVector(operation.outputs());
    checkNnapiResult(
        nnapi, nnapi.ANeuralNetworksModel_addOperation(raw, operation.type(), static_cast<uint32_t>(inputs.size()),
                                                inputs.data(), static_cast<uint32_t>(outputs.size()),
                                                outputs.data()),
        "ANeuralNetworksModel_addOperation",
        "operation " + std::to_string(i) + ", code " + std::to_string(operation.type()) + ", inputs " +
            listText(inputs) + ", outputs " + listText(outputs));
  }

  std::vector<uint32_t> inputs, outputs;
  for (const schema::IoInfo* io : *model.inputs()) inputs.push_back(io->operand());
  for (const schema::IoInfo* io : *model.outputs()) outputs.push_back(io->operand());
  checkNnapiResult(nnapi,
                   nnapi.ANeuralNetworksModel_identifyInputsAndOutputs(raw, static_cast<uint32_t>(inputs.size()),
                                                                       inputs.data(),
                                                                       static_cast<uint32_t>(outputs.size()),
                                                                       outputs.data()),
                   "ANeuralNetworksModel_identifyInputsAndOutputs",
                   "inputs " + listText(inputs) + ", outputs " + listText(outputs));
  // Relaxed computation is a permission, new in feature level 2: a library without the call computes float32 at
  // full precision (CompiledModel warns).
  if (model.relax_fp16() && nnapi.ANeuralNetworksModel_relaxComputationFloat32toFloat16 != nullptr) {
    checkNnapiResult(nnapi.ANeuralNetworksModel_relaxComputationFloat32toFloat16(raw, true),
                     "ANeuralNetworksModel_relaxComputationFloat32toFloat16");
  }
  checkNnapiResult(nnapi, nnapi.ANeuralNetworksModel_finish(raw), "ANeuralNetworksModel_finish");
  return handle;
}

}  // namespace nnapi_convert::runtime
