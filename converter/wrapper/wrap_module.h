// The converter's last step: put a serialized NNAPI model inside a TorchScript module with the original forward
// signature, so the converted model is used exactly like the original one (module(x), torch.jit.save/load).
#pragma once

#include <torch/csrc/jit/api/module.h>

#include <cstddef>
#include <string>
#include <vector>

namespace nnc {

// The attribute of a wrapped module that holds its torch.classes.nnapi_convert.Model object.
inline constexpr char kNnapiModelAttribute[] = "nnapi_model";

struct ModuleSignature {
  std::vector<std::string> input_names;  // forward's argument names (from the original model), one per model input
  bool returns_tuple = false;            // forward returns a tuple of num_outputs tensors, else one tensor
  size_t num_outputs = 1;
};

// A TorchScript module (class __torch__.nnapi_convert.ConvertedModel) whose
//   forward(self, <input_names...>) -> Tensor | Tuple[Tensor, ...]
// runs `serialized_model` through torch.classes.nnapi_convert.Model, held in kNnapiModelAttribute; the
// serialized bytes are that object's saved state. The class is registered by libnnapi_runtime.so, which code
// using wrapModel links; any process that loads the saved module must load it too.
// Throws std::invalid_argument when the signature does not fit the model (counts, names that are not distinct
// identifiers).
torch::jit::Module wrapModel(const std::string& serialized_model, const ModuleSignature& signature);

}  // namespace nnc
