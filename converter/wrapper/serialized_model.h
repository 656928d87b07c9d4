// Reading back what wrapModel put into a converted module (for `nnapi-convert inspect`).
#pragma once

#include <string>

#include <torch/csrc/jit/api/module.h>

namespace nnc {

// The serialized NNAPI model held by a module written by nnapi-convert; throws std::runtime_error when the
// module is not one.
std::string serializedModelOf(const torch::jit::Module& module);

}  // namespace nnc
