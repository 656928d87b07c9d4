// torch.classes.nnapi_convert.Model: the TorchScript class a converted module calls, registered when
// libnnapi_runtime.so is loaded (torch.ops.load_library from Python; linking it from C++).
//
//   Model(serialized: Tensor, weights: List[Tensor])
//                                             uint8 CPU tensor holding the .nnc flatbuffer, and the tensors its
//                                             large constants refer to (Buffer.tensor); kept, not copied: NNAPI
//                                             reads the weights in place for as long as the object lives
//   weights() -> List[Tensor]                 those tensors: the converted module's CPU fallback reads its
//                                             weights as views of them, so a file holds each weight once
//   run(inputs: List[Tensor]) -> List[Tensor] the model's outputs; builds and compiles on the first call
//   available() -> bool                       whether the model can run on NNAPI here: the NNAPI library loads,
//                                             its feature level is at least the model's min_feature_level, and
//                                             the model builds and compiles (kept for run). Never throws. A
//                                             converted module asks it before each run and takes its CPU ops
//                                             when false; a false answer is explained by one TORCH_WARN (a Python
//                                             UserWarning; stderr from C++), once per process for each distinct
//                                             reason, so 50 partitions on a phone without NNAPI say it once.
//   set_cache_dir(dir: str)                   where NNAPI may cache this model's compilation
//                                             (ANeuralNetworksCompilation_setCaching), so the next process that
//                                             loads the model skips compiling; "" turns caching off. Without a
//                                             call, the environment variable NNAPI_CONVERT_CACHE_DIR (read at the
//                                             first run) chooses; unset, nothing is cached. Only before the first
//                                             run or available(): a compiled model cannot change it.
//   pickled state: (serialized, weights)      so torch.jit.save/load carry the model inside the module; the
//                                             weights' storages are the ones the fallback's views share
//
// and torch.ops.nnapi_convert.nnapi_library() -> str: which libneuralnetworks.so the runtime uses.
#include "compiled_model.h"

#include <nnapi_convert/runtime.h>

#include <torch/custom_class.h>
#include <torch/library.h>

#include <memory>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

namespace nnapi_convert::runtime {
namespace {

class TorchModel : public torch::CustomClassHolder {
 public:
  TorchModel(at::Tensor serialized, std::vector<at::Tensor> weights)
      : serialized_(std::move(serialized)), weights_(std::move(weights)) {
    TORCH_CHECK(serialized_.defined() && serialized_.scalar_type() == at::kByte && serialized_.dim() == 1 &&
                    serialized_.device().is_cpu(),
                "nnapi-convert runtime: torch.classes.nnapi_convert.Model takes the serialized model as a 1-D "
                "uint8 CPU tensor");
  }

  // An execution failure is an error, never a switch to the CPU: the model built and compiled, so the device
  // accepted it, and the converted forward chose the NNAPI branch before this call. A failure now is the inputs'
  // fault or a device fault in mid-use, which a silent CPU result would hide.
  std::vector<at::Tensor> run(std::vector<at::Tensor> inputs) {
    const CompiledModel* compiled = prepared();
    if (compiled == nullptr) {
      throw std::runtime_error(failure_ + ": this NNAPI partition cannot run here (a module converted with "
                               "--no-cpu-fallback has no CPU path to take instead)");
    }
    return compiled->run(inputs);
  }

  bool available() {
    if (prepared() != nullptr) return true;
    bool first_answer = false;
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      first_answer = !warned_;
      warned_ = true;
    }
    if (first_answer) warnOnce(failure_ + ": running this NNAPI partition on the CPU instead");
    return false;
  }

  void setCacheDir(std::string dir) {
    const std::lock_guard<std::mutex> lock(mutex_);
    TORCH_CHECK(!tried_,
                "nnapi-convert runtime: set_cache_dir must be called before the model's first run or available() "
                "(it is compiled then, with or without a cache)");
    cache_dir_ = std::move(dir);
  }

