// The toolkit every operation rule is written with: one OpCheck per validated operation. It reads operands by
// position, checks counts/types/ranks/scalars, records the feature level each accepted type and feature needs
// (the levels come from feature_levels.h, never from a rule), and holds the inferred outputs. The first broken
// rule throws RuleFailure with a message naming the operation, the input position, its role and its operand
// index; validateOperation turns it into a Verdict.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "validation/feature_levels.h"
#include "validation/op_params.h"
#include "validation/operation_rules.h"

namespace nnapi_rules::detail {

// Short names for the operand codes the rules mention constantly (reference §6 abbreviations).
constexpr int32_t F32 = 3, I32T = 4, Q8A = 5, F16 = 8, B8T = 9, Q8PC = 11, Q8S = 14;
constexpr int32_t kFloat32 = 0, kInt32 = 1, kBool = 6, kFloat16 = 10;  // scalars

struct RuleFailure {
  std::string message;
};

class OpCheck {
 public:
  OpCheck(int32_t op, const std::vector<uint32_t>& inputs, const std::vector<uint32_t>& outputs,
          const std::vector<OperandDesc>& operands);

  const std::string& name() const { return name_; }
  size_t inputCount() const { return inputs_.size(); }
  size_t outputCount() const { return outputs_.size(); }
  const OperandDesc& in(size_t i) const { return operands_[inputs_[i]]; }
  const OperandDesc& declaredOut(size_t o) const { return operands_[outputs_[o]]; }
  // Inferred output o; starts as the declared operand, rules overwrite dims (and fixed quantization).
  OperandDesc& out(size_t o) { return inferred_[o]; }
  std::vector<OperandDesc>& inferredOutputs() { return inferred_; }

  [[noreturn]] void fail(const std::string& what) const;
  [[noreturn]] void failInput(size_t i, const char* role, const std::string& what) const;
  [[noreturn]] void failOutput(size_t o, const std::string& what) const;

  // Feature levels: the highest level anything accepted needs, and what needs it ("SUB on TENSOR_FLOAT32",
  // "CONV_2D with dilation inputs").
  void needFeature(Feature feature);
  // Records the level of every input and output operand's type (operandTypeLevel).
  void needOperandTypeLevels();
  int level() const { return level_; }
  const std::string& levelReason() const { return levelReason_; }

  void expectInputCount(std::initializer_list<size_t> allowed) const;
  void expectOutputCount(size_t n) const;

  // Tensors. tensorType checks input i has one of the operation's main input types (operationTypes) and records
  // the level that type needs; outputTensorType does the same for output o of QUANTIZE/DEQUANTIZE (outputTypes).
  int32_t tensorType(size_t i, const char* role);
  int32_t outputTensorType(size_t o);
  void sameType(size_t i, const char* role, size_t ref) const;
  bool rankKnown(size_t i) const { return !in(i).dims.empty(); }
  void expectRank(size_t i, const char* role, size_t minRank, size_t maxRank) const;  // checked when known
  void sameQuant(size_t i, const char* role, size_t ref) const;                       // s and zp of input ref
  void outputSameQuant(size_t o, size_t ref);                                         // output q = input ref's
  void fixedOutputQuant(size_t o, float scale, int32_t zeroPoint);
  void outputType(size_t o, int32_t type) const;  // declared output type must be `type`

  // Constant scalar parameters (NNAPI lets them be run-time values; this host requires constants, as phone
  // drivers do, so they can be validated here).
  // Whether optional input i was omitted (setOperandValue(NULL, 0)); also marks position i as optional. Any
  // other omitted input fails the operation (checkOmittedInputs), so no executor sees a missing tensor.
  bool omitted(size_t i);
  void checkOmittedInputs() const;
  int32_t scalarType(size_t i) const { return in(i).type; }
  int32_t i32(size_t i, const char* role) const;
  bool boolean(size_t i, const char* role) const;
  // FLOAT32 scalar, or FLOAT16 when `tensorType` is TENSOR_FLOAT16 (beta, scales, pad values of half models).
  float floatScalar(size_t i, const char* role, int32_t tensorType) const;
  std::vector<int32_t> i32Tensor(size_t i, const char* role) const;  // constant 1-D (or given-shape) TENSOR_INT32
  // A 1-D TENSOR_INT32 that NNAPI lets be a model input (RESHAPE's shape, TRANSPOSE's perm): its values when it is
  // a constant, none when they only come with an execution (the executor plans each run with the inputs' values).
  std::optional<std::vector<int32_t>> i32TensorIfConstant(size_t i, const char* role) const;
  int32_t fuse(size_t i) const;                                      // FuseCode 0..3
  // An axis in [-rank, rank) made non-negative.
  uint32_t axis(size_t i, const char* role, int32_t value, size_t rank) const;

