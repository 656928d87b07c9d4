#include "serialize/weight_tensor.h"

#include <stdexcept>

#include <ATen/ops/from_blob.h>

#include "nnapi/NeuralNetworks.h"

namespace nnc {

bool isWeight(const ConstBytes& bytes) {
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

at::Tensor weightTensor(const ir::Operand& operand, const ConstBytes& bytes) {
  std::vector<int64_t> shape{int64_t(bytes.size())};
  at::ScalarType dtype = at::kByte;
  if (bytes.size() == ir::byteSize(operand)) {
    dtype = tensorDtype(operand.type);
    if (dtype == at::kQUInt8) dtype = at::kByte;
    shape.assign(operand.dims.begin(), operand.dims.end());
    if (operand.layout == ir::Layout::ChannelsLastFlattened && operand.dims.size() == 2) {
      const std::vector<uint32_t>& chw = operand.flattened_chw;
      shape = {int64_t(operand.dims[0]), int64_t(chw.at(1)), int64_t(chw.at(2)), int64_t(chw.at(0))};
    }
  }
  // from_blob wants a mutable pointer; the bytes are only ever read (by NNAPI, the fallback's views, the writer).
  void* data = const_cast<uint8_t*>(bytes.data());
  return at::from_blob(data, shape, [keep = bytes](void*) {}, at::TensorOptions().dtype(dtype));
}

}  // namespace nnc
