// The feature-level table (validation/feature_levels.h) against shared/nnapi-reference.md §6, §8 and §10, and
// against the rules: every operation with a rule has a row and every row has a rule.
#include <catch2/catch.hpp>

#include "nnapi/NeuralNetworks.h"
#include "validation/feature_levels.h"
#include "validation/op_params.h"

using nnapi_rules::Feature;
using nnapi_rules::operationLevel;

namespace {

constexpr int FL1 = 27, FL2 = 28, FL3 = 29, FL4 = 30, FL5 = 31, FL6 = 33, FL7 = 34;
constexpr int32_t F32 = ANEURALNETWORKS_TENSOR_FLOAT32, F16 = ANEURALNETWORKS_TENSOR_FLOAT16,
                  I32T = ANEURALNETWORKS_TENSOR_INT32, Q8A = ANEURALNETWORKS_TENSOR_QUANT8_ASYMM,
                  Q8S = ANEURALNETWORKS_TENSOR_QUANT8_ASYMM_SIGNED;

}  // namespace

TEST_CASE("feature levels: operations per main input type, as the reference lists them") {
  CHECK(operationLevel(ANEURALNETWORKS_ADD, F32) == FL1);
  CHECK(operationLevel(ANEURALNETWORKS_ADD, I32T) == FL4);
  CHECK(operationLevel(ANEURALNETWORKS_BATCH_MATMUL, F32) == FL6);
  CHECK(operationLevel(ANEURALNETWORKS_BATCH_MATMUL, Q8S) == FL6);
  CHECK(operationLevel(ANEURALNETWORKS_BATCH_MATMUL, Q8A) == 0);
  CHECK(operationLevel(ANEURALNETWORKS_MIRROR_PAD, F32) == FL7);
  CHECK(operationLevel(ANEURALNETWORKS_MIRROR_PAD, Q8A) == FL7);
  CHECK(operationLevel(ANEURALNETWORKS_SUB, F32) == FL2);
  CHECK(operationLevel(ANEURALNETWORKS_SUB, Q8A) == FL3);
  CHECK(operationLevel(ANEURALNETWORKS_DIV, F32) == FL2);
  CHECK(operationLevel(ANEURALNETWORKS_DIV, Q8A) == 0);  // no quantized DIV
  CHECK(operationLevel(ANEURALNETWORKS_MEAN, F32) == FL2);
  CHECK(operationLevel(ANEURALNETWORKS_MEAN, F16) == FL3);
  CHECK(operationLevel(ANEURALNETWORKS_TRANSPOSE, F32) == FL2);
  CHECK(operationLevel(ANEURALNETWORKS_TRANSPOSE, Q8A) == FL2);
  CHECK(operationLevel(ANEURALNETWORKS_PAD, Q8S) == FL4);
  CHECK(operationLevel(ANEURALNETWORKS_TANH, Q8A) == FL3);
  CHECK(operationLevel(ANEURALNETWORKS_LOGISTIC, Q8A) == FL1);
  CHECK(operationLevel(ANEURALNETWORKS_CONV_2D, F32) == FL1);
  CHECK(operationLevel(ANEURALNETWORKS_CONV_2D, F16) == FL3);
  CHECK(operationLevel(ANEURALNETWORKS_GROUPED_CONV_2D, F32) == FL3);
  CHECK(operationLevel(ANEURALNETWORKS_TRANSPOSE_CONV_2D, Q8A) == FL3);
  CHECK(operationLevel(ANEURALNETWORKS_L2_POOL_2D, Q8A) == 0);  // float only
  CHECK(operationLevel(ANEURALNETWORKS_RESIZE_BILINEAR, F32) == FL1);
  CHECK(operationLevel(ANEURALNETWORKS_RESIZE_BILINEAR, Q8A) == FL3);
  CHECK(operationLevel(ANEURALNETWORKS_RESIZE_NEAREST_NEIGHBOR, F32) == FL3);
  for (int32_t type : {F32, F16, Q8A, Q8S}) CHECK(operationLevel(ANEURALNETWORKS_HARD_SWISH, type) == FL4);
  CHECK(operationLevel(ANEURALNETWORKS_LSTM, F32) == 0);  // no rule, no row
  for (int32_t op : {ANEURALNETWORKS_ABS, ANEURALNETWORKS_EXP, ANEURALNETWORKS_LOG, ANEURALNETWORKS_NEG,
                     ANEURALNETWORKS_RSQRT, ANEURALNETWORKS_SIN, ANEURALNETWORKS_SQRT}) {
    CHECK(operationLevel(op, F32) == FL3);
    CHECK(operationLevel(op, F16) == FL3);
    CHECK(operationLevel(op, Q8A) == 0);
  }
  CHECK(operationLevel(ANEURALNETWORKS_ABS, I32T) == FL4);
  CHECK(operationLevel(ANEURALNETWORKS_NEG, I32T) == FL3);
  CHECK(operationLevel(ANEURALNETWORKS_EXP, I32T) == 0);
  CHECK(operationLevel(ANEURALNETWORKS_POW, F32) == FL3);
  CHECK(operationLevel(ANEURALNETWORKS_POW, Q8A) == 0);
  CHECK(operationLevel(ANEURALNETWORKS_ELU, F32) == FL4);
  CHECK(operationLevel(ANEURALNETWORKS_ELU, F16) == FL4);
  CHECK(operationLevel(ANEURALNETWORKS_REDUCE_SUM, F32) == FL3);
  CHECK(operationLevel(ANEURALNETWORKS_REDUCE_SUM, Q8A) == 0);
  CHECK(operationLevel(ANEURALNETWORKS_REDUCE_MAX, Q8A) == FL3);
  CHECK(operationLevel(ANEURALNETWORKS_REDUCE_MIN, Q8S) == FL4);
}

