// torch.classes.nnapi_convert.Model: the TorchScript class a converted module calls, registered when
// libnnapi_runtime.so is loaded (torch.ops.load_library from Python; linking it from C++).
//
//   Model(serialized: Tensor)                 uint8 CPU tensor holding the .nnc flatbuffer; kept, not copied
//   run(inputs: List[Tensor]) -> List[Tensor] the model's outputs; compiles on the first call
//   pickled state: the serialized tensor      so torch.jit.save/load carry the model inside the module
//
// and torch.ops.nnapi_convert.nnapi_library() -> str: which libneuralnetworks.so the runtime uses.
#include "compiled_model.h"

#include <nnapi_convert/runtime.h>

#include <torch/custom_class.h>
#include <torch/library.h>

#include <memory>
#include <mutex>

namespace nnapi_convert::runtime {
namespace {

class TorchModel : public torch::CustomClassHolder {
 public:
  explicit TorchModel(at::Tensor serialized) : serialized_(std::move(serialized)) {
    TORCH_CHECK(serialized_.defined() && serialized_.scalar_type() == at::kByte && serialized_.dim() == 1 &&
                    serialized_.device().is_cpu(),
                "nnapi-convert runtime: torch.classes.nnapi_convert.Model takes the serialized model as a 1-D "
                "uint8 CPU tensor");
  }

  std::vector<at::Tensor> run(std::vector<at::Tensor> inputs) { return compiled().run(inputs); }

  const at::Tensor& serialized() const { return serialized_; }

 private:
  // Verifying and compiling are deferred to the first run, so loading a module costs nothing until it is used
  // and a module can be loaded (and inspected) where NNAPI is missing. A failure is retried on the next run.
  const CompiledModel& compiled() {
    const std::lock_guard<std::mutex> lock(compile_mutex_);
    if (!compiled_) compiled_ = std::make_unique<CompiledModel>(serialized_, nnapiLibrary().functions);
    return *compiled_;
  }

  at::Tensor serialized_;
  std::mutex compile_mutex_;
  std::unique_ptr<const CompiledModel> compiled_;
};

std::string nnapiLibraryDescription() {
  const NnapiLibraryInfo info = nnapiLibraryInfo();
  return info.path + " (found via " + info.found_by + ")";
}

}  // namespace

void ensureLoaded() {}

TORCH_LIBRARY(nnapi_convert, m) {
  m.class_<TorchModel>("Model")
      .def(torch::init<at::Tensor>())
      .def("run", &TorchModel::run)
      .def_pickle([](const c10::intrusive_ptr<TorchModel>& self) -> at::Tensor { return self->serialized(); },
                  [](at::Tensor state) { return c10::make_intrusive<TorchModel>(std::move(state)); });
  m.def("nnapi_library() -> str", &nnapiLibraryDescription);
}

}  // namespace nnapi_convert::runtime
