// Model building through the C API: operand checks, constant values (copied vs referenced), per-channel
// parameters, addOperation validation, identifyInputsAndOutputs and finish checks.
#include <catch2/catch.hpp>

#include "model_builder.h"

using host_test::ModelBuilder;

namespace {

constexpr int kBadData = ANEURALNETWORKS_BAD_DATA;

int addOperand(ANeuralNetworksModel* m, int32_t type, std::vector<uint32_t> dims, float scale = 0, int32_t zp = 0) {
  const ANeuralNetworksOperandType t{type, uint32_t(dims.size()), dims.empty() ? nullptr : dims.data(), scale, zp};
  return ANeuralNetworksModel_addOperand(m, &t);
}

}  // namespace

TEST_CASE("addOperand rejects bad types and dims and quantization") {
  ModelBuilder m;
  CHECK(addOperand(m.model(), 99, {2}) == kBadData);
  CHECK(addOperand(m.model(), ANEURALNETWORKS_INT32, {2}) == kBadData);  // scalar with dimensions
  CHECK(addOperand(m.model(), ANEURALNETWORKS_TENSOR_QUANT8_ASYMM, {2}, 0.0f, 0) == kBadData);
  CHECK(addOperand(m.model(), ANEURALNETWORKS_TENSOR_QUANT8_ASYMM, {2}, 0.5f, 256) == kBadData);
  CHECK(addOperand(m.model(), ANEURALNETWORKS_TENSOR_FLOAT32, {2}, 0.5f, 0) == kBadData);
  const ANeuralNetworksOperandType noDims{ANEURALNETWORKS_TENSOR_FLOAT32, 2, nullptr, 0, 0};
  CHECK(ANeuralNetworksModel_addOperand(m.model(), &noDims) == kBadData);
  CHECK(addOperand(m.model(), ANEURALNETWORKS_TENSOR_QUANT8_ASYMM_SIGNED, {2}, 0.5f, -128) == 0);
}

TEST_CASE("setOperandValue checks the index and exact length and known shape and sets once") {
  ModelBuilder m;
  const uint32_t t = m.f32({2}), unknown = m.f32({0, 2});
  const float v[2] = {1, 2};
  CHECK(ANeuralNetworksModel_setOperandValue(m.model(), -1, v, 8) == kBadData);
  CHECK(ANeuralNetworksModel_setOperandValue(m.model(), 7, v, 8) == kBadData);
  CHECK(ANeuralNetworksModel_setOperandValue(m.model(), int32_t(t), v, 4) == kBadData);
  CHECK(ANeuralNetworksModel_setOperandValue(m.model(), int32_t(unknown), v, 8) == kBadData);
  CHECK(ANeuralNetworksModel_setOperandValue(m.model(), int32_t(t), v, 8) == 0);
  CHECK(ANeuralNetworksModel_setOperandValue(m.model(), int32_t(t), v, 8) == kBadData);
}

TEST_CASE("values of at most 128 bytes are copied and larger ones referenced") {
  for (const size_t n : {size_t(2), size_t(64)}) {  // 8 bytes and 256 bytes
    ModelBuilder m;
    const uint32_t in = m.f32({uint32_t(n)}), out = m.f32({uint32_t(n)}), c = m.f32({uint32_t(n)});
    std::vector<float> value(n, 1.0f);
    REQUIRE(ANeuralNetworksModel_setOperandValue(m.model(), int32_t(c), value.data(), n * 4) == 0);
    REQUIRE(m.op(ANEURALNETWORKS_ADD, {in, c, m.i32(0)}, {out}) == 0);
    REQUIRE(m.io({in}, {out}) == 0);
    REQUIRE(m.finish() == 0);
    value.assign(n, 5.0f);  // after setOperandValue: only a referenced value sees this
    std::vector<std::vector<float>> outputs;
    REQUIRE(host_test::runF32(m.model(), {std::vector<float>(n, 0.0f)}, {n}, &outputs) == 0);
    CHECK(outputs[0][0] == (n * 4 <= 128 ? 1.0f : 5.0f));
  }
}

