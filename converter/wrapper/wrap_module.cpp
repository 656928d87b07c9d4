#include "wrapper/wrap_module.h"

#include <nnapi_convert/runtime.h>
#include <schema/nnapi_model_generated.h>

#include <ATen/ops/empty.h>
#include <torch/custom_class.h>

#include <cstring>
#include <stdexcept>

#include "wrapper/shared_weights.h"

namespace nnc {
namespace {

constexpr const char* kModelClass = "__torch__.torch.classes.nnapi_convert.Model";

void checkSerialized(const std::string& serialized_model) {
  const auto* data = reinterpret_cast<const uint8_t*>(serialized_model.data());
  flatbuffers::Verifier verifier(data, serialized_model.size());
  if (!nnapi_convert::schema::VerifyModelBuffer(verifier)) {
    throw std::invalid_argument("wrapForward: the serialized model is not a valid nnapi-convert model");
  }
}

}  // namespace

c10::IValue makePartitionObject(const SerializedPartition& partition) {
  const c10::ClassTypePtr type = partitionClass();
  at::Tensor bytes = at::empty({static_cast<int64_t>(partition.model.size())}, at::kByte);
  std::memcpy(bytes.data_ptr<uint8_t>(), partition.model.data(), partition.model.size());
  // One slot: the capsule holding the C++ object, which __init__ fills.
  auto object = c10::ivalue::Object::create(type, /*numSlots=*/1);
  c10::List<at::Tensor> weights;
  for (const at::Tensor& weight : partition.weights) weights.push_back(weight);
  torch::jit::Stack stack{c10::IValue(object), c10::IValue(std::move(bytes)), c10::IValue(std::move(weights))};
  type->getMethod("__init__").run(stack);
  return c10::IValue(object);
}

c10::ClassTypePtr partitionClass() {
  nnapi_convert::runtime::ensureLoaded();  // links the runtime, whose loading registers the class
  const c10::ClassTypePtr type = torch::getCustomClass(kModelClass);
  if (!type) throw std::runtime_error(std::string("libnnapi_runtime.so is loaded but registers no ") + kModelClass);
  return type;
}

torch::jit::Module wrapForward(std::shared_ptr<torch::jit::Graph> forward,
                               const std::vector<std::string>& partition_attributes,
                               const std::vector<SerializedPartition>& serialized_partitions,
                               const std::string& report) {
  if (partition_attributes.size() != serialized_partitions.size()) {
    throw std::invalid_argument("wrapForward: " + std::to_string(partition_attributes.size()) + " attributes for " +
                                std::to_string(serialized_partitions.size()) + " partitions");
  }
  torch::jit::Module module(c10::QualifiedName("__torch__.nnapi_convert.ConvertedModel"));
  for (size_t k = 0; k < serialized_partitions.size(); ++k) {
    checkSerialized(serialized_partitions[k].model);
    module.register_attribute(partition_attributes[k], partitionClass(), makePartitionObject(serialized_partitions[k]));
    const std::string& attribute = partition_attributes[k];
    shareWeightsWithFallback(
        *forward,
        [&attribute](const torch::jit::Node& node) {
          return node.kind() == c10::prim::CallMethod && node.s(c10::attr::name) == "run" &&
                 node.input(0)->node()->kind() == c10::prim::GetAttr &&
                 node.input(0)->node()->s(c10::attr::name) == attribute;
        },
        [&attribute](torch::jit::Graph& graph) {
          torch::jit::Node* get = graph.insertNode(graph.create(c10::prim::GetAttr, {graph.inputs().at(0)}));
          get->s_(c10::attr::name, attribute);
          get->output()->setType(partitionClass());
          torch::jit::Node* call = graph.insertNode(graph.create(c10::prim::CallMethod, {get->output()}));
          call->s_(c10::attr::name, "weights");
          call->output()->setType(c10::ListType::ofTensors());
          return call->output();
        },
        serialized_partitions[k].weights);
  }
  module.register_attribute(kReportAttribute, c10::StringType::get(), c10::IValue(report));
  addForward(module, std::move(forward));
  return module;
}

void addForward(torch::jit::Module& module, std::shared_ptr<torch::jit::Graph> forward) {
  forward->inputs().at(0)->setType(module.type());
  auto function = module._ivalue()->compilation_unit()->create_function(
      c10::QualifiedName(*module.type()->name(), "forward"), std::move(forward));
  module.type()->addMethod(function);
}

}  // namespace nnc
