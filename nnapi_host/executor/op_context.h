// What an operation's executor receives: tensor views of its inputs and outputs (shapes resolved for this run),
// the parameters its rule decoded, and a place for an error message. Executors are registered per op family in
// an ExecTable, next to the rules table of the validation library: the rule decides what is valid, the executor
// only computes.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "kernels/spatial.h"
#include "nnapi/NeuralNetworks.h"
#include "validation/op_params.h"

namespace nnapi_host {

struct Tensor {
  const nnapi_rules::OperandDesc* desc = nullptr;
  uint8_t* data = nullptr;  // nullptr for an omitted optional input

  int32_t type() const { return desc->type; }
  const std::vector<uint32_t>& dims() const { return desc->dims; }
  size_t elements() const;
  size_t bytes() const { return nnapi_rules::byteSize(*desc); }
  template <typename T>
  T* as() const {
    return reinterpret_cast<T*>(data);
  }
  kernels::Shape4 shape4() const;  // NHWC extents of a rank-4 tensor
};

struct OpContext {
  int32_t op = 0;
  const nnapi_rules::OpParams* params = nullptr;
  std::vector<Tensor> inputs;
  std::vector<Tensor> outputs;
  bool relaxed = false;  // the model's Graph::relaxed
  std::string error;

  template <typename P>
  const P& get() const {
    return std::get<P>(*params);
  }
  // Records why the operation failed; returns false for `return ctx.fail(...)`.
  bool fail(std::string message);
  // Fails with "<OP>: execution with <TYPE> operands is not implemented in nnapi_host".
  bool unsupportedType(int32_t type);
  // Fails with "<OP>: the <executor> executor of nnapi_host has no kernel for this operation": what an executor
  // shared by several operations answers to one it does not know, rather than running another one's kernel.
  bool noKernel(const char* executor);
};

using ExecFn = bool (*)(OpContext& ctx);

// An executor and the operand types of input 0 it computes (the rules may accept more).
struct ExecEntry {
  ExecFn fn = nullptr;
  std::vector<int32_t> types;
};

struct ExecTable {
  ExecEntry entries[128];
  void add(int32_t op, ExecFn fn, std::initializer_list<int32_t> types) { entries[op] = {fn, types}; }
};

// "" when `op` with input 0 of `inputType` can be executed here, else why not.
std::string executionSupport(int32_t op, int32_t inputType);
// The executor for `op`, or nullptr.
ExecFn executorFor(int32_t op);

// Operand types of input 0 for operations that only move elements.
constexpr std::initializer_list<int32_t> kAnyElementType = {
    ANEURALNETWORKS_TENSOR_FLOAT32, ANEURALNETWORKS_TENSOR_INT32, ANEURALNETWORKS_TENSOR_QUANT8_ASYMM,
    ANEURALNETWORKS_TENSOR_FLOAT16, ANEURALNETWORKS_TENSOR_QUANT8_ASYMM_SIGNED};
constexpr int32_t kF32 = ANEURALNETWORKS_TENSOR_FLOAT32;

// The clamp range of a float fused activation (FuseCode).
kernels::FloatRange floatActivation(int32_t fuse);

void registerElementwiseExecutors(ExecTable& table);
void registerActivationExecutors(ExecTable& table);
void registerConvExecutors(ExecTable& table);
void registerPoolExecutors(ExecTable& table);
void registerFullyConnectedExecutors(ExecTable& table);
void registerShapeExecutors(ExecTable& table);
void registerReduceExecutors(ExecTable& table);
void registerSlicePadExecutors(ExecTable& table);
void registerResizeExecutors(ExecTable& table);
void registerQuantizeExecutors(ExecTable& table);
void registerSplitShuffleExecutors(ExecTable& table);
void registerGatherTileExecutors(ExecTable& table);
void registerDepthSpaceExecutors(ExecTable& table);
void registerInstanceNormExecutors(ExecTable& table);
void registerBatchMatmulExecutors(ExecTable& table);
void registerSequenceLstmExecutors(ExecTable& table);

}  // namespace nnapi_host