TEST_CASE("setOperandSymmPerChannelQuantParams checks and finish requires it") {
  ModelBuilder m;
  const uint32_t q = m.tensor(ANEURALNETWORKS_TENSOR_QUANT8_SYMM_PER_CHANNEL, {3, 1, 1, 2});
  const uint32_t f = m.f32({3});
  const float scales[3] = {0.5f, 0.25f, 0.125f};
  ANeuralNetworksSymmPerChannelQuantParams p{0, 3, scales};
  CHECK(ANeuralNetworksModel_setOperandSymmPerChannelQuantParams(m.model(), int32_t(f), &p) == kBadData);
  ANeuralNetworksSymmPerChannelQuantParams wrongCount{0, 2, scales};
  CHECK(ANeuralNetworksModel_setOperandSymmPerChannelQuantParams(m.model(), int32_t(q), &wrongCount) == kBadData);
  ANeuralNetworksSymmPerChannelQuantParams wrongDim{4, 3, scales};
  CHECK(ANeuralNetworksModel_setOperandSymmPerChannelQuantParams(m.model(), int32_t(q), &wrongDim) == kBadData);
  CHECK(ANeuralNetworksModel_setOperandSymmPerChannelQuantParams(m.model(), int32_t(q), nullptr) ==
        ANEURALNETWORKS_UNEXPECTED_NULL);

  // A model using a Q8PC operand without its parameters fails finish.
  ModelBuilder n;
  const uint32_t in = n.f32({2}), out = n.f32({2});
  n.tensor(ANEURALNETWORKS_TENSOR_QUANT8_SYMM_PER_CHANNEL, {2, 1});
  REQUIRE(n.op(ANEURALNETWORKS_RELU, {in}, {out}) == 0);
  REQUIRE(n.io({in}, {out}) == 0);
  CHECK(n.finish() == kBadData);
  ANeuralNetworksCompilation* c = nullptr;
  CHECK(ANeuralNetworksCompilation_create(n.model(), &c) == ANEURALNETWORKS_BAD_STATE);
}

TEST_CASE("addOperation rejects bad indices and unknown or unsupported operations and invalid operands") {
  ModelBuilder m;
  const uint32_t a = m.f32({2}), out = m.f32({2});
  CHECK(m.op(ANEURALNETWORKS_RELU, {a}, {42}) == kBadData);
  CHECK(m.op(200, {a}, {out}) == kBadData);
  CHECK(m.op(ANEURALNETWORKS_LSTM, {a}, {out}) == kBadData);
  CHECK(m.op(ANEURALNETWORKS_RELU, {a, a}, {out}) == kBadData);           // wrong input count
  CHECK(m.op(ANEURALNETWORKS_ADD, {a, a, m.i32(7)}, {out}) == kBadData);  // FuseCode 7

  // CONV_2D whose filter has 16 input channels on an 8-channel input.
  const uint32_t img = m.f32({1, 4, 4, 8}), conv = m.f32({1, 4, 4, 4});
  const uint32_t filter = m.constF32({4, 1, 1, 16}, std::vector<float>(64, 1.0f));
  const uint32_t bias = m.constF32({4}, {0, 0, 0, 0});
  CHECK(m.op(ANEURALNETWORKS_CONV_2D, {img, filter, bias, m.i32(1), m.i32(1), m.i32(1), m.i32(0)}, {conv}) == kBadData);

  // Quantized CONV_2D with a bias scale that is not input scale * filter scale.
  const uint32_t qin = m.tensor(ANEURALNETWORKS_TENSOR_QUANT8_ASYMM, {1, 2, 2, 1}, 0.5f, 0);
  const uint32_t qf = m.tensor(ANEURALNETWORKS_TENSOR_QUANT8_ASYMM, {1, 1, 1, 1}, 0.5f, 0);
  const uint8_t one = 1;
  REQUIRE(ANeuralNetworksModel_setOperandValue(m.model(), int32_t(qf), &one, 1) == 0);
  const uint32_t qb = m.tensor(ANEURALNETWORKS_TENSOR_INT32, {1}, 0.3f, 0);
  const int32_t zero = 0;
  REQUIRE(ANeuralNetworksModel_setOperandValue(m.model(), int32_t(qb), &zero, 4) == 0);
  const uint32_t qout = m.tensor(ANEURALNETWORKS_TENSOR_QUANT8_ASYMM, {1, 2, 2, 1}, 1.0f, 0);
  const std::vector<uint32_t> qinputs{qin, qf, qb, m.i32(1), m.i32(1), m.i32(1), m.i32(0)};
  CHECK(m.op(ANEURALNETWORKS_CONV_2D, qinputs, {qout}) == kBadData);
}

