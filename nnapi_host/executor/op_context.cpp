#include "executor/op_context.h"

#include <limits>
#include <memory>

#include "nnapi/NeuralNetworks.h"

namespace nnapi_host {

size_t Tensor::elements() const {
  size_t n = 1;
  for (uint32_t d : desc->dims) n *= d;
  return n;
}

kernels::Shape4 Tensor::shape4() const {
  const auto& d = desc->dims;
  return {d[0], d[1], d[2], d[3]};
}

bool OpContext::fail(std::string message) {
  error = std::move(message);
  return false;
}

bool OpContext::unsupportedType(int32_t type) {
  return fail(nnapi_rules::operationName(op) + ": execution with " + nnapi_rules::operandTypeName(type) +
              " operands is not implemented in nnapi_host");
}

bool OpContext::noKernel(const char* executor) {
  return fail(nnapi_rules::operationName(op) + ": the " + executor +
              " executor of nnapi_host has no kernel for this operation");
}

kernels::FloatRange floatActivation(int32_t fuse) {
  constexpr float inf = std::numeric_limits<float>::infinity();
  switch (fuse) {
    case ANEURALNETWORKS_FUSED_RELU: return {0.0f, inf};
    case ANEURALNETWORKS_FUSED_RELU1: return {-1.0f, 1.0f};
    case ANEURALNETWORKS_FUSED_RELU6: return {0.0f, 6.0f};
    default: return {-inf, inf};
  }
}

namespace {

const ExecTable& execTable() {
  static const std::unique_ptr<ExecTable> table = [] {
    auto t = std::make_unique<ExecTable>();
    registerElementwiseExecutors(*t);
    registerActivationExecutors(*t);
    registerConvExecutors(*t);
    registerPoolExecutors(*t);
    registerFullyConnectedExecutors(*t);
    registerShapeExecutors(*t);
    registerReduceExecutors(*t);
    registerSlicePadExecutors(*t);
    registerResizeExecutors(*t);
    registerQuantizeExecutors(*t);
    registerSplitShuffleExecutors(*t);
    registerGatherTileExecutors(*t);
    registerDepthSpaceExecutors(*t);
    registerInstanceNormExecutors(*t);
    registerBatchMatmulExecutors(*t);
    registerSequenceLstmExecutors(*t);
    return t;
  }();
  return *table;
}

}  // namespace

ExecFn executorFor(int32_t op) { return (op >= 0 && op < 128) ? execTable().entries[op].fn : nullptr; }

std::string executionSupport(int32_t op, int32_t inputType) {
  const std::string name = nnapi_rules::operationName(op);
  // TENSOR_FLOAT16 operations run on the float32 executor (run_operation.h).
  if (inputType == ANEURALNETWORKS_TENSOR_FLOAT16) inputType = ANEURALNETWORKS_TENSOR_FLOAT32;
  if (!executorFor(op)) return name + ": no executor in nnapi_host";
  for (int32_t t : execTable().entries[op].types)
    if (t == inputType) return {};
  return name + ": execution with " + nnapi_rules::operandTypeName(inputType) +
         " operands is not implemented in nnapi_host";
}

}  // namespace nnapi_host
