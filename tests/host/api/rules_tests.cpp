// The shared rules library (nnapi_rules) called directly, as the converter's IR does: verdicts, messages, inferred
// output shapes and feature levels.
#include <catch2/catch.hpp>
#include <deque>

#include "nnapi/NeuralNetworks.h"
#include "validation/operation_rules.h"

using nnapi_rules::Lifetime;
using nnapi_rules::OperandDesc;

namespace {

// Operand list under construction; scalar values live in the deque so OperandDesc::value stays valid.
struct Operands {
  std::vector<OperandDesc> list;
  std::deque<int32_t> ints;
  std::deque<uint8_t> bools;

  uint32_t tensor(int32_t type, std::vector<uint32_t> dims, float scale = 0, int32_t zp = 0) {
    OperandDesc d;
    d.type = type;
    d.dims = std::move(dims);
    d.scale = scale;
    d.zeroPoint = zp;
    list.push_back(d);
    return uint32_t(list.size() - 1);
  }
  uint32_t i32(int32_t v) {
    ints.push_back(v);
    const uint32_t index = tensor(ANEURALNETWORKS_INT32, {});
    list[index].lifetime = Lifetime::Constant;
    list[index].value = &ints.back();
    list[index].length = 4;
    return index;
  }
  uint32_t boolean(bool v) {
    bools.push_back(v ? 1 : 0);
    const uint32_t index = tensor(ANEURALNETWORKS_BOOL, {});
    list[index].lifetime = Lifetime::Constant;
    list[index].value = &bools.back();
    list[index].length = 1;
    return index;
  }
};

constexpr int32_t F32 = ANEURALNETWORKS_TENSOR_FLOAT32, Q8A = ANEURALNETWORKS_TENSOR_QUANT8_ASYMM,
                  Q8S = ANEURALNETWORKS_TENSOR_QUANT8_ASYMM_SIGNED, I32T = ANEURALNETWORKS_TENSOR_INT32;

// CONV_2D implicit form: input dims, filter [cout, k, k, cin], SAME/VALID, stride; optional layout/dilation.
struct Conv {
  Operands ops;
  std::vector<uint32_t> inputs, outputs;
  Conv(int32_t type, std::vector<uint32_t> inDims, std::vector<uint32_t> filterDims, int32_t padding, int32_t stride,
       std::vector<uint32_t> outDims, float sIn = 0, float sF = 0, float sBias = 0, float sOut = 0) {
    const bool q = type != F32;
    inputs = {ops.tensor(type, inDims, sIn, 0),
              ops.tensor(type, filterDims, sF, 0),
              ops.tensor(q ? I32T : F32, {filterDims[0]}, sBias, 0),
              ops.i32(padding),
              ops.i32(stride),
              ops.i32(stride),
              ops.i32(ANEURALNETWORKS_FUSED_NONE)};
    outputs = {ops.tensor(type, std::move(outDims), sOut, 0)};
  }
  nnapi_rules::Verdict validate(int level, std::vector<OperandDesc>* inferred = nullptr) {
    return nnapi_rules::validateOperation(ANEURALNETWORKS_CONV_2D, inputs, outputs, ops.list, level, inferred);
  }
};

}  // namespace

TEST_CASE("rules: CONV_2D filter input channels must match the input") {
  Conv conv(F32, {1, 8, 8, 8}, {4, 3, 3, 16}, ANEURALNETWORKS_PADDING_SAME, 1, {1, 8, 8, 4});
  const auto v = conv.validate(30);
  REQUIRE_FALSE(v.ok);
  CHECK(v.message.find("CONV_2D input 1 (filter") != std::string::npos);
  CHECK(v.message.find("dimension 3 is 16, expected 8 (input channels)") != std::string::npos);
}