TEST_CASE("identifyInputsAndOutputs rejects constants and repeats and overlaps") {
  ModelBuilder m;
  const uint32_t a = m.f32({2}), out = m.f32({2}), c = m.constF32({2}, {1, 2});
  REQUIRE(m.op(ANEURALNETWORKS_ADD, {a, c, m.i32(0)}, {out}) == 0);
  CHECK(m.io({c}, {out}) == kBadData);
  CHECK(m.io({a, a}, {out}) == kBadData);
  CHECK(m.io({a}, {a}) == kBadData);
  CHECK(m.io({99}, {out}) == kBadData);
  CHECK(m.io({a}, {out}) == 0);
  CHECK(m.finish() == 0);
}

TEST_CASE("finish rejects operands read but never written and unwritten outputs") {
  ModelBuilder m;
  const uint32_t a = m.f32({2}), orphan = m.f32({2}), out = m.f32({2}), never = m.f32({2});
  REQUIRE(m.op(ANEURALNETWORKS_ADD, {a, orphan, m.i32(0)}, {out}) == 0);
  REQUIRE(m.io({a}, {out, never}) == 0);
  CHECK(m.finish() == kBadData);
}

TEST_CASE("addOperation rejects invalid parameters of data-movement and pool and resize operations") {
  ModelBuilder m;
  const uint32_t x = m.f32({2, 3});
  // MAX_POOL_2D explicit padding must be smaller than the filter.
  const uint32_t img = m.f32({1, 4, 4, 1}), pooled = m.f32({1, 3, 3, 1});
  CHECK(m.op(ANEURALNETWORKS_MAX_POOL_2D,
             {img, m.i32(2), m.i32(0), m.i32(0), m.i32(0), m.i32(1), m.i32(1), m.i32(2), m.i32(2), m.i32(0)},
             {pooled}) == kBadData);
  // STRIDED_SLICE with a zero stride.
  CHECK(m.op(ANEURALNETWORKS_STRIDED_SLICE,
             {x, m.constI32Tensor({2}, {0, 0}), m.constI32Tensor({2}, {2, 3}), m.constI32Tensor({2}, {1, 0}),
              m.i32(0), m.i32(0), m.i32(0)},
             {m.f32({2, 3})}) == kBadData);
  // CONCATENATION of [2,3] and [3,3] on axis 1.
  CHECK(m.op(ANEURALNETWORKS_CONCATENATION, {x, m.f32({3, 3}), m.i32(1)}, {m.f32({2, 6})}) == kBadData);
  // RESHAPE to a different element count.
  CHECK(m.op(ANEURALNETWORKS_RESHAPE, {x, m.constI32Tensor({2}, {4, 2})}, {m.f32({4, 2})}) == kBadData);
  // TRANSPOSE with a repeated axis.
  CHECK(m.op(ANEURALNETWORKS_TRANSPOSE, {x, m.constI32Tensor({2}, {0, 0})}, {m.f32({2, 2})}) == kBadData);
  // MEAN over axis 2 of a rank-2 tensor.
  CHECK(m.op(ANEURALNETWORKS_MEAN, {x, m.constI32Tensor({1}, {2}), m.i32(0)}, {m.f32({2})}) == kBadData);
  // DEPTHWISE_CONV_2D whose filter has 3 channels for 1 input channel with multiplier 2.
  const uint32_t dwFilter = m.constF32({1, 1, 1, 3}, {1, 1, 1}), dwBias = m.constF32({3}, {0, 0, 0});
  CHECK(m.op(ANEURALNETWORKS_DEPTHWISE_CONV_2D,
             {img, dwFilter, dwBias, m.i32(2), m.i32(1), m.i32(1), m.i32(2), m.i32(0)}, {m.f32({1, 4, 4, 3})}) ==
        kBadData);
  // RESIZE_BILINEAR with both align_corners and half_pixel_centers.
  CHECK(m.op(ANEURALNETWORKS_RESIZE_BILINEAR,
             {img, m.i32(8), m.i32(8), m.boolean(false), m.boolean(true), m.boolean(true)},
             {m.f32({1, 8, 8, 1})}) == kBadData);
}
