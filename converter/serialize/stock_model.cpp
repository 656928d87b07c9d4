#include "serialize/stock_model.h"

#include <cstring>
#include <limits>
#include <map>
#include <stdexcept>

#include <ATen/ops/empty.h>

#include "serialize/weight_tensor.h"

namespace nnc {
namespace {

// The loader's SourceType for a value: its bytes in the model, or {buffer number, offset, length} of a weight.
constexpr int32_t kSourceImmediate = 0;
constexpr int32_t kSourceNumberedBuffer = 2;
constexpr int32_t kSerializedModelVersion = 1;
// The loader rejects counts from 2^24 on (its overflow guard).
constexpr size_t kMaxCount = size_t(1) << 24;

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

// The binding passes each weight's byte size as an int32.
void checkWeightSize(const ir::Operand& operand, const ConstBytes& bytes) {
  if (bytes.size() > size_t(std::numeric_limits<int32_t>::max())) {
    throw std::runtime_error("constant operand '" + operand.name + "' has " + std::to_string(bytes.size()) +
                             " bytes; PyTorch's NNAPI binding passes weight sizes as int32 (use --format flatbuffer)");
  }
}

}  // namespace

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
    if (model.isOmitted(i)) {  // likewise (formatLimitation, Feature::OmittedOperand)
      throw std::logic_error("operand " + std::to_string(i) + " is an omitted input, which --format pytorch-nnapi "
                             "cannot express");
    }
    operand_words.insert(operand_words.end(), {operand.type, int32_t(operand.dims.size()), floatBits(operand.scale),
                                               operand.zero_point});
    dims.insert(dims.end(), operand.dims.begin(), operand.dims.end());
    if (!model.isConstant(i)) continue;
    const ConstBytes& bytes = model.buffers().at(operand.buffer);
    ++value_count;
    if (!isWeight(bytes)) {
      value_words.insert(value_words.end(), {int32_t(i), kSourceImmediate, int32_t(bytes.size())});
      appendBytes(value_data, bytes.data(), bytes.size());
      continue;
    }
    auto [weight, added] = weight_of_buffer.emplace(operand.buffer, int32_t(stock.weights.size()));
    if (added) {
      checkWeightSize(operand, bytes);
      stock.weights.push_back(weightTensor(operand, bytes));
    }
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