TEST_CASE("rules: CONV_2D infers SAME and VALID output shapes with unknown batch") {
  std::vector<OperandDesc> inferred;
  Conv same(F32, {0, 7, 7, 3}, {5, 3, 3, 3}, ANEURALNETWORKS_PADDING_SAME, 2, {});
  REQUIRE(same.validate(27, &inferred).ok);
  CHECK(inferred[0].dims == std::vector<uint32_t>{0, 4, 4, 5});
  Conv valid(F32, {1, 7, 7, 3}, {5, 3, 3, 3}, ANEURALNETWORKS_PADDING_VALID, 2, {1, 3, 3, 5});
  REQUIRE(valid.validate(27, &inferred).ok);
  CHECK(inferred[0].dims == std::vector<uint32_t>{1, 3, 3, 5});
  Conv wrong(F32, {1, 7, 7, 3}, {5, 3, 3, 3}, ANEURALNETWORKS_PADDING_VALID, 2, {1, 4, 4, 5});
  const auto v = wrong.validate(30);
  REQUIRE_FALSE(v.ok);
  CHECK(v.message.find("declared shape") != std::string::npos);
}

TEST_CASE("rules: quantized CONV_2D bias scale must be input scale * filter scale") {
  Conv good(Q8A, {1, 4, 4, 2}, {2, 1, 1, 2}, ANEURALNETWORKS_PADDING_VALID, 1, {1, 4, 4, 2}, 0.5f, 0.25f, 0.125f, 1.0f);
  CHECK(good.validate(27).ok);
  Conv bad(Q8A, {1, 4, 4, 2}, {2, 1, 1, 2}, ANEURALNETWORKS_PADDING_VALID, 1, {1, 4, 4, 2}, 0.5f, 0.25f, 0.1f, 1.0f);
  const auto v = bad.validate(30);
  REQUIRE_FALSE(v.ok);
  CHECK(v.message.find("input 2 (bias") != std::string::npos);
}

TEST_CASE("rules: feature levels of CONV_2D types and options") {
  Conv f32(F32, {1, 4, 4, 2}, {2, 1, 1, 2}, ANEURALNETWORKS_PADDING_VALID, 1, {1, 4, 4, 2});
  CHECK(nnapi_rules::minimumFeatureLevel(ANEURALNETWORKS_CONV_2D, f32.inputs, f32.outputs, f32.ops.list) == 27);
  f32.inputs.push_back(f32.ops.boolean(false));  // layout flag: FL3
  CHECK(nnapi_rules::minimumFeatureLevel(ANEURALNETWORKS_CONV_2D, f32.inputs, f32.outputs, f32.ops.list) == 29);
  CHECK_FALSE(f32.validate(28).ok);
  // Q8A with output scale <= input scale * filter scale: FL3.
  Conv q(Q8A, {1, 4, 4, 2}, {2, 1, 1, 2}, ANEURALNETWORKS_PADDING_VALID, 1, {1, 4, 4, 2}, 0.5f, 0.25f, 0.125f, 0.1f);
  CHECK(nnapi_rules::minimumFeatureLevel(ANEURALNETWORKS_CONV_2D, q.inputs, q.outputs, q.ops.list) == 29);
  Conv s(Q8S, {1, 4, 4, 2}, {2, 1, 1, 2}, ANEURALNETWORKS_PADDING_VALID, 1, {1, 4, 4, 2}, 0.5f, 0.25f, 0.125f, 1.0f);
  const auto v = s.validate(29);
  REQUIRE_FALSE(v.ok);
  CHECK(v.neededLevel == 30);
  CHECK(v.message == "CONV_2D on TENSOR_QUANT8_ASYMM_SIGNED needs Android 11 (API 30, NNAPI feature level 4)");
}

TEST_CASE("rules: fixed output quantization of LOGISTIC and quantized MUL output scale") {
  Operands ops;
  const uint32_t in = ops.tensor(Q8A, {4}, 0.1f, 128);
  const uint32_t badOut = ops.tensor(Q8A, {4}, 0.1f, 0), goodOut = ops.tensor(Q8A, {4}, 1.0f / 256, 0);
  CHECK_FALSE(nnapi_rules::validateOperation(ANEURALNETWORKS_LOGISTIC, {in}, {badOut}, ops.list, 30, nullptr).ok);
  CHECK(nnapi_rules::validateOperation(ANEURALNETWORKS_LOGISTIC, {in}, {goodOut}, ops.list, 30, nullptr).ok);
  const uint32_t fuse = ops.i32(0);
  const uint32_t smallOut = ops.tensor(Q8A, {4}, 0.005f, 0);  // 0.005 < 0.1 * 0.1
  CHECK_FALSE(
      nnapi_rules::validateOperation(ANEURALNETWORKS_MUL, {in, in, fuse}, {smallOut}, ops.list, 30, nullptr).ok);
}

