// The converter's NNAPI model under construction: operands (type, shape, quantization, physical layout),
// constants, operations, model inputs and outputs. Every operation is checked against NNAPI's rules when it is
// added (the same nnapi_rules the desktop NNAPI enforces), so a lowering that emits something invalid fails at
// the line that emitted it, with the operation and operand named.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "ir/const_bytes.h"

namespace nnc::ir {

// Where a tensor's elements physically are, relative to PyTorch's logical (contiguous) order.
enum class Layout {
  Contiguous,             // physical order = PyTorch's logical order
  ChannelsLast,           // a 4-D PyTorch [N,C,H,W] map stored as NHWC: dims are [N,H,W,C]
  ChannelsLastFlattened,  // a 2-D PyTorch [N, C*H*W] made by flattening a ChannelsLast map: features are stored
                          // in (H,W,C) order; `flattened_chw` remembers C,H,W so a consumer can reorder weights.
                          // A FULLY_CONNECTED weight [units, C*H*W] reordered so has it too (its rows are such maps)
  ChannelsLast1d,         // a 3-D PyTorch [N,C,L] sequence map (conv1d's) stored as [N,L,C]: a RESHAPE makes it the
                          // NHWC map [N,1,L,C] that NNAPI's 2-D convolutions and pools read
};

struct PerChannelQuant {
  uint32_t channel_dim = 0;
  std::vector<float> scales;
};

struct Operand {
  int32_t type = 0;              // NNAPI OperandCode
  std::vector<uint32_t> dims;    // physical NNAPI dimensions; empty for scalars
  float scale = 0.0f;
  int32_t zero_point = 0;
  std::optional<PerChannelQuant> per_channel;
  Layout layout = Layout::Contiguous;
  std::vector<uint32_t> flattened_chw;  // {C,H,W} when layout == ChannelsLastFlattened
  int32_t buffer = -1;           // index into Model::buffers() for constants; kOmitted for an omitted input
  std::string name;              // PyTorch value name or what the converter made it for
};

// Operand::buffer of an optional operation input that is left out (NNAPI's setOperandValue(NULL, 0)).
constexpr int32_t kOmitted = -2;

struct Operation {
  int32_t type = 0;              // NNAPI OperationCode
  std::vector<uint32_t> inputs;
  std::vector<uint32_t> outputs;
  std::string origin;            // the PyTorch node it was lowered from (kind @ file:line), for messages
};

// What a lowering asks of an operation's output; everything not given is taken from NNAPI's output rules.
struct OutputSpec {
  Layout layout = Layout::Contiguous;
  std::optional<int32_t> type;                   // default: the rule's inferred type (else input 0's)
  std::optional<std::pair<float, int32_t>> quant;  // scale, zero point for ops whose output quantization is free
  std::string name;
};

// A converter bug: an operation or operand NNAPI would reject. Not a user error.
class InvalidModel : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

class Model {
 public:
  explicit Model(int feature_level = 30) : feature_level_(feature_level) {}

  // Operands that are neither constants nor outputs of an operation: model inputs. A dimension may be 0 (fixed only
  // at execution) from feature level 3 on (nnapi_rules::Feature::DynamicOutputShape).
  uint32_t addInput(int32_t type, std::vector<uint32_t> dims, Layout layout, std::string name, float scale = 0.0f,
                    int32_t zero_point = 0);

  // Constants; `dims` empty for scalars. The first form copies `length` bytes (scalars, small tensors); the second
  // shares `bytes`, and addTensorFloat32 takes its values: a weight is not copied into the model.
  uint32_t addConstant(Operand operand, const void* bytes, size_t length);
  uint32_t addConstant(Operand operand, ConstBytes bytes);
  uint32_t addScalarInt32(int32_t value);
  uint32_t addScalarFloat32(float value);
  uint32_t addScalarBool(bool value);
  uint32_t addTensorInt32(const std::vector<int32_t>& values);
  uint32_t addTensorFloat32(std::vector<uint32_t> dims, std::vector<float> values, Layout layout,
                            std::string name);
  // Float32 values already in bytes (a float32 tensor of libtorch's, shared).
  uint32_t addTensorFloat32(std::vector<uint32_t> dims, ConstBytes values, Layout layout,
                            std::string name);
  // An optional input of an operation left out: an operand of `type` and `dims` with no value.
  uint32_t addOmitted(int32_t type, std::vector<uint32_t> dims);

  // Checks `op` against NNAPI's rules, creates its outputs with the inferred shapes and returns their indices.
  // Throws InvalidModel naming the operation, `origin` and the offending operand.
  std::vector<uint32_t> addOperation(int32_t op, std::vector<uint32_t> inputs, std::vector<OutputSpec> outputs,
                                     const std::string& origin);
  uint32_t addOperation(int32_t op, std::vector<uint32_t> inputs, OutputSpec output, const std::string& origin) {
    return addOperation(op, std::move(inputs), std::vector<OutputSpec>{std::move(output)}, origin).at(0);
  }

  // The same data as operand `source` seen in another layout, for a permute that only changes which layout the
  // converter tracks (a channels-last [N,C,H,W] map permuted to [N,H,W,C] is that order's contiguous tensor): a new
  // operand with `source`'s physical dims and `layout`, which no operation refers to. addOperation and setOutputs
  // take `source` wherever they are given it, so it costs no NNAPI operation; removeUnusedOperands drops it.
  uint32_t addLayoutAlias(uint32_t source, Layout layout, std::string name);
  // The operand that holds `operand`'s data: `operand` itself unless it is a layout alias.
  uint32_t resolveAlias(uint32_t operand) const;

  void setOutputs(std::vector<uint32_t> outputs);

  // Passes rewrite operations in place; removeUnusedOperands then drops operands nothing refers to any more.
  std::vector<Operation>& mutableOperations() { return operations_; }
  void removeUnusedOperands();

  const std::vector<Operand>& operands() const { return operands_; }
  Operand& mutableOperand(uint32_t index) { return operands_.at(index); }
  const std::vector<Operation>& operations() const { return operations_; }
  const std::vector<ConstBytes>& buffers() const { return buffers_; }
  // Frees every constant's bytes once the model is serialized; buffers() keeps its count, each buffer empty, so
  // the model can still be described but no longer serialized or extended.
  void releaseConstantBytes();
  const std::vector<uint32_t>& inputs() const { return inputs_; }
  const std::vector<uint32_t>& outputs() const { return outputs_; }
  bool isConstant(uint32_t operand) const { return operands_.at(operand).buffer >= 0; }
  bool isOmitted(uint32_t operand) const { return operands_.at(operand).buffer == kOmitted; }
  const uint8_t* constantData(uint32_t operand) const;
  int featureLevel() const { return feature_level_; }
  // Lowest NNAPI feature level the operations (and inputs with dimensions fixed only at execution) need.
  int minimumFeatureLevel() const;

 private:
  int feature_level_;
  std::vector<Operand> operands_;
  std::vector<Operation> operations_;
  std::vector<ConstBytes> buffers_;
  std::vector<uint32_t> inputs_;
  std::vector<uint32_t> outputs_;
  std::vector<std::pair<uint32_t, uint32_t>> aliases_;  // (alias, the operand it stands for)
};

// Bytes of a fully specified operand.
size_t byteSize(const Operand& operand);
std::string operationName(int32_t op);
std::string operandTypeName(int32_t type);
const char* layoutName(Layout layout);

}  // namespace nnc::ir
