// PyTorch values known at convert time -> the lowerings' torch-free constants.
#pragma once

#include <optional>

#include <torch/script.h>

#include "ops/graph.h"

namespace nnc {

// The constant for `value`, or nullopt when its type has no torch-free form (the node using it is then unsupported).
std::optional<Constant> toConstant(const c10::IValue& value);
ConstTensor toConstTensor(const at::Tensor& tensor);

}  // namespace nnc

namespace nnc {
// The IValue of a non-tensor constant a lowering produced (sizes, ints, lists), so later nodes that compute on it
// at convert time can run; nullopt for kinds that have none.
std::optional<c10::IValue> toIValue(const Constant& constant);
}  // namespace nnc
