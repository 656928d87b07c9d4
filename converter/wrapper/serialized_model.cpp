#include "wrapper/serialized_model.h"

#include <stdexcept>

#include "frontend/build_forward.h"
#include "wrapper/wrap_module.h"

namespace nnc {
namespace {

// A runtime object's pickled state is its serialized model and weights: ask for it the way torch.jit.save does.
SerializedPartition serializedModelOf(const c10::IValue& model) {
  torch::jit::Function* getstate = model.toObject()->type()->findMethod("__getstate__");
  if (!getstate) throw std::runtime_error("the module's NNAPI model has no saved state");
  torch::jit::Stack stack{model};
  getstate->run(stack);
  const auto& state = stack.back().toTupleRef().elements();
  const at::Tensor bytes = state.at(0).toTensor().contiguous();
  SerializedPartition partition{std::string(static_cast<const char*>(bytes.data_ptr()), bytes.numel()), {}};
  for (const at::Tensor& weight : state.at(1).toTensorList()) partition.weights.push_back(weight);
  return partition;
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
