// torch.classes.nnapi_convert.Model: the TorchScript class a converted module calls, registered when
// libnnapi_runtime.so is loaded (torch.ops.load_library from Python; linking it from C++).
//
//   Model(serialized: Tensor)                 uint8 CPU tensor holding the .nnc flatbuffer; kept, not copied
//   run(inputs: List[Tensor]) -> List[Tensor] the model's outputs; compiles on the first call
//   available() -> bool                       whether the model can run on NNAPI here: the NNAPI library loads,
//                                             its feature level is at least the model's min_feature_level, and
//                                             the model builds and compiles (compiled once and kept for run).
//                                             Never throws; the first call decides, later calls return the same
//                                             answer at no cost. A false answer is explained by one TORCH_WARN
//                                             (a Python UserWarning; stderr from C++), once per process for
//                                             each distinct reason. A converted
//                                             module asks it before each run and takes its CPU ops when false.
//   set_cache_dir(dir: str)                   where NNAPI may cache this model's compilation
//                                             (ANeuralNetworksCompilation_setCaching), so the next process that
//                                             loads the model skips compiling; "" turns caching off. Without a
//                                             call, the environment variable NNAPI_CONVERT_CACHE_DIR (read at the
//                                             first run) chooses; unset, nothing is cached. Only before the first
//                                             run or available(): a compiled model cannot change it.
//   pickled state: the serialized tensor      so torch.jit.save/load carry the model inside the module
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

  bool available() {
    const std::lock_guard<std::mutex> lock(compile_mutex_);
    if (compiled_ || availability_known_) return compiled_ != nullptr;
    availability_known_ = true;
    std::string reason;
    try {
      compileLocked();
      return true;
    } catch (const std::exception& error) {
      reason = error.what();
    } catch (...) {
      reason = "nnapi-convert runtime: unknown error while preparing the NNAPI model";
    }
    warnOnce(reason + libraryNote() + ": running this NNAPI partition on the CPU instead");
    return false;
  }

  void setCacheDir(std::string dir) {
    const std::lock_guard<std::mutex> lock(compile_mutex_);
    TORCH_CHECK(!compiled_ && !availability_known_,
                "nnapi-convert runtime: set_cache_dir must be called before the model's first run or available() "
                "(it is compiled then, with or without a cache)");
    cache_dir_ = std::move(dir);
  }

  const at::Tensor& serialized() const { return serialized_; }

 private:
  // Verifying and compiling are deferred to the first run, so loading a module costs nothing until it is used
  // and a module can be loaded (and inspected) where NNAPI is missing. A failure is retried on the next run.
  const CompiledModel& compiled() {
    const std::lock_guard<std::mutex> lock(compile_mutex_);
    return compileLocked();
  }

  const CompiledModel& compileLocked() {
    if (!compiled_) {
      const char* from_environment = std::getenv("NNAPI_CONVERT_CACHE_DIR");
      const std::string cache_dir = cache_dir_ ? *cache_dir_ : from_environment ? from_environment : "";
      compiled_ = std::make_unique<CompiledModel>(serialized_, nnapiLibrary().functions, cache_dir);
    }
    return *compiled_;
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
  std::mutex compile_mutex_;
  std::unique_ptr<const CompiledModel> compiled_;
  bool availability_known_ = false;  // available() has answered (compiled_ says what) and warned if false
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
      .def(torch::init<at::Tensor>())
      .def("run", &TorchModel::run)
      .def("available", &TorchModel::available)
      .def("set_cache_dir", &TorchModel::setCacheDir)
      .def_pickle([](const c10::intrusive_ptr<TorchModel>& self) -> at::Tensor { return self->serialized(); },
                  [](at::Tensor state) { return c10::make_intrusive<TorchModel>(std::move(state)); });
  m.def("nnapi_library() -> str", &nnapiLibraryDescription);
}

}  // namespace nnapi_convert::runtime
