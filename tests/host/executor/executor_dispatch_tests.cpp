// An executor shared by several operations must refuse an operation it has no kernel for, naming it, instead of
// running another operation's kernel (issue 10, item 5). Each shared executor is reached through the table with an
// operation it serves, then called with an operation code it does not serve; the output must stay untouched.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>

#include "executor/op_context.h"
#include "validation/operation_rules.h"

namespace {

using nnapi_host::OpContext;
using nnapi_host::Tensor;
using nnapi_rules::OperandDesc;

struct Case {
  int32_t servedOp;   // picks the executor from the table
  int32_t foreignOp;  // an operation that executor has no kernel for
  int32_t type;       // operand type of input 0 and the output (picks the float or quantized path)
  nnapi_rules::OpParams params;
  const char* expected;
};

// One [1,1,1,1] operand per input and output, with data; 4 bytes hold one element of every type used here.
struct Operands {
  OperandDesc desc;
  unsigned char bytes[4][4] = {};
  unsigned char out[4] = {0xAB, 0xAB, 0xAB, 0xAB};
};

bool runForeign(const Case& c, Operands& o, std::string* error) {
  o.desc.type = c.type;
  o.desc.dims = {1, 1, 1, 1};
  o.desc.scale = 1.0f;
  OpContext ctx;
  ctx.op = c.foreignOp;
  ctx.params = &c.params;
  for (auto& b : o.bytes) ctx.inputs.push_back(Tensor{&o.desc, b});
  ctx.outputs.push_back(Tensor{&o.desc, o.out});
  const nnapi_host::ExecFn exec = nnapi_host::executorFor(c.servedOp);
  REQUIRE(exec != nullptr);
  const bool ok = exec(ctx);
  *error = ctx.error;
  return ok;
}

}  // namespace

TEST_CASE("a shared executor refuses an operation it has no kernel for", "[executor]") {
  constexpr int32_t f32 = ANEURALNETWORKS_TENSOR_FLOAT32, q8 = ANEURALNETWORKS_TENSOR_QUANT8_ASYMM;
  const Case cases[] = {
      {ANEURALNETWORKS_HARD_SWISH, ANEURALNETWORKS_ADD, f32, std::monostate{},
       "ADD: the activation executor of nnapi_host has no kernel for this operation"},
      {ANEURALNETWORKS_HARD_SWISH, ANEURALNETWORKS_ADD, q8, std::monostate{},
       "ADD: the activation executor of nnapi_host has no kernel for this operation"},
      {ANEURALNETWORKS_SOFTMAX, ANEURALNETWORKS_TANH, f32, nnapi_rules::SoftmaxParams{},
       "TANH: the softmax executor of nnapi_host has no kernel for this operation"},
      {ANEURALNETWORKS_PRELU, ANEURALNETWORKS_HARD_SWISH, f32, std::monostate{},
       "HARD_SWISH: the binary executor of nnapi_host has no kernel for this operation"},
      {ANEURALNETWORKS_L2_POOL_2D, ANEURALNETWORKS_MEAN, f32, nnapi_rules::PoolParams{},
       "MEAN: the pooling executor of nnapi_host has no kernel for this operation"},
      {ANEURALNETWORKS_MAX_POOL_2D, ANEURALNETWORKS_L2_POOL_2D, q8, nnapi_rules::PoolParams{},
       "L2_POOL_2D: the pooling executor of nnapi_host has no kernel for this operation"},
      {ANEURALNETWORKS_CONV_2D, ANEURALNETWORKS_FULLY_CONNECTED, f32, nnapi_rules::ConvParams{},
       "FULLY_CONNECTED: the convolution executor of nnapi_host has no kernel for this operation"},
      {ANEURALNETWORKS_CONV_2D, ANEURALNETWORKS_FULLY_CONNECTED, q8, nnapi_rules::ConvParams{},
       "FULLY_CONNECTED: the convolution executor of nnapi_host has no kernel for this operation"},
      {ANEURALNETWORKS_EXP, ANEURALNETWORKS_LOGISTIC, f32, std::monostate{},
       "LOGISTIC: the unary math executor of nnapi_host has no kernel for this operation"},
      {ANEURALNETWORKS_RESIZE_BILINEAR, ANEURALNETWORKS_AVERAGE_POOL_2D, f32, nnapi_rules::ResizeParams{1, 1},
       "AVERAGE_POOL_2D: the resize executor of nnapi_host has no kernel for this operation"},
  };
  for (const Case& c : cases) {
    Operands o;
    std::string error;
    INFO("expected: " << c.expected);
    CHECK_FALSE(runForeign(c, o, &error));
    CHECK(error == c.expected);
    const unsigned char untouched[4] = {0xAB, 0xAB, 0xAB, 0xAB};
    CHECK(std::memcmp(o.out, untouched, 4) == 0);
  }
}

TEST_CASE("an operation without any executor is named by the dispatch", "[executor]") {
  CHECK(nnapi_host::executorFor(ANEURALNETWORKS_LSTM) == nullptr);
  CHECK(nnapi_host::executionSupport(ANEURALNETWORKS_LSTM, ANEURALNETWORKS_TENSOR_FLOAT32) ==
        "LSTM: no executor in nnapi_host");
}
