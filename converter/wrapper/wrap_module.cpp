#include "wrapper/wrap_module.h"

#include <nnapi_convert/runtime.h>
#include <schema/nnapi_model_generated.h>

#include <ATen/ops/empty.h>
#include <torch/custom_class.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <stdexcept>

namespace nnc {
namespace {

constexpr const char* kModelClass = "__torch__.torch.classes.nnapi_convert.Model";

bool isIdentifier(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// The converter wrote both the model and the signature: a disagreement is a converter bug, caught here rather
// than as an index error inside the saved module's forward.
void checkSignature(const std::string& serialized_model, const ModuleSignature& signature) {
  const auto* data = reinterpret_cast<const uint8_t*>(serialized_model.data());
  flatbuffers::Verifier verifier(data, serialized_model.size());
  if (!nnapi_convert::schema::VerifyModelBuffer(verifier)) {
    throw std::invalid_argument("wrapModel: the serialized model is not a valid nnapi-convert model");
  }
  const nnapi_convert::schema::Model& model = *nnapi_convert::schema::GetModel(data);
  const size_t inputs = model.inputs() ? model.inputs()->size() : 0;
  const size_t outputs = model.outputs() ? model.outputs()->size() : 0;
  if (signature.input_names.size() != inputs || signature.num_outputs != outputs) {
    throw std::invalid_argument("wrapModel: the signature has " + std::to_string(signature.input_names.size()) +
                                " inputs and " + std::to_string(signature.num_outputs) +
                                " outputs, the model " + std::to_string(inputs) + " and " + std::to_string(outputs));
  }
  if (!signature.returns_tuple && signature.num_outputs != 1) {
    throw std::invalid_argument("wrapModel: a forward that returns one tensor needs exactly one output, not " +
                                std::to_string(signature.num_outputs));
  }
  for (size_t i = 0; i < inputs; ++i) {
    const std::string& name = signature.input_names[i];
    if (!isIdentifier(name) || name == "self" ||
        std::count(signature.input_names.begin(), signature.input_names.end(), name) != 1) {
      throw std::invalid_argument("wrapModel: input " + std::to_string(i) + " name '" + name +
                                  "' is not a distinct identifier");
    }
  }
}

// forward(self, x: Tensor, y: Tensor) -> Tuple[Tensor, Tensor]:
//     outputs = self.nnapi_model.run([x, y])
//     return (outputs[0], outputs[1])
std::string forwardSource(const ModuleSignature& signature) {
  // The local holding run()'s list must not shadow an argument.
  std::string results = "outputs";
  while (std::count(signature.input_names.begin(), signature.input_names.end(), results) > 0) {
    results = "_" + results;
  }
  std::string parameters = "self", arguments;
  for (const std::string& name : signature.input_names) {
    parameters += ", " + name + ": Tensor";
    arguments += (arguments.empty() ? "" : ", ") + name;
  }
  std::string returned, return_type;
  for (size_t o = 0; o < signature.num_outputs; ++o) {
    returned += (o ? ", " : "") + results + "[" + std::to_string(o) + "]";
    return_type += (o ? ", " : "") + std::string("Tensor");
  }
  if (signature.returns_tuple) {
    // (x,) is a one-element tuple; (x) would be the tensor itself.
    returned = "(" + returned + (signature.num_outputs == 1 ? ",)" : ")");
    return_type = "Tuple[" + return_type + "]";
  }
  return "def forward(" + parameters + ") -> " + return_type + ":\n" +
         "    " + results + " = self." + kNnapiModelAttribute + ".run([" + arguments + "])\n" +
         "    return " + returned + "\n";
}

// An instance of the runtime's class, made by name, as TorchScript's `torch.classes.nnapi_convert.Model(bytes)`
// does: the class's C++ type stays private to the runtime library.
c10::IValue makeModelObject(const std::string& serialized_model) {
  nnapi_convert::runtime::ensureLoaded();  // links the runtime, whose loading registers the class
  const c10::ClassTypePtr type = torch::getCustomClass(kModelClass);
  if (!type) {
    throw std::runtime_error(std::string("wrapModel: libnnapi_runtime.so is loaded but registers no ") + kModelClass);
  }
  at::Tensor bytes = at::empty({static_cast<int64_t>(serialized_model.size())}, at::kByte);
  std::memcpy(bytes.data_ptr<uint8_t>(), serialized_model.data(), serialized_model.size());
  // One slot: the capsule holding the C++ object, which __init__ fills.
  auto object = c10::ivalue::Object::create(type, /*numSlots=*/1);
  torch::jit::Stack stack{c10::IValue(object), c10::IValue(std::move(bytes))};
  type->getMethod("__init__").run(stack);
  return c10::IValue(object);
}

}  // namespace

torch::jit::Module wrapModel(const std::string& serialized_model, const ModuleSignature& signature) {
  checkSignature(serialized_model, signature);
  c10::IValue model = makeModelObject(serialized_model);
  const c10::TypePtr model_type = model.type();
  torch::jit::Module module(c10::QualifiedName("__torch__.nnapi_convert.ConvertedModel"));
  module.register_attribute(kNnapiModelAttribute, model_type, std::move(model));
  module.define(forwardSource(signature));
  return module;
}

}  // namespace nnc
