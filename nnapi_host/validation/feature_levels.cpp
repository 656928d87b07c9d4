#include "validation/feature_levels.h"

#include <initializer_list>

#include "nnapi/NeuralNetworks.h"

namespace nnapi_rules {
namespace {

constexpr int FL1 = kFeatureLevel1, FL2 = kFeatureLevel2, FL3 = kFeatureLevel3, FL4 = kFeatureLevel4;
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
  std::initializer_list<TypeLevel> types;  // main input type -> level that first accepts it
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
    // QUANTIZE: float input, quantized output (the output type decides: Q8A FL3, Q8S FL4).
    {ANEURALNETWORKS_QUANTIZE, {{F32, FL3}, {F16, FL3}}},
    {ANEURALNETWORKS_DEQUANTIZE, {{Q8A, FL1}, {Q8SYM, FL3}, {Q8PC, FL3}, {Q8S, FL4}}},
};

struct FeatureEntry {
  Feature feature;
  int level;
  const char* name;
};

const FeatureEntry kFeatures[] = {
    {Feature::LayoutInput, FL3, "the layout (NCHW) input"},
    {Feature::ConvDilation, FL3, "dilation inputs"},
    {Feature::PerChannelQuantFilter, FL3, "a per-channel quantized filter"},
    {Feature::QuantOutputScaleBelowProduct, FL3, "output scale <= input scale * filter scale"},
    {Feature::SoftmaxAxis, FL3, "the axis input"},
    {Feature::SoftmaxAnyRank, FL3, "an input of rank other than 2 or 4"},
    {Feature::ConcatMixedQuant, FL3, "inputs whose scale/zeroPoint differ from the output's"},
    {Feature::PadQuantNonZeroZeroPoint, FL3, "a TENSOR_QUANT8_ASYMM input with zeroPoint != 0"},
    {Feature::ResizeScaleInputs, FL3, "scale-factor inputs"},
    {Feature::ResizeAlignCorners, FL4, "the align_corners / half_pixel_centers inputs"},
};

const FeatureEntry& entryOf(Feature feature) {
  for (const FeatureEntry& entry : kFeatures) {
    if (entry.feature == feature) return entry;
  }
  return kFeatures[0];  // unreachable: every Feature has an entry (feature_levels_test checks)
}

}  // namespace

int featureLevel(Feature feature) { return entryOf(feature).level; }
const char* featureName(Feature feature) { return entryOf(feature).name; }

int operationLevel(int32_t op, int32_t inputType) {
  for (const OperationLevels& entry : kOperations) {
    if (entry.op != op) continue;
    for (const TypeLevel& t : entry.types) {
      if (t.type == inputType) return t.level;
    }
    return 0;
  }
  return 0;
}

int operationLevel(int32_t op) {
  for (const OperationLevels& entry : kOperations) {
    if (entry.op != op) continue;
    int lowest = 0;
    for (const TypeLevel& t : entry.types) {
      if (lowest == 0 || t.level < lowest) lowest = t.level;
    }
    return lowest;
  }
  return 0;
}

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

std::string describeLevel(int level) {
  switch (level) {
    case FL1: return "Android 8.1 (API 27, NNAPI feature level 1)";
    case FL2: return "Android 9 (API 28, NNAPI feature level 2)";
    case FL3: return "Android 10 (API 29, NNAPI feature level 3)";
    case FL4: return "Android 11 (API 30, NNAPI feature level 4)";
    default: return "NNAPI feature level " + std::to_string(level);
  }
}

}  // namespace nnapi_rules
