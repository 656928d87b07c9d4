#include "serialize/stock_model.h"

#include <cstring>
#include <limits>
#include <map>
#include <stdexcept>

#include <ATen/ops/empty.h>

#include "nnapi/NeuralNetworks.h"

namespace nnc {
namespace {

// The loader's SourceType for a value: its bytes in the model, or {buffer number, offset, length} of a weight.
constexpr int32_t kSourceImmediate = 0;
constexpr int32_t kSourceNumberedBuffer = 2;
constexpr int32_t kSerializedModelVersion = 1;
// The loader rejects counts from 2^24 on (its overflow guard).
constexpr size_t kMaxCount = size_t(1) << 24;
// NNAPI copies a constant of at most this many bytes at setOperandValue and keeps a pointer to a larger one: only
// larger constants gain from living in a tensor of their own (kept alive by the module) instead of in the model.
constexpr size_t kImmediateLimit = ANEURALNETWORKS_MAX_SIZE_OF_IMMEDIATELY_COPIED_VALUES;

int32_t floatBits(float value) {
  int32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

void appendBytes(std::vector<int32_t>& words, const uint8_t* bytes, size_t length) {
  const size_t start = words.size();
  words.resize(start + (length + 3) / 4, 0);  // each value padded to 4 bytes, as the loader reads them
  std::memcpy(words.data() + start, bytes, length);
}

void checkCount(size_t count, const char* what) {
  if (count >= kMaxCount) {
    throw std::runtime_error("the NNAPI model has " + std::to_string(count) + " " + what +
                             "; PyTorch's NNAPI binding loads fewer than 2^24 (use --format flatbuffer)");
  }
}

// A constant buffer as a weight tensor, described by `operand`, the first operand that reads it.
at::Tensor weightTensor(const ir::Operand& operand, const std::vector<uint8_t>& bytes) {
  if (bytes.size() > size_t(std::numeric_limits<int32_t>::max())) {
    throw std::runtime_error("constant operand '" + operand.name + "' has " + std::to_string(bytes.size()) +
                             " bytes; PyTorch's NNAPI binding passes weight sizes as int32 (use --format flatbuffer)");
  }
  // Typed and shaped as NNAPI holds it (quint8 values as plain bytes: a quantized tensor needs a quantizer), so
  // the file shows what each weight is; a buffer another operand reads at another size stays raw bytes.
  at::Tensor tensor = at::empty({int64_t(bytes.size())}, at::kByte);
  if (bytes.size() == ir::byteSize(operand)) {
    const at::ScalarType dtype = stockDtype(operand.type);
    tensor = at::empty(std::vector<int64_t>(operand.dims.begin(), operand.dims.end()),
                       dtype == at::kQUInt8 ? at::kByte : dtype);
  }
  std::memcpy(tensor.data_ptr(), bytes.data(), bytes.size());
  return tensor;
}

}  // namespace

at::ScalarType stockDtype(int32_t type) {
  switch (type) {
    case ANEURALNETWORKS_TENSOR_FLOAT32: return at::kFloat;
    case ANEURALNETWORKS_TENSOR_FLOAT16: return at::kHalf;
    case ANEURALNETWORKS_TENSOR_INT32: return at::kInt;
    case ANEURALNETWORKS_TENSOR_BOOL8: return at::kBool;
    case ANEURALNETWORKS_TENSOR_QUANT8_ASYMM: return at::kQUInt8;
    case ANEURALNETWORKS_TENSOR_QUANT8_ASYMM_SIGNED:
    case ANEURALNETWORKS_TENSOR_QUANT8_SYMM:
    case ANEURALNETWORKS_TENSOR_QUANT8_SYMM_PER_CHANNEL: return at::kChar;
    case ANEURALNETWORKS_TENSOR_QUANT16_SYMM:
    case ANEURALNETWORKS_TENSOR_QUANT16_ASYMM: return at::kShort;
  }
  throw std::logic_error("NNAPI operand type " + ir::operandTypeName(type) + " has no tensor form");
}

StockModel serializeStockModel(const ir::Model& model) {
  const auto& operands = model.operands();
  checkCount(operands.size(), "operands");
  checkCount(model.operations().size(), "operations");

  StockModel stock;
  std::vector<int32_t> operand_words, value_words, operation_words, dims, value_data, arguments;
  std::map<int32_t, int32_t> weight_of_buffer;  // model buffer -> weight number (operands may share a buffer)
  int32_t value_count = 0;
  for (uint32_t i = 0; i < operands.size(); ++i) {
    const ir::Operand& operand = operands[i];
    if (operand.per_channel) {
      // The lowerings ask formatLimitation before emitting one: reaching here is a converter bug.
      throw std::logic_error("operand '" + operand.name + "' is quantized per channel, which --format pytorch-nnapi "
                             "cannot express");
    }
    operand_words.insert(operand_words.end(), {operand.type, int32_t(operand.dims.size()), floatBits(operand.scale),
                                               operand.zero_point});
    dims.insert(dims.end(), operand.dims.begin(), operand.dims.end());
    if (!model.isConstant(i)) continue;
    const std::vector<uint8_t>& bytes = model.buffers().at(operand.buffer);
    ++value_count;
    if (bytes.size() <= kImmediateLimit) {
      value_words.insert(value_words.end(), {int32_t(i), kSourceImmediate, int32_t(bytes.size())});
      appendBytes(value_data, bytes.data(), bytes.size());
      continue;
    }
    auto [weight, added] = weight_of_buffer.emplace(operand.buffer, int32_t(stock.weights.size()));
    if (added) stock.weights.push_back(weightTensor(operand, bytes));
    value_words.insert(value_words.end(), {int32_t(i), kSourceNumberedBuffer, 12});
    value_data.insert(value_data.end(), {weight->second, /*offset=*/0, int32_t(bytes.size())});
  }
  for (const ir::Operation& operation : model.operations()) {
    operation_words.insert(operation_words.end(),
                           {operation.type, int32_t(operation.inputs.size()), int32_t(operation.outputs.size())});
    arguments.insert(arguments.end(), operation.inputs.begin(), operation.inputs.end());
    arguments.insert(arguments.end(), operation.outputs.begin(), operation.outputs.end());
  }

  std::vector<int32_t> words = {kSerializedModelVersion,          int32_t(operands.size()),
                                value_count,                       int32_t(model.operations().size()),
                                int32_t(model.inputs().size()),    int32_t(model.outputs().size())};
  for (const auto* part : {&operand_words, &value_words, &operation_words, &dims, &value_data, &arguments}) {
    words.insert(words.end(), part->begin(), part->end());
  }
  words.insert(words.end(), model.inputs().begin(), model.inputs().end());
  words.insert(words.end(), model.outputs().begin(), model.outputs().end());
  stock.serialized = at::empty({int64_t(words.size())}, at::kInt);
  std::memcpy(stock.serialized.data_ptr<int32_t>(), words.data(), words.size() * sizeof(int32_t));
  return stock;
}

}  // namespace nnc
