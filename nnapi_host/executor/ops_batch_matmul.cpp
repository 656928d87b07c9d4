// Executor of BATCH_MATMUL (float32): the rule guarantees equal batch dimensions, so batch item b of the output is
// the product of item b of each side.
#include "executor/op_context.h"
#include "kernels/batch_matmul_f32.h"
#include "nnapi/NeuralNetworks.h"

namespace nnapi_host {
namespace {

bool batchMatmulExec(OpContext& ctx) {
  const auto& p = ctx.get<nnapi_rules::BatchMatmulParams>();
  const Tensor &x = ctx.inputs[0], &y = ctx.inputs[1];
  Tensor& out = ctx.outputs[0];
  if (x.type() != ANEURALNETWORKS_TENSOR_FLOAT32) return ctx.unsupportedType(x.type());
  const std::vector<uint32_t>& dims = out.dims();
  const size_t rank = dims.size();
  uint32_t batches = 1;
  for (size_t d = 0; d + 2 < rank; ++d) batches *= dims[d];
  const uint32_t k = p.adjX ? x.dims()[rank - 2] : x.dims()[rank - 1];
  kernels::batchMatmulF32(x.as<float>(), y.as<float>(), batches, dims[rank - 2], k, dims[rank - 1], p.adjX, p.adjY,
                          out.as<float>());
  return true;
}

}  // namespace

void registerBatchMatmulExecutors(ExecTable& table) {
  table.add(ANEURALNETWORKS_BATCH_MATMUL, batchMatmulExec, {kF32});
}

}  // namespace nnapi_host
