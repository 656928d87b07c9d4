#include "wrapper/serialized_model.h"

#include "wrapper/wrap_module.h"

#include <stdexcept>

namespace nnc {

std::string serializedModelOf(const torch::jit::Module& module) {
  const char* attribute = kNnapiModelAttribute;
  if (!module.hasattr(attribute) || !module.attr(attribute).isObject()) {
    throw std::runtime_error("not a module written by nnapi-convert convert (it has no '" + std::string(attribute) +
                             "' NNAPI model)");
  }
  // The class's pickled state is the serialized model: ask for it the way torch.jit.save does.
  const c10::IValue model = module.attr(attribute);
  torch::jit::Function* getstate = model.toObject()->type()->findMethod("__getstate__");
  if (!getstate) throw std::runtime_error("the module's NNAPI model has no saved state");
  torch::jit::Stack stack{model};
  getstate->run(stack);
  const at::Tensor bytes = stack.back().toTensor().contiguous();
  return std::string(static_cast<const char*>(bytes.data_ptr()), bytes.numel());
}

}  // namespace nnc
