// A serialized model verified, built and compiled by NNAPI once, then run on torch tensors as often as asked.
#pragma once

#include "model_loader.h"

#include <ATen/core/Tensor.h>

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace nnapi_convert::runtime {

// The 32-byte NNAPI compilation cache token of a serialized model: SHA-256 of the bytes (which include the
// compilation options), so a changed model or option never meets another's cached compilation.
std::array<uint8_t, 32> cacheToken(const uint8_t* model_bytes, size_t size);

class CompiledModel {
 public:
  // `model_bytes` holds the serialized model (a contiguous uint8 CPU tensor), `weights` the tensors its buffers
  // refer to (Buffer.tensor). Both are kept, not copied: NNAPI reads large constants from them for as long as the
  // compilation lives. Throws std::runtime_error when the bytes fail
  // verification, the NNAPI library's feature level is below the model's min_feature_level, or NNAPI rejects the
  // model; nothing is left allocated then. Compiles with the model's preference and relaxation (schema Model).
  // A non-empty `cache_dir` asks NNAPI to cache the compilation there (ANeuralNetworksCompilation_setCaching, with
  // cacheToken(model bytes)); the directory is created when missing. Caching is an optimisation: a library without
  // setCaching (feature level < 3) or a directory that cannot be created gets a warning and compiles uncached.
  // `weights` are the tensors the model's Buffer.tensor entries name (kept alive by this object).
  CompiledModel(at::Tensor model_bytes, const NnapiFunctions& nnapi, std::vector<at::Tensor> weights = {},
                const std::string& cache_dir = "");

  // Checks each input against the model (count, dtype, quantization, shape; errors name the input and both
  // values), runs one NNAPI execution and returns the outputs, freshly allocated, in model order. Safe to call from
  // several threads at once: each call has its own execution.
  std::vector<at::Tensor> run(const std::vector<at::Tensor>& inputs) const;

 private:
  // A model input or output as torch sees it.
  struct Io {
    std::string name;                 // "input 0 'x'"
    int32_t operand_type = 0;         // NNAPI OperandCode
    float scale = 0.0f;
    int32_t zero_point = 0;
    std::vector<uint32_t> dims;       // NNAPI dimensions, 0 = unknown until run time
    std::vector<int64_t> torch_shape; // -1 = any extent
    at::ScalarType dtype;
    bool fully_known() const;
  };
  using CompilationHandle =
      std::unique_ptr<ANeuralNetworksCompilation, decltype(&::ANeuralNetworksCompilation_free)>;
  using ExecutionHandle = std::unique_ptr<ANeuralNetworksExecution, decltype(&::ANeuralNetworksExecution_free)>;

  static std::vector<Io> describeIo(const schema::Model& model,
                                    const flatbuffers::Vector<flatbuffers::Offset<schema::IoInfo>>& list,
                                    const char* role);
  at::Tensor checkedInput(const at::Tensor& tensor, size_t index) const;
  std::vector<at::Tensor> allocateOutputs(const std::vector<int64_t>& capacities) const;
  // Outputs of unknown shape are usually sized by the inputs' unknown extents (a flexible batch): when those all
  // have one value at this run, that value, so each such output can first be allocated at its known extents times
  // it per unknown extent. Only a first guess: a run that needs more learns it from NNAPI (OUTPUT_INSUFFICIENT_SIZE)
  // and runs again.
  std::optional<int64_t> runTimeExtent(const std::vector<at::Tensor>& inputs) const;
  static int64_t elementCountAt(const Io& output, int64_t extent);
  // Runs one execution; returns the result of the computation (NO_ERROR or OUTPUT_INSUFFICIENT_SIZE, anything
  // else throws) and, in `reported_shapes`, the output shapes NNAPI reports for outputs with unknown dimensions.
  int execute(const std::vector<at::Tensor>& inputs, const std::vector<at::Tensor>& outputs,
              std::vector<std::vector<int64_t>>& reported_shapes) const;
  std::vector<int64_t> reportedShape(ANeuralNetworksExecution* execution, size_t output) const;
  void setCaching(ANeuralNetworksCompilation* compilation, const std::string& cache_dir) const;

  at::Tensor model_bytes_;
  std::vector<at::Tensor> weights_;
  NnapiFunctions nnapi_;
  std::vector<Io> inputs_;
  std::vector<Io> outputs_;
  NnapiModelHandle model_;
  CompilationHandle compilation_;
  // Element counts to allocate for outputs with unknown dimensions: what the last run needed.
  mutable std::mutex capacity_mutex_;
  mutable std::vector<int64_t> output_capacities_;
};

}  // namespace nnapi_convert::runtime
