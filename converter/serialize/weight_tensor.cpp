#include "serialize/weight_tensor.h"

#include <cstring>
#include <stdexcept>

#include <ATen/ops/empty.h>

#include "nnapi/NeuralNetworks.h"

namespace nnc {

bool isWeight(const std::vector<uint8_t>& bytes) {
  return bytes.size() > ANEURALNETWORKS_MAX_SIZE_OF_IMMEDIATELY_COPIED_VALUES;
}

at::ScalarType tensorDtype(int32_t type) {
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

at::Tensor weightTensor(const ir::Operand& operand, const std::vector<uint8_t>& bytes) {
  at::Tensor tensor = at::empty({int64_t(bytes.size())}, at::kByte);
  if (bytes.size() == ir::byteSize(operand)) {
    const at::ScalarType dtype = tensorDtype(operand.type);
    tensor = at::empty(std::vector<int64_t>(operand.dims.begin(), operand.dims.end()),
                       dtype == at::kQUInt8 ? at::kByte : dtype);
  }
  std::memcpy(tensor.data_ptr(), bytes.data(), bytes.size());
  return tensor;
}

}  // namespace nnc
