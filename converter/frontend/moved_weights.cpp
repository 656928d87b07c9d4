#include "frontend/moved_weights.h"

#include <ATen/TensorUtils.h>

#include "nnapi/NeuralNetworks.h"
#include "serialize/weight_tensor.h"

namespace nnc {

std::optional<at::Tensor> viewOfMovedWeight(const ir::Model& model, const WeightMove& move,
                                            const at::Tensor& original) {
  const ir::Operand& operand = model.operands().at(move.operand);
  const bool plain_layout =
      operand.layout == ir::Layout::Contiguous || operand.layout == ir::Layout::ChannelsLastFlattened;
  if (operand.buffer < 0 || operand.type != ANEURALNETWORKS_TENSOR_FLOAT32 || !plain_layout ||
      original.scalar_type() != at::kFloat) {
    return std::nullopt;
  }
  const ConstBytes& bytes = model.buffers().at(operand.buffer);
  if (bytes.size() != size_t(original.numel()) * sizeof(float)) return std::nullopt;
  at::Tensor view = weightTensor(operand, bytes);  // keeps the partition's bytes alive
  if (!move.to_torch.empty()) {
    if (int64_t(move.to_torch.size()) != view.dim()) return std::nullopt;
    view = view.permute(move.to_torch);
  }
  // A 1-D convolution's [O,I,K] weight is the filter read as [O,I,1,K]: dropping that 1 keeps it a view.
  const auto strides = at::detail::computeStride(view.sizes(), view.strides(), original.sizes());
  if (!strides) return view;
  return view.as_strided(original.sizes(), *strides);
}

}  // namespace nnc