  using State = std::tuple<at::Tensor, std::vector<at::Tensor>>;
  State state() const { return {serialized_, weights_}; }
  // The object a saved module's pickled state describes. The state is taken as any value and checked here:
  // declared as State, libtorch would convert it with an internal assert ("Expected Tuple but got Tensor ... report
  // a bug to PyTorch") for a module an older nnapi-convert wrote (its state was the serialized tensor alone) or one
  // whose state was tampered with.
  static c10::intrusive_ptr<TorchModel> fromState(const c10::IValue& state) {
    const bool well_formed = state.isTuple() && state.toTupleRef().elements().size() == 2 &&
                             state.toTupleRef().elements()[0].isTensor() &&
                             state.toTupleRef().elements()[1].isTensorList();
    if (!well_formed) {
      TORCH_CHECK(!state.isTensor(),
                  "nnapi-convert runtime: this module's NNAPI partition was written by an older nnapi-convert "
                  "(its saved state is the serialized model alone, without the weight tensors); convert the "
                  "original model again");
      TORCH_CHECK(false, "nnapi-convert runtime: this module's NNAPI partition has a saved state of type ",
                  state.type()->str(), "; torch.classes.nnapi_convert.Model saves (serialized model: Tensor, "
                  "weights: List[Tensor]), so the file was damaged or not written by nnapi-convert");
    }
    const auto& elements = state.toTupleRef().elements();
    return c10::make_intrusive<TorchModel>(elements[0].toTensor(), elements[1].toTensorVector());
  }
  std::vector<at::Tensor> weights() const { return weights_; }

 private:
  // Verifies, builds and compiles the model at the first call (so loading a module costs nothing until it is used
  // and a module can be loaded, and inspected, where NNAPI is missing) and never again: the answer, a compiled
  // model or the reason there is none, is kept for the object's life. Null when it failed (failure_ says why).
  const CompiledModel* prepared() {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (!tried_) {
      tried_ = true;
      try {
        const char* from_environment = std::getenv("NNAPI_CONVERT_CACHE_DIR");
        const std::string cache_dir = cache_dir_ ? *cache_dir_ : from_environment ? from_environment : "";
        compiled_ = std::make_unique<CompiledModel>(serialized_, nnapiLibrary().functions, weights_,
                                                    cache_dir);
      } catch (const std::exception& error) {
        failure_ = error.what() + libraryNote();
      } catch (...) {
        failure_ = "nnapi-convert runtime: unknown error while preparing the NNAPI model" + libraryNote();
      }
    }
    return compiled_.get();
  }

  // A model of 50 partitions on a phone without NNAPI says so once, not 50 times.
  static void warnOnce(const std::string& message) {
    static std::mutex mutex;
    static std::set<std::string> said;
    const std::lock_guard<std::mutex> lock(mutex);
    if (said.insert(message).second) TORCH_WARN(message);
  }

  // " (NNAPI library <path>, found via <how>)" when a library was loaded, so a warning says which device answered.
  static std::string libraryNote() {
    try {
      const NnapiLibraryInfo info = nnapiLibraryInfo();
      return " (NNAPI library " + info.path + ", found via " + info.found_by + ")";
    } catch (const std::exception&) {
      return "";  // the reason already says why no library loaded
    }
  }

  at::Tensor serialized_;
  const std::vector<at::Tensor> weights_;
  std::mutex mutex_;
  bool tried_ = false;   // prepared() has run: compiled_ or failure_ holds its result, for good
  std::unique_ptr<const CompiledModel> compiled_;
  std::string failure_;  // why there is no compiled_, and which library said so; set once, under mutex_
  bool warned_ = false;  // available() has answered false (and warned, unless another object said the same)
  std::optional<std::string> cache_dir_;  // set_cache_dir's; unset: NNAPI_CONVERT_CACHE_DIR
};

std::string nnapiLibraryDescription() {
  const NnapiLibraryInfo info = nnapiLibraryInfo();
  return info.path + " (found via " + info.found_by + ")";
}

}  // namespace

void ensureLoaded() {}

TORCH_LIBRARY(nnapi_convert, m) {
  m.class_<TorchModel>("Model")
      .def(torch::init<at::Tensor, std::vector<at::Tensor>>())
      .def("run", &TorchModel::run)
      .def("available", &TorchModel::available)
      .def("set_cache_dir", &TorchModel::setCacheDir)
      .def("weights", &TorchModel::weights)
      .def_pickle([](const c10::intrusive_ptr<TorchModel>& self) { return self->state(); },
                  [](c10::IValue state) { return TorchModel::fromState(state); });
  m.def("nnapi_library() -> str", &nnapiLibraryDescription);
}

}  // namespace nnapi_convert::runtime
