#include "wrapper/serialized_model.h"

#include <stdexcept>

#include "frontend/build_forward.h"
#include "wrapper/wrap_module.h"

namespace nnc {
namespace {

// A runtime object's pickled state is its serialized model: ask for it the way torch.jit.save does.
std::string serializedModelOf(const c10::IValue& model) {
  torch::jit::Function* getstate = model.toObject()->type()->findMethod("__getstate__");
  if (!getstate) throw std::runtime_error("the module's NNAPI model has no saved state");
  torch::jit::Stack stack{model};
  getstate->run(stack);
  const at::Tensor bytes = stack.back().toTensor().contiguous();
  return std::string(static_cast<const char*>(bytes.data_ptr()), bytes.numel());
}

}  // namespace

WrappedContents wrappedContentsOf(const torch::jit::Module& module) {
  if (!module.hasattr(kReportAttribute) || !module.attr(kReportAttribute).isString()) {
    throw std::runtime_error(std::string("not a module written by nnapi-convert convert (it has no '") +
                             kReportAttribute + "')");
  }
  WrappedContents contents;
  contents.report = module.attr(kReportAttribute).toStringRef();
  for (size_t k = 0; module.hasattr(partitionAttribute(k)); ++k) {
    const c10::IValue partition = module.attr(partitionAttribute(k));
    if (!partition.isObject()) throw std::runtime_error(partitionAttribute(k) + " is not an NNAPI model object");
    contents.partitions.push_back(serializedModelOf(partition));
  }
  return contents;
}

}  // namespace nnc