 private:
  const OperandDesc& scalar(size_t i, const char* role, int32_t type) const;
  std::string inputLabel(size_t i, const char* role) const;
  void needLevel(int level, const std::string& what);

  int32_t op_;
  std::string name_;
  const std::vector<uint32_t>& inputs_;
  const std::vector<uint32_t>& outputs_;
  const std::vector<OperandDesc>& operands_;
  std::vector<OperandDesc> inferred_;
  std::vector<bool> optional_;
  int level_ = kFeatureLevel1;
  std::string levelReason_ = name_;
};

bool isQuantized8(int32_t type);   // Q8A, Q8S
bool isFloatTensor(int32_t type);  // F32, F16
std::string dimsToString(const std::vector<uint32_t>& dims);
float halfToFloat(uint16_t h);

// Reads [N,H,W,C] extents of a rank-4 operand in either layout.
struct Nhwc {
  uint32_t n = 0, h = 0, w = 0, c = 0;
};
Nhwc readNhwc(const std::vector<uint32_t>& dims, bool nchw);
std::vector<uint32_t> writeNhwc(const Nhwc& s, bool nchw);

// §9 implicit padding for one axis. `in` may be 0 (unknown): then both pads are 0.
void implicitPadding(int32_t code, uint32_t in, uint32_t stride, uint32_t effectiveKernel, int32_t* head,
                     int32_t* tail);
// §9 output extent; 0 when `in` is unknown (0).
uint32_t windowOutputSize(uint32_t in, uint32_t effectiveKernel, uint32_t stride, int32_t head, int32_t tail);

// §9 broadcasting of two shapes (a 0 extent is unknown); fails through `c` when incompatible.
std::vector<uint32_t> broadcastShapes(const OpCheck& c, const std::vector<uint32_t>& a, const std::vector<uint32_t>& b);

// Bias of CONV_2D/DEPTHWISE/GROUPED/TRANSPOSE_CONV/FULLY_CONNECTED (§6 bias rules): type, rank 1, length
// `outChannels` (0 = unknown), and for quantized inputs zp 0 and s = s_in*s_filter (per-channel: s = 0).
void checkBias(OpCheck& c, size_t biasIndex, size_t inputIndex, size_t filterIndex, uint32_t outChannels);
// A TENSOR_QUANT8_SYMM_PER_CHANNEL filter: allowed with a Q8A or Q8S input; channel axis must be `channelDim`.
void checkPerChannelFilter(OpCheck& c, size_t filterIndex, uint32_t channelDim);

// Rules registry: one entry per operation code, filled by one register* call per family.
using RuleFn = void (*)(OpCheck& check, OpParams& params);
struct RuleTable {
  RuleFn rules[128] = {};
  void add(int32_t op, RuleFn fn) { rules[op] = fn; }
};

void registerElementwiseRules(RuleTable& table);
void registerActivationRules(RuleTable& table);
void registerConvRules(RuleTable& table);
void registerPoolRules(RuleTable& table);
void registerFullyConnectedRules(RuleTable& table);
void registerShapeRules(RuleTable& table);
void registerReduceRules(RuleTable& table);
void registerSlicePadRules(RuleTable& table);
void registerResizeRules(RuleTable& table);
void registerQuantizeRules(RuleTable& table);
void registerSplitShuffleRules(RuleTable& table);
void registerGatherTileRules(RuleTable& table);
void registerDepthSpaceRules(RuleTable& table);
void registerInstanceNormRules(RuleTable& table);
void registerBatchMatmulRules(RuleTable& table);
void registerSequenceLstmRules(RuleTable& table);

}  // namespace nnapi_rules::detail
