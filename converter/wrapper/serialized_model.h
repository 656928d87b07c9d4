// Reading back what wrapForward put into a converted module (for `nnapi-convert inspect`).
#pragma once

#include <string>
#include <vector>

#include <torch/csrc/jit/api/module.h>

#include "wrapper/wrap_module.h"

namespace nnc {

struct WrappedContents {
  std::vector<SerializedPartition> partitions;  // in attribute order
  std::string report;                           // the conversion report (JSON)
};

// Throws std::runtime_error when the module was not written by nnapi-convert convert.
WrappedContents wrappedContentsOf(const torch::jit::Module& module);

}  // namespace nnc
