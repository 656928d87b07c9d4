// ir::Model -> PyTorch's serialized NNAPI model: what stock PyTorch's torch.classes._nnapi.Compilation.init2
// reads (aten/src/ATen/nnapi/nnapi_model_loader.cpp), and the weight tensors it is given next to it.
#pragma once

#include <vector>

#include <ATen/core/Tensor.h>

#include "ir/model.h"

namespace nnc {

struct StockModel {
  at::Tensor serialized;            // int32 words, the loader's layout
  std::vector<at::Tensor> weights;  // contiguous; the model's large constants refer to them by index
};

// Throws std::runtime_error naming the operand when the model exceeds what the loader can take (a constant of
// 2 GiB or more, 2^24 or more operands or operations).
StockModel serializeStockModel(const ir::Model& model);

}  // namespace nnc
