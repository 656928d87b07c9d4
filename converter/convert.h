// nnapi-convert's converter API: TorchScript file -> NNAPI IR -> serialized model -> TorchScript wrapper module.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include <torch/script.h>

#include "ir/model.h"
#include "wrapper/wrap_module.h"

namespace nnc {

struct ConvertOptions {
  std::vector<std::vector<int64_t>> input_shapes;  // one per forward argument, PyTorch's (NCHW) order
  bool inputs_nhwc = false;                        // 4-D inputs arrive NHWC (channels-last)
  int feature_level = 30;                          // highest NNAPI feature level the model may use
};

// The user's input is wrong: a missing or unreadable file, not TorchScript, wrong --input count or shape.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct UnsupportedOp {
  std::string kind;    // "aten::gelu"
  std::string reason;  // why it can't be lowered
  std::string source;  // "model.py:42", or "" when the graph doesn't record it
  std::string scope;   // "features.3.conv.1", or ""
};

// The model uses ops the converter cannot lower; `ops` lists every occurrence.
class UnsupportedModelError : public std::runtime_error {
 public:
  explicit UnsupportedModelError(std::vector<UnsupportedOp> ops);
  const std::vector<UnsupportedOp>& ops() const { return ops_; }

 private:
  std::vector<UnsupportedOp> ops_;
};

struct ConvertedModel {
  ir::Model model;
  ModuleSignature signature;
  std::vector<std::vector<int64_t>> input_torch_shapes;   // as the converted module's forward takes them
  std::vector<std::vector<int64_t>> output_torch_shapes;  // as it returns them
};

// Loads a TorchScript file; throws InputError naming the file and what is wrong.
torch::jit::Module loadModule(const std::string& path);

// Converts a loaded module. Throws InputError (bad inputs for this model) or UnsupportedModelError.
ConvertedModel convertModule(const torch::jit::Module& module, const std::string& path, const ConvertOptions& options);

// The flatbuffer bytes the runtime reads.
std::string serializeModel(const ConvertedModel& converted);

// File -> serialized model -> wrapper module, in memory.
torch::jit::Module convertToModule(const std::string& path, const ConvertOptions& options);

}  // namespace nnc