TEST_CASE("rules: unsupported operations and operand types are named") {
  Operands ops;
  const uint32_t a = ops.tensor(F32, {4});
  const auto lstm = nnapi_rules::validateOperation(ANEURALNETWORKS_LSTM, {a}, {a}, ops.list, 30, nullptr);
  REQUIRE_FALSE(lstm.ok);
  CHECK(lstm.message.find("LSTM") != std::string::npos);
  OperandDesc bad;
  bad.type = Q8A;
  bad.dims = {2};
  CHECK_FALSE(nnapi_rules::validateOperandType(bad).ok);  // scale 0
  CHECK(nnapi_rules::operationName(ANEURALNETWORKS_HARD_SWISH) == "HARD_SWISH");
}

TEST_CASE("rules: feature levels come from the table and the message names what needs the level") {
  Operands ops;
  const uint32_t a = ops.tensor(F32, {2, 3}), b = ops.tensor(F32, {2, 3}), out = ops.tensor(F32, {2, 3});
  const uint32_t fuse = ops.i32(ANEURALNETWORKS_FUSED_NONE);
  const auto sub = nnapi_rules::validateOperation(ANEURALNETWORKS_SUB, {a, b, fuse}, {out}, ops.list, 27, nullptr);
  REQUIRE_FALSE(sub.ok);
  CHECK(sub.neededLevel == 28);
  CHECK(sub.message == "SUB on TENSOR_FLOAT32 needs Android 9 (API 28, NNAPI feature level 2)");
  CHECK(nnapi_rules::validateOperation(ANEURALNETWORKS_SUB, {a, b, fuse}, {out}, ops.list, 28, nullptr).ok);
  CHECK(nnapi_rules::minimumFeatureLevel(ANEURALNETWORKS_SUB, {a, b, fuse}, {out}, ops.list) == 28);

  Conv conv(F32, {1, 4, 4, 2}, {2, 1, 1, 2}, ANEURALNETWORKS_PADDING_VALID, 1, {1, 4, 4, 2});
  conv.inputs.push_back(conv.ops.boolean(false));
  const auto layout = conv.validate(28);
  REQUIRE_FALSE(layout.ok);
  CHECK(layout.message == "CONV_2D with the layout (NCHW) input needs Android 10 (API 29, NNAPI feature level 3)");

  const uint32_t x = ops.tensor(F32, {4}), q = ops.tensor(Q8S, {4}, 0.5f, 0);
  const auto quantize = nnapi_rules::validateOperation(ANEURALNETWORKS_QUANTIZE, {x}, {q}, ops.list, 29, nullptr);
  REQUIRE_FALSE(quantize.ok);
  CHECK(quantize.message ==
        "QUANTIZE to TENSOR_QUANT8_ASYMM_SIGNED needs Android 11 (API 30, NNAPI feature level 4)");
  const auto toFloat = nnapi_rules::validateOperation(ANEURALNETWORKS_QUANTIZE, {x}, {x}, ops.list, 30, nullptr);
  REQUIRE_FALSE(toFloat.ok);
  CHECK(toFloat.neededLevel == 0);  // a wrong type, not a level
  CHECK(toFloat.message.find("expected one of TENSOR_QUANT8_ASYMM, TENSOR_QUANT8_ASYMM_SIGNED") != std::string::npos);
}

TEST_CASE("rules: an operand type newer than the target is rejected after its own checks") {
  OperandDesc half;
  half.type = ANEURALNETWORKS_TENSOR_FLOAT16;
  half.dims = {2};
  CHECK(nnapi_rules::validateOperandType(half).ok);
  const auto old = nnapi_rules::validateOperandType(half, 28);
  REQUIRE_FALSE(old.ok);
  CHECK(old.neededLevel == 29);
  CHECK(old.message == "TENSOR_FLOAT16 needs Android 10 (API 29, NNAPI feature level 3)");
  half.scale = 1.0f;  // invalid for a float type: that is reported, not the level
  CHECK(nnapi_rules::validateOperandType(half, 28).neededLevel == 0);
}
