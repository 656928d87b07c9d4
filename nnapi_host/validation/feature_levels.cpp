#include "validation/feature_levels.h"

#include <initializer_list>
#include <iterator>

#include "nnapi/NeuralNetworks.h"

namespace nnapi_rules {
namespace {

constexpr int FL1 = kFeatureLevel1, FL2 = kFeatureLevel2, FL3 = kFeatureLevel3, FL4 = kFeatureLevel4,
              FL6 = kFeatureLevel6, FL7 = kFeatureLevel7;
constexpr int32_t F32 = ANEURALNETWORKS_TENSOR_FLOAT32, F16 = ANEURALNETWORKS_TENSOR_FLOAT16,
                  I32T = ANEURALNETWORKS_TENSOR_INT32, Q8A = ANEURALNETWORKS_TENSOR_QUANT8_ASYMM,
                  Q8S = ANEURALNETWORKS_TENSOR_QUANT8_ASYMM_SIGNED, Q8SYM = ANEURALNETWORKS_TENSOR_QUANT8_SYMM,
                  Q8PC = ANEURALNETWORKS_TENSOR_QUANT8_SYMM_PER_CHANNEL;

struct TypeLevel {
  int32_t type;
  int level;
};

struct OperationLevels {
  int32_t op;
  std::initializer_list<TypeLevel> types;  // type -> level that first accepts it, oldest first
};

// Per operation, per main input type: NeuralNetworks.h's "Available since" and each operand list's
// "Supported tensor OperandCode" history (shared/nnapi-reference.md §5).
const OperationLevels kOperations[] = {
    {ANEURALNETWORKS_ADD, {{F32, FL1}, {Q8A, FL1}, {F16, FL3}, {Q8S, FL4}, {I32T, FL4}}},
    {ANEURALNETWORKS_MUL, {{F32, FL1}, {Q8A, FL1}, {F16, FL3}, {Q8S, FL4}, {I32T, FL4}}},
    {ANEURALNETWORKS_SUB, {{F32, FL2}, {F16, FL3}, {Q8A, FL3}, {Q8S, FL4}, {I32T, FL4}}},
    {ANEURALNETWORKS_DIV, {{F32, FL2}, {F16, FL3}, {I32T, FL4}}},
    {ANEURALNETWORKS_MAXIMUM, {{F32, FL3}, {F16, FL3}, {I32T, FL3}, {Q8A, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_MINIMUM, {{F32, FL3}, {F16, FL3}, {I32T, FL3}, {Q8A, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_PRELU, {{F32, FL3}, {F16, FL3}, {Q8A, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_RELU, {{F32, FL1}, {Q8A, FL1}, {F16, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_RELU1, {{F32, FL1}, {Q8A, FL1}, {F16, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_RELU6, {{F32, FL1}, {Q8A, FL1}, {F16, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_LOGISTIC, {{F32, FL1}, {Q8A, FL1}, {F16, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_TANH, {{F32, FL1}, {F16, FL3}, {Q8A, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_HARD_SWISH, {{F32, FL4}, {F16, FL4}, {Q8A, FL4}, {Q8S, FL4}}},
    {ANEURALNETWORKS_SOFTMAX, {{F32, FL1}, {Q8A, FL1}, {F16, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_LOG_SOFTMAX, {{F32, FL3}, {F16, FL3}}},
    {ANEURALNETWORKS_CONV_2D, {{F32, FL1}, {Q8A, FL1}, {F16, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_DEPTHWISE_CONV_2D, {{F32, FL1}, {Q8A, FL1}, {F16, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_GROUPED_CONV_2D, {{F32, FL3}, {Q8A, FL3}, {F16, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_TRANSPOSE_CONV_2D, {{F32, FL3}, {Q8A, FL3}, {F16, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_FULLY_CONNECTED, {{F32, FL1}, {Q8A, FL1}, {F16, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_AVERAGE_POOL_2D, {{F32, FL1}, {Q8A, FL1}, {F16, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_MAX_POOL_2D, {{F32, FL1}, {Q8A, FL1}, {F16, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_L2_POOL_2D, {{F32, FL1}, {F16, FL3}}},
    {ANEURALNETWORKS_RESHAPE, {{F32, FL1}, {Q8A, FL1}, {F16, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_SQUEEZE, {{F32, FL2}, {Q8A, FL2}, {F16, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_EXPAND_DIMS, {{F32, FL3}, {F16, FL3}, {I32T, FL3}, {Q8A, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_TRANSPOSE, {{F32, FL2}, {Q8A, FL2}, {F16, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_CONCATENATION, {{F32, FL1}, {Q8A, FL1}, {F16, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_MEAN, {{F32, FL2}, {Q8A, FL2}, {F16, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_STRIDED_SLICE, {{F32, FL2}, {Q8A, FL2}, {F16, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_PAD, {{F32, FL2}, {Q8A, FL2}, {F16, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_PAD_V2, {{F32, FL3}, {F16, FL3}, {Q8A, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_RESIZE_BILINEAR, {{F32, FL1}, {F16, FL3}, {Q8A, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_RESIZE_NEAREST_NEIGHBOR, {{F32, FL3}, {F16, FL3}, {Q8A, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_QUANTIZE, {{F32, FL3}, {F16, FL3}}},
    {ANEURALNETWORKS_DEQUANTIZE, {{Q8A, FL1}, {Q8SYM, FL3}, {Q8PC, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_SPLIT, {{F32, FL3}, {F16, FL3}, {I32T, FL3}, {Q8A, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_CHANNEL_SHUFFLE, {{F32, FL3}, {F16, FL3}, {Q8A, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_GATHER, {{F32, FL3}, {F16, FL3}, {I32T, FL3}, {Q8A, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_TILE, {{F32, FL3}, {F16, FL3}, {I32T, FL3}, {Q8A, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_ABS, {{F32, FL3}, {F16, FL3}, {I32T, FL4}}},
    {ANEURALNETWORKS_EXP, {{F32, FL3}, {F16, FL3}}},
    {ANEURALNETWORKS_LOG, {{F32, FL3}, {F16, FL3}}},
    {ANEURALNETWORKS_NEG, {{F32, FL3}, {F16, FL3}, {I32T, FL3}}},
    {ANEURALNETWORKS_RSQRT, {{F32, FL3}, {F16, FL3}}},
    {ANEURALNETWORKS_SIN, {{F32, FL3}, {F16, FL3}}},
    {ANEURALNETWORKS_SQRT, {{F32, FL3}, {F16, FL3}}},
    {ANEURALNETWORKS_POW, {{F32, FL3}, {F16, FL3}}},
    {ANEURALNETWORKS_ELU, {{F32, FL4}, {F16, FL4}}},
    {ANEURALNETWORKS_REDUCE_SUM, {{F32, FL3}, {F16, FL3}}},
    {ANEURALNETWORKS_REDUCE_MAX, {{F32, FL3}, {F16, FL3}, {Q8A, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_REDUCE_MIN, {{F32, FL3}, {F16, FL3}, {Q8A, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_DEPTH_TO_SPACE, {{F32, FL1}, {Q8A, FL1}, {F16, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_SPACE_TO_DEPTH, {{F32, FL1}, {Q8A, FL1}, {F16, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_INSTANCE_NORMALIZATION, {{F32, FL3}, {F16, FL3}}},
    {ANEURALNETWORKS_BATCH_MATMUL, {{F32, FL6}, {F16, FL6}, {I32T, FL6}, {Q8S, FL6}}},
    {ANEURALNETWORKS_MIRROR_PAD, {{F32, FL7}, {F16, FL7}, {I32T, FL7}, {Q8A, FL7}, {Q8S, FL7}}},
    {ANEURALNETWORKS_UNIDIRECTIONAL_SEQUENCE_LSTM, {{F32, FL3}}},
};

// Per operation whose output type is not input 0's, per output type.
const OperationLevels kOutputTypes[] = {
    {ANEURALNETWORKS_QUANTIZE, {{Q8A, FL3}, {Q8S, FL4}}},
    {ANEURALNETWORKS_DEQUANTIZE, {{F32, FL1}, {F16, FL3}}},
};

struct FeatureEntry {
  Feature feature;
  int level;
  const char* name;
};

// In the order of enum Feature (checked below), so a feature's entry is kFeatures[feature].
constexpr FeatureEntry kFeatures[] = {
    {Feature::LayoutInput, FL3, "the layout (NCHW) input"},
    {Feature::ConvDilation, FL3, "dilation inputs"},
    {Feature::PerChannelQuantFilter, FL3, "a per-channel quantized filter"},
    {Feature::QuantOutputScaleBelowProduct, FL3, "an output scale <= input scale * filter (weights) scale"},
    {Feature::SoftmaxAxis, FL3, "the axis input"},
    {Feature::SoftmaxAnyRank, FL3, "an input of rank other than 2 or 4"},
    {Feature::ConcatMixedQuant, FL3, "inputs whose scale/zeroPoint differ from the output's"},
    {Feature::PadQuantNonZeroZeroPoint, FL3, "a TENSOR_QUANT8_ASYMM input with zeroPoint != 0"},
    {Feature::ResizeScaleInputs, FL3, "scale-factor inputs"},
    {Feature::ResizeAlignCorners, FL4, "the align_corners / half_pixel_centers inputs"},
    {Feature::DynamicOutputShape, FL3, "dimensions fixed only at execution (outputs sized at execution)"},
    {Feature::SequenceLstmStateOutputs, FL4, "the output_state_out and cell_state_out outputs"},
    {Feature::OmittedOperand, FL1, "an omitted optional input"},
};

constexpr bool featuresInEnumOrder() {
  for (size_t i = 0; i < std::size(kFeatures); ++i) {
    if (kFeatures[i].feature != Feature(i)) return false;
  }
  return std::size(kFeatures) == size_t(Feature::Count);
}
static_assert(featuresInEnumOrder(), "kFeatures needs one entry per Feature, in the enum's order");

template <size_t N>
const OperationLevels* rowOf(const OperationLevels (&table)[N], int32_t op) {
  for (const OperationLevels& row : table) {
    if (row.op == op) return &row;
  }
  return nullptr;
}

template <size_t N>
int typeLevel(const OperationLevels (&table)[N], int32_t op, int32_t type) {
  if (const OperationLevels* row = rowOf(table, op)) {
    for (const TypeLevel& t : row->types) {
      if (t.type == type) return t.level;
    }
  }
  return 0;
}

template <size_t N>
std::vector<int32_t> typesOf(const OperationLevels (&table)[N], int32_t op) {
  std::vector<int32_t> types;
  if (const OperationLevels* row = rowOf(table, op)) {
    for (const TypeLevel& t : row->types) types.push_back(t.type);
  }
  return types;
}

}  // namespace

int featureLevel(Feature feature) { return kFeatures[size_t(feature)].level; }
const char* featureName(Feature feature) { return kFeatures[size_t(feature)].name; }

int operationLevel(int32_t op, int32_t inputType) { return typeLevel(kOperations, op, inputType); }

int operationLevel(int32_t op) {
  const OperationLevels* row = rowOf(kOperations, op);
  if (row == nullptr) return 0;
  int lowest = 0;
  for (const TypeLevel& t : row->types) {
    if (lowest == 0 || t.level < lowest) lowest = t.level;
  }
  return lowest;
}

std::vector<int32_t> operationTypes(int32_t op) { return typesOf(kOperations, op); }

int outputTypeLevel(int32_t op, int32_t outputType) { return typeLevel(kOutputTypes, op, outputType); }

std::vector<int32_t> outputTypes(int32_t op) { return typesOf(kOutputTypes, op); }

int operandTypeLevel(int32_t type) {
  switch (type) {
    case ANEURALNETWORKS_FLOAT32:
    case ANEURALNETWORKS_INT32:
    case ANEURALNETWORKS_UINT32:
    case ANEURALNETWORKS_TENSOR_FLOAT32:
    case ANEURALNETWORKS_TENSOR_INT32:
    case ANEURALNETWORKS_TENSOR_QUANT8_ASYMM:
      return FL1;
    case ANEURALNETWORKS_BOOL:
    case ANEURALNETWORKS_TENSOR_QUANT16_SYMM:
    case ANEURALNETWORKS_TENSOR_FLOAT16:
    case ANEURALNETWORKS_TENSOR_BOOL8:
    case ANEURALNETWORKS_FLOAT16:
    case ANEURALNETWORKS_TENSOR_QUANT8_SYMM_PER_CHANNEL:
    case ANEURALNETWORKS_TENSOR_QUANT16_ASYMM:
    case ANEURALNETWORKS_TENSOR_QUANT8_SYMM:
      return FL3;
    case ANEURALNETWORKS_TENSOR_QUANT8_ASYMM_SIGNED:
    case ANEURALNETWORKS_MODEL:
      return FL4;
    default:
      return 0;
  }
}

namespace {

struct NamedLevel {
  int level;            // the API level that brought it
  const char* android;  // the Android version of that API level
};
// Feature level n is kLevels[n - 1].
constexpr NamedLevel kLevels[] = {{kFeatureLevel1, "8.1"}, {kFeatureLevel2, "9"},  {kFeatureLevel3, "10"},
                                  {kFeatureLevel4, "11"},  {kFeatureLevel5, "12"}, {kFeatureLevel6, "13"},
                                  {kFeatureLevel7, "14"}};
static_assert(std::size(kLevels) == 7 && kLevels[std::size(kLevels) - 1].level == kNewestFeatureLevel,
              "kLevels names every feature level up to the newest");
// ANEURALNETWORKS_FEATURE_LEVEL_6 and later are this + the level's number.
constexpr int64_t kFeatureLevelCodeBase = 1000000;
constexpr int kFirstNumberedCode = 6;

}  // namespace

int featureLevelOfApi(int apiLevel) {
  int newest = 0;
  for (const NamedLevel& named : kLevels) {
    if (named.level <= apiLevel) newest = named.level;
  }
  return newest;
}

int featureLevelNumbered(int number) {
  return number >= 1 && number <= int(std::size(kLevels)) ? kLevels[number - 1].level : 0;
}

int featureLevelNumber(int level) {
  for (size_t i = 0; i < std::size(kLevels); ++i) {
    if (kLevels[i].level == level) return int(i) + 1;
  }
  return 0;
}

int64_t nnapiFeatureLevelCode(int level) {
  const int number = featureLevelNumber(level);
  if (number == 0) return 0;
  return number >= kFirstNumberedCode ? kFeatureLevelCodeBase + number : level;
}

std::string describeLevel(int level) {
  const int number = featureLevelNumber(level);
  if (number == 0) return "API level " + std::to_string(level);
  return "Android " + std::string(kLevels[number - 1].android) + " (API " + std::to_string(level) +
         ", NNAPI feature level " + std::to_string(number) + ")";
}

}  // namespace nnapi_rules