TEST_CASE("feature levels: an operation exists from its oldest type's level") {
  CHECK(operationLevel(ANEURALNETWORKS_ADD) == FL1);
  CHECK(operationLevel(ANEURALNETWORKS_SUB) == FL2);
  CHECK(operationLevel(ANEURALNETWORKS_MEAN) == FL2);
  CHECK(operationLevel(ANEURALNETWORKS_TRANSPOSE) == FL2);
  CHECK(operationLevel(ANEURALNETWORKS_DEQUANTIZE) == FL1);
  CHECK(operationLevel(ANEURALNETWORKS_QUANTIZE) == FL3);
  CHECK(operationLevel(ANEURALNETWORKS_HARD_SWISH) == FL4);
}

TEST_CASE("feature levels: QUANTIZE and DEQUANTIZE output types") {
  CHECK(nnapi_rules::outputTypeLevel(ANEURALNETWORKS_QUANTIZE, Q8A) == FL3);
  CHECK(nnapi_rules::outputTypeLevel(ANEURALNETWORKS_QUANTIZE, Q8S) == FL4);
  CHECK(nnapi_rules::outputTypeLevel(ANEURALNETWORKS_QUANTIZE, F32) == 0);
  CHECK(nnapi_rules::outputTypeLevel(ANEURALNETWORKS_DEQUANTIZE, F32) == FL1);
  CHECK(nnapi_rules::outputTypeLevel(ANEURALNETWORKS_DEQUANTIZE, F16) == FL3);
  CHECK(nnapi_rules::outputTypes(ANEURALNETWORKS_ADD).empty());  // output type = input type
}

TEST_CASE("feature levels: operand types") {
  using Types = std::initializer_list<int32_t>;
  for (int32_t type : Types{ANEURALNETWORKS_FLOAT32, ANEURALNETWORKS_INT32, ANEURALNETWORKS_UINT32, F32, I32T, Q8A})
    CHECK(nnapi_rules::operandTypeLevel(type) == FL1);
  for (int32_t type : Types{ANEURALNETWORKS_BOOL, ANEURALNETWORKS_FLOAT16, F16, ANEURALNETWORKS_TENSOR_BOOL8,
                            ANEURALNETWORKS_TENSOR_QUANT8_SYMM_PER_CHANNEL, ANEURALNETWORKS_TENSOR_QUANT16_ASYMM})
    CHECK(nnapi_rules::operandTypeLevel(type) == FL3);
  CHECK(nnapi_rules::operandTypeLevel(Q8S) == FL4);
  CHECK(nnapi_rules::operandTypeLevel(ANEURALNETWORKS_MODEL) == FL4);
  CHECK(nnapi_rules::operandTypeLevel(16) == 0);
}

