// The TorchScript graph as the lowerings see it: torch-free, so lowerings compile fast and can be unit-tested by
// building a tiny graph by hand. The frontend (converter/frontend) builds it from a frozen torch::jit::Graph and
// evaluates everything that is known at convert time (shapes, sizes, lists of ints) into constants.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ir/const_bytes.h"
#include "ir/model.h"

namespace nnc {

enum class DType { Float32, Float64, Int32, Int64, UInt8, Int8, Bool, QUInt8, QInt8, QInt32, Other };

// A constant tensor (weights, biases, folded values), contiguous, with PyTorch's quantization if any.
struct ConstTensor {
  DType dtype = DType::Float32;
  std::vector<int64_t> shape;
  ConstBytes bytes;  // contiguous, row-major; empty once a lowering moved the weight (ops/lowering.h WeightMove)
  double scale = 0.0;          // per-tensor quantization
  int64_t zero_point = 0;
  std::vector<double> channel_scales;  // per-channel quantization along channel_axis
  std::vector<int64_t> channel_zero_points;
  int64_t channel_axis = -1;

  int64_t numel() const;
  // Values as float (float, double and integer dtypes); quantized tensors give their raw integers.
  std::vector<float> toFloats() const;
};

// A constant's values as float, read where they are for a float32 tensor (no copy: weights can be hundreds of MB)
// and converted otherwise (ConstTensor::toFloats). Valid while the ConstTensor is.
class FloatValues {
 public:
  explicit FloatValues(const ConstTensor& tensor);
  FloatValues(const FloatValues&) = delete;  // data_ may point into converted_
  FloatValues& operator=(const FloatValues&) = delete;
  const float* begin() const { return data_; }
  const float* end() const { return data_ + size_; }
  size_t size() const { return size_; }
  float operator[](size_t i) const { return data_[i]; }

 private:
  std::vector<float> converted_;
  const float* data_ = nullptr;
  size_t size_ = 0;
};

// The weights of a quantized convolution or linear layer, unpacked at convert time from PyTorch's packed
// parameters (the Conv2dPackedParamsBase / LinearPackedParamsBase objects that quantized::conv2d and
// quantized::linear take).
struct PackedWeights {
  enum class Kind { Conv2d, Linear };
  Kind kind = Kind::Conv2d;
  ConstTensor weight;  // qint8: per-tensor (scale, zero_point) or per-channel (channel_scales, channel_axis)
  std::optional<ConstTensor> bias;  // float32 [out channels]; PyTorch quantizes it at run time
  // Conv2d only, PyTorch's (H, W) order.
  std::vector<int64_t> stride, padding, dilation, output_padding;
  int64_t groups = 1;
  bool transposed = false;
};

struct NoneValue {};
// std::vector<ConstTensor>: a list of constant tensors (a recurrent layer's weights, aten::gru's `params`).
using Constant = std::variant<NoneValue, bool, int64_t, double, std::string, std::vector<int64_t>,
                              std::vector<double>, std::vector<bool>, ConstTensor, PackedWeights,
                              std::vector<ConstTensor>>;

using ValueId = size_t;

struct Value {
  enum class Kind {
    Unknown,   // known only when the model runs, with no shape the converter can use (a loop counter, ...)
    Tensor,    // a tensor computed by the model, on NNAPI or on the CPU
    Constant,  // known at convert time
    List,      // a list or tuple of other values (e.g. the tensors of a cat)
  };
  Kind kind = Kind::Unknown;
  // Kind::Tensor: what it is (NNAPI type, physical dims, quantization, layout; no buffer) and where it is
  // computed: an operand of NNAPI partition `partition`, or on the CPU (partition -1: a forward argument or the
  // output of an op left to TorchScript). Lowerings reach it through LoweringContext::operandInput, which imports
  // it into the open partition when it is computed elsewhere.
  ir::Operand tensor;
  int partition = -1;
  uint32_t partition_operand = 0;
  Constant constant;              // Kind::Constant
  std::vector<ValueId> elements;  // Kind::List
  std::string name;               // PyTorch's debug name
};

struct Node {
  std::string kind;               // "aten::conv2d"
  std::vector<ValueId> inputs;
  std::vector<ValueId> outputs;
  std::string source;             // "model.py:42" where the graph records it, else ""
  std::string scope;              // module path "features.3.conv.1" where recorded, else ""
  // Per output, whether anything reads it (empty: all are taken as read). An output nothing reads may be left
  // undefined by its lowering.
  std::vector<bool> output_used;
  // Per input, whether the lowering may rewrite the constant's bytes in place (empty: none): only this node reads
  // the constant and only the graph holds PyTorch's tensor, so no one else sees the change once the frontend reads
  // the weight back from the partition (LoweringContext::floatWeightToReorder).
  std::vector<bool> rewritable_inputs;
  // "aten::conv2d at model.py:42 (features.3.conv.1)"
  std::string describe() const;
};

}  // namespace nnc
