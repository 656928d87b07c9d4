#include "ops/graph.h"

#include <cstring>
#include <stdexcept>

namespace nnc {

int64_t ConstTensor::numel() const {
  int64_t count = 1;
  for (int64_t d : shape) count *= d;
  return count;
}

namespace {
// A weight whose bytes moved into a partition (frontend/moved_weights.h) keeps only its shape and dtype.
void requireBytes(const ConstTensor& tensor) {
  if (tensor.bytes.size() == 0 && tensor.numel() > 0) {
    throw std::logic_error("a constant weight is read after its lowering moved it into NNAPI's layout");
  }
}

template <typename T>
std::vector<float> castAll(const ConstBytes& bytes, int64_t count) {
  std::vector<float> out(count);
  for (int64_t i = 0; i < count; ++i) {
    T value;
    std::memcpy(&value, bytes.data() + i * sizeof(T), sizeof(T));
    out[i] = static_cast<float>(value);
  }
  return out;
}
}  // namespace

FloatValues::FloatValues(const ConstTensor& tensor) : size_(size_t(tensor.numel())) {
  requireBytes(tensor);
  if (tensor.dtype == DType::Float32) {
    // libtorch's (and our own) float buffers are float-aligned: read them in place.
    data_ = reinterpret_cast<const float*>(tensor.bytes.data());
  } else {
    converted_ = tensor.toFloats();
    data_ = converted_.data();
  }
}

std::vector<float> ConstTensor::toFloats() const {
  requireBytes(*this);
  const int64_t count = numel();
  switch (dtype) {
    case DType::Float32: return castAll<float>(bytes, count);
    case DType::Float64: return castAll<double>(bytes, count);
    case DType::Int32:
    case DType::QInt32: return castAll<int32_t>(bytes, count);
    case DType::Int64: return castAll<int64_t>(bytes, count);
    case DType::UInt8:
    case DType::QUInt8:
    case DType::Bool: return castAll<uint8_t>(bytes, count);
    case DType::Int8:
    case DType::QInt8: return castAll<int8_t>(bytes, count);
    case DType::Other: break;
  }
  throw std::runtime_error("constant tensor of an unsupported dtype");
}

std::string Node::describe() const {
  std::string text = kind;
  if (!source.empty()) text += " at " + source;
  if (!scope.empty()) text += " (" + scope + ")";
  return text;
}

}  // namespace nnc
