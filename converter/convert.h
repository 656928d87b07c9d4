// nnapi-convert's converter API: TorchScript file -> NNAPI IR -> serialized model -> TorchScript wrapper module.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include <torch/script.h>

#include "compilation_options.h"
#include "ir/model.h"
#include "ops/target_format.h"
#include "wrapper/wrap_module.h"

namespace nnc {

// Android 10 (NNAPI feature level 3), the level PyTorch's own converter targets.
constexpr int kDefaultMinApi = 29;

struct ConvertOptions {
  // One per forward argument, PyTorch's (NCHW) order; -1 marks an extent fixed only at run time (run_time_extents.h).
  std::vector<std::vector<int64_t>> input_shapes;
  bool inputs_nhwc = false;                        // 4-D inputs arrive NHWC (channels-last)
  int min_api = kDefaultMinApi;                    // oldest Android API level (27..34) the model must run on
  bool strict = false;                             // every op on NNAPI, or UnsupportedModelError
  // Each partition's forward code keeps its original ops, run on the CPU where NNAPI cannot run it. Without it
  // (--no-cpu-fallback) forward raises the runtime's reason instead, and the file holds no copy of those ops.
  bool cpu_fallback = true;
  TargetFormat format = TargetFormat::Flatbuffer;   // what the converted module is written in (--format)
  // For `verify --layers`: every tensor an NNAPI partition computes at the top level of forward is also handed to
  // TorchScript and returned (see ConvertedModel::layers).
  bool expose_layers = false;
  CompilationOptions compilation;  // how NNAPI compiles the model, recorded in the converted module
};

// The NNAPI feature level (as the API level that brought it: 27..31, 33, 34) that Android API level `min_api`
// (27..34) guarantees: the newest level that API level has (32, Android 12L, has feature level 5).
int featureLevelForApi(int min_api);

// The user's input is wrong: a missing or unreadable file, not TorchScript, wrong --input count or shape.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An op left to TorchScript on the CPU (or, with --strict, refused).
struct UnsupportedOp {
  std::string kind;    // "aten::gelu"
  std::string reason;  // why it can't be lowered
  std::string source;  // "model.py:42", or "" when the graph doesn't record it
  std::string scope;   // "features.3.conv.1", or ""
};

// --strict and the model has ops that stay on the CPU; `ops` lists every occurrence.
class UnsupportedModelError : public std::runtime_error {
 public:
  explicit UnsupportedModelError(std::vector<UnsupportedOp> ops);
  const std::vector<UnsupportedOp>& ops() const { return ops_; }

 private:
  std::vector<UnsupportedOp> ops_;
};

// One NNAPI partition: its model, and how its inputs and outputs map to the TorchScript values around it.
struct ConvertedPartition {
  ir::Model model;
  std::vector<std::vector<int64_t>> input_shapes;   // as the runtime receives them (physical dims; -1: unknown)
  std::vector<std::vector<int64_t>> output_shapes;
  std::vector<std::string> source_ops;  // the TorchScript ops it runs ("aten::conv2d"), in graph order
  CompilationOptions compilation;
};

struct ConversionSummary {
  int64_t multiply_adds = 0;        // of the whole model (conv, linear, matmul), at the given input shapes
  int64_t nnapi_multiply_adds = 0;  // of those, run on NNAPI
  std::vector<UnsupportedOp> cpu_ops;
};

// A tensor computed on NNAPI that `verify --layers` compares with PyTorch's.
struct Layer {
  std::string kind;    // the TorchScript op that computed it ("aten::conv2d")
  std::string source;  // "model.py:42"
  std::string scope;   // "features.3.conv.1"
};

struct ConvertedModel {
  std::vector<ConvertedPartition> partitions;
  ConversionSummary summary;
  int feature_level = 0;  // the target (27..31, 33, 34)
  TargetFormat format = TargetFormat::Flatbuffer;
  CompilationOptions compilation;  // what each partition's `compilation` also holds
  // The converted forward: the prepared TorchScript graph with each partition replaced by a call of
  // `self.<kPartitionAttributePrefix><k>` (and its CPU fallback); see wrapper/wrap_module.h.
  std::shared_ptr<torch::jit::Graph> forward;
  // With ConvertOptions::expose_layers: forward returns (its original result, a tuple of these layers' tensors),
  // and `reference_layers` is a graph of the original forward's arguments (no self) that returns PyTorch's own
  // values of the same layers, in the same order.
  std::vector<Layer> layers;
  std::shared_ptr<torch::jit::Graph> reference_layers;
};

// Loads a TorchScript file; throws InputError naming the file and what is wrong.
torch::jit::Module loadModule(const std::string& path);

// Converts a loaded module. Throws InputError (bad inputs for this model) or UnsupportedModelError.
// `module` is frozen and rewritten in place, so that no weight is copied: pass module.clone() to keep the original.
ConvertedModel convertModule(torch::jit::Module module, const std::string& path, const ConvertOptions& options);

// The flatbuffer the runtime reads, for one partition, and the weight tensors its buffers refer to.
SerializedPartition serializeModel(const ConvertedPartition& partition);

// The converted module: the forward graph with one runtime object per partition. Each partition's constant bytes
// are released once serialized (ir::Model::releaseConstantBytes): its operations and operands stay for reports.
torch::jit::Module wrapConverted(ConvertedModel& converted);

// File -> serialized model -> wrapper module, in memory.
torch::jit::Module convertToModule(const std::string& path, const ConvertOptions& options);

}  // namespace nnc
