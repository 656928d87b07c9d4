// Operand types (§6) and the checks on a new operand (§12.1).
#include <cmath>
#include <limits>

#include "nnapi/NeuralNetworks.h"
#include "validation/op_check.h"
#include "validation/operation_rules.h"

namespace nnapi_rules {
namespace {

struct TypeInfo {
  const char* name;
  size_t bytes;
  bool scalar;
};

constexpr TypeInfo kTypes[] = {
    {"FLOAT32", 4, true},
    {"INT32", 4, true},
    {"UINT32", 4, true},
    {"TENSOR_FLOAT32", 4, false},
    {"TENSOR_INT32", 4, false},
    {"TENSOR_QUANT8_ASYMM", 1, false},
    {"BOOL", 1, true},
    {"TENSOR_QUANT16_SYMM", 2, false},
    {"TENSOR_FLOAT16", 2, false},
    {"TENSOR_BOOL8", 1, false},
    {"FLOAT16", 2, true},
    {"TENSOR_QUANT8_SYMM_PER_CHANNEL", 1, false},
    {"TENSOR_QUANT16_ASYMM", 2, false},
    {"TENSOR_QUANT8_SYMM", 1, false},
    {"TENSOR_QUANT8_ASYMM_SIGNED", 1, false},
    {"MODEL", 0, true},
};
constexpr int32_t kTypeCount = int32_t(sizeof(kTypes) / sizeof(kTypes[0]));

const char* const kOperationNames[] = {"ADD",
                                       "AVERAGE_POOL_2D",
                                       "CONCATENATION",
                                       "CONV_2D",
                                       "DEPTHWISE_CONV_2D",
                                       "DEPTH_TO_SPACE",
                                       "DEQUANTIZE",
                                       "EMBEDDING_LOOKUP",
                                       "FLOOR",
                                       "FULLY_CONNECTED",
                                       "HASHTABLE_LOOKUP",
                                       "L2_NORMALIZATION",
                                       "L2_POOL_2D",
                                       "LOCAL_RESPONSE_NORMALIZATION",
                                       "LOGISTIC",
                                       "LSH_PROJECTION",
                                       "LSTM",
                                       "MAX_POOL_2D",
                                       "MUL",
                                       "RELU",
                                       "RELU1",
                                       "RELU6",
                                       "RESHAPE",
                                       "RESIZE_BILINEAR",
                                       "RNN",
                                       "SOFTMAX",
                                       "SPACE_TO_DEPTH",
                                       "SVDF",
                                       "TANH",
                                       "BATCH_TO_SPACE_ND",
                                       "DIV",
                                       "MEAN",
                                       "PAD",
                                       "SPACE_TO_BATCH_ND",
                                       "SQUEEZE",
                                       "STRIDED_SLICE",
                                       "SUB",
                                       "TRANSPOSE",
                                       "ABS",
                                       "ARGMAX",
                                       "ARGMIN",
                                       "AXIS_ALIGNED_BBOX_TRANSFORM",
                                       "BIDIRECTIONAL_SEQUENCE_LSTM",
                                       "BIDIRECTIONAL_SEQUENCE_RNN",
                                       "BOX_WITH_NMS_LIMIT",
                                       "CAST",
                                       "CHANNEL_SHUFFLE",
                                       "DETECTION_POSTPROCESSING",
                                       "EQUAL",
                                       "EXP",
                                       "EXPAND_DIMS",
                                       "GATHER",
                                       "GENERATE_PROPOSALS",
                                       "GREATER",
                                       "GREATER_EQUAL",
                                       "GROUPED_CONV_2D",
                                       "HEATMAP_MAX_KEYPOINT",
                                       "INSTANCE_NORMALIZATION",
                                       "LESS",
                                       "LESS_EQUAL",
                                       "LOG",
                                       "LOGICAL_AND",
                                       "LOGICAL_NOT",
                                       "LOGICAL_OR",
                                       "LOG_SOFTMAX",
                                       "MAXIMUM",
                                       "MINIMUM",
                                       "NEG",
                                       "NOT_EQUAL",
                                       "PAD_V2",
                                       "POW",
                                       "PRELU",
                                       "QUANTIZE",
                                       "QUANTIZED_16BIT_LSTM",
                                       "RANDOM_MULTINOMIAL",
                                       "REDUCE_ALL",
                                       "REDUCE_ANY",
                                       "REDUCE_MAX",
                                       "REDUCE_MIN",
                                       "REDUCE_PROD",
                                       "REDUCE_SUM",
                                       "ROI_ALIGN",
                                       "ROI_POOLING",
                                       "RSQRT",
                                       "SELECT",
                                       "SIN",
                                       "SLICE",
                                       "SPLIT",
                                       "SQRT",
                                       "TILE",
                                       "TOPK_V2",
                                       "TRANSPOSE_CONV_2D",
                                       "UNIDIRECTIONAL_SEQUENCE_LSTM",
                                       "UNIDIRECTIONAL_SEQUENCE_RNN",
                                       "RESIZE_NEAREST_NEIGHBOR",
                                       "QUANTIZED_LSTM",
                                       "IF",
                                       "WHILE",
                                       "ELU",
                                       "HARD_SWISH",
                                       "FILL",
                                       "RANK",
                                       "BATCH_MATMUL",
                                       "PACK",
                                       "MIRROR_PAD",
                                       "REVERSE"};
constexpr int32_t kOperationCount = int32_t(sizeof(kOperationNames) / sizeof(kOperationNames[0]));

bool isScalarType(int32_t type) { return type >= 0 && type < kTypeCount && kTypes[type].scalar; }

}  // namespace

std::string operationName(int32_t op) {
  if (op >= 0 && op < kOperationCount) return kOperationNames[op];
  return "UNKNOWN(" + std::to_string(op) + ")";
}

std::string operandTypeName(int32_t type) {
  if (type >= 0 && type < kTypeCount) return kTypes[type].name;
  return "UNKNOWN(" + std::to_string(type) + ")";
}

size_t elementSize(int32_t type) { return (type >= 0 && type < kTypeCount) ? kTypes[type].bytes : 0; }

size_t byteSize(const OperandDesc& operand) {
  size_t bytes = elementSize(operand.type);
  for (uint32_t d : operand.dims) bytes *= d;
  return bytes;
}

Verdict Verdict::tooNew(const std::string& what, int level) {
  Verdict v = fail(what + " needs " + describeLevel(level));
  v.neededLevel = level;
  return v;
}

namespace {

// validateOperandType without the feature level.
Verdict checkOperandType(const OperandDesc& operand) {
  const int32_t type = operand.type;
  if (type < 0 || type >= kTypeCount)
    return Verdict::fail("operand type " + std::to_string(type) + " is not an OperandCode (0..15)");
  const std::string name = operandTypeName(type);
  if (isScalarType(type) && !operand.dims.empty())
    return Verdict::fail(name + " is a scalar type but has " + std::to_string(operand.dims.size()) + " dimensions");
  uint64_t bytes = elementSize(type);
  for (uint32_t d : operand.dims) {
    if (d != 0) bytes *= d;
    if (bytes > std::numeric_limits<uint32_t>::max())
      return Verdict::fail(name + " " + detail::dimsToString(operand.dims) + ": byte size exceeds 2^32-1");
  }
  const float s = operand.scale;
  const int32_t zp = operand.zeroPoint;
  const std::string q = "scale " + std::to_string(s) + ", zeroPoint " + std::to_string(zp);
  switch (type) {
    case ANEURALNETWORKS_TENSOR_INT32:  // used for quantized biases, so s/zp are not checked (§6)
      return Verdict::pass();
    case ANEURALNETWORKS_TENSOR_QUANT8_ASYMM:
      if (!(s > 0 && std::isfinite(s)) || zp < 0 || zp > 255)
        return Verdict::fail(name + " needs scale > 0 and 0 <= zeroPoint <= 255, got " + q);
      return Verdict::pass();
    case ANEURALNETWORKS_TENSOR_QUANT8_ASYMM_SIGNED:
      if (!(s > 0 && std::isfinite(s)) || zp < -128 || zp > 127)
        return Verdict::fail(name + " needs scale > 0 and -128 <= zeroPoint <= 127, got " + q);
      return Verdict::pass();
    case ANEURALNETWORKS_TENSOR_QUANT16_ASYMM:
      if (!(s > 0 && std::isfinite(s)) || zp < 0 || zp > 65535)
        return Verdict::fail(name + " needs scale > 0 and 0 <= zeroPoint <= 65535, got " + q);
      return Verdict::pass();
    case ANEURALNETWORKS_TENSOR_QUANT16_SYMM:
    case ANEURALNETWORKS_TENSOR_QUANT8_SYMM:
      if (!(s > 0 && std::isfinite(s)) || zp != 0)
        return Verdict::fail(name + " needs scale > 0 and zeroPoint 0, got " + q);
      return Verdict::pass();
    default:  // float, bool, scalars and per-channel (whose scales come separately)
      if (s != 0.0f || zp != 0) return Verdict::fail(name + " needs scale 0 and zeroPoint 0, got " + q);
      return Verdict::pass();
  }
}

}  // namespace

Verdict validateOperandType(const OperandDesc& operand, int featureLevel) {
  Verdict verdict = checkOperandType(operand);
  const int level = operandTypeLevel(operand.type);
  if (verdict.ok && level > featureLevel) return Verdict::tooNew(operandTypeName(operand.type), level);
  return verdict;
}

}  // namespace nnapi_rules