TEST_CASE("feature levels: every Feature has a name and a level from FL2 on") {
  for (int f = 0; f < int(Feature::Count); ++f) {
    INFO("Feature " << f);
    CHECK(std::string(nnapi_rules::featureName(Feature(f))).size() > 3);
    // An FL1 feature would need no entry, unless a format cannot express it (an omitted operand: --format
    // pytorch-nnapi's loader never omits one; ops/target_format.cpp).
    if (Feature(f) != Feature::OmittedOperand) CHECK(nnapi_rules::featureLevel(Feature(f)) >= FL2);
    CHECK(nnapi_rules::featureLevel(Feature(f)) <= nnapi_rules::kNewestFeatureLevel);
  }
  CHECK(nnapi_rules::featureLevel(Feature::LayoutInput) == FL3);
  CHECK(nnapi_rules::featureLevel(Feature::ConvDilation) == FL3);
  CHECK(nnapi_rules::featureLevel(Feature::ResizeAlignCorners) == FL4);
}

TEST_CASE("feature levels: every operation with a rule has a row, every row has a rule, types oldest first") {
  for (int32_t op = 0; op < 128; ++op) {
    INFO(nnapi_rules::operationName(op));
    CHECK(nnapi_rules::hasRule(op) == (operationLevel(op) != 0));
    int previous = 0;
    for (int32_t type : nnapi_rules::operationTypes(op)) {
      const int level = operationLevel(op, type);
      CHECK(level >= previous);
      previous = level;
    }
  }
}

TEST_CASE("feature levels: levels are named as Android versions") {
  CHECK(nnapi_rules::describeLevel(FL1) == "Android 8.1 (API 27, NNAPI feature level 1)");
  CHECK(nnapi_rules::describeLevel(FL2) == "Android 9 (API 28, NNAPI feature level 2)");
  CHECK(nnapi_rules::describeLevel(FL4) == "Android 11 (API 30, NNAPI feature level 4)");
  CHECK(nnapi_rules::describeLevel(FL5) == "Android 12 (API 31, NNAPI feature level 5)");
  CHECK(nnapi_rules::describeLevel(FL6) == "Android 13 (API 33, NNAPI feature level 6)");
  CHECK(nnapi_rules::describeLevel(FL7) == "Android 14 (API 34, NNAPI feature level 7)");
  CHECK(nnapi_rules::describeLevel(32) == "API level 32");  // Android 12L brought no feature level
  CHECK(nnapi_rules::describeLevel(35) == "API level 35");
}

TEST_CASE("feature levels: API levels, level numbers and NNAPI's codes (ANEURALNETWORKS_FEATURE_LEVEL_*)") {
  CHECK(nnapi_rules::kNewestFeatureLevel == FL7);
  // An API level runs the newest feature level it has: 12L (32) is still level 5, 15 (35) runs level 7 models.
  CHECK(nnapi_rules::featureLevelOfApi(26) == 0);
  CHECK(nnapi_rules::featureLevelOfApi(27) == FL1);
  CHECK(nnapi_rules::featureLevelOfApi(30) == FL4);
  CHECK(nnapi_rules::featureLevelOfApi(32) == FL5);
  CHECK(nnapi_rules::featureLevelOfApi(33) == FL6);
  CHECK(nnapi_rules::featureLevelOfApi(35) == FL7);
  const int levels[] = {FL1, FL2, FL3, FL4, FL5, FL6, FL7};
  for (int number = 1; number <= 7; ++number) {
    CHECK(nnapi_rules::featureLevelNumbered(number) == levels[number - 1]);
    CHECK(nnapi_rules::featureLevelNumber(levels[number - 1]) == number);
  }
  CHECK(nnapi_rules::featureLevelNumbered(0) == 0);
  CHECK(nnapi_rules::featureLevelNumbered(8) == 0);
  CHECK(nnapi_rules::featureLevelNumber(32) == 0);
  CHECK(nnapi_rules::nnapiFeatureLevelCode(FL1) == ANEURALNETWORKS_FEATURE_LEVEL_1);
  CHECK(nnapi_rules::nnapiFeatureLevelCode(FL5) == ANEURALNETWORKS_FEATURE_LEVEL_5);
  CHECK(nnapi_rules::nnapiFeatureLevelCode(FL6) == ANEURALNETWORKS_FEATURE_LEVEL_6);
  CHECK(nnapi_rules::nnapiFeatureLevelCode(FL7) == ANEURALNETWORKS_FEATURE_LEVEL_7);
  CHECK(nnapi_rules::nnapiFeatureLevelCode(32) == 0);
}
