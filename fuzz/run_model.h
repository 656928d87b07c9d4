// What every fuzz target does with a model NNAPI accepted: compile it and run it once, as the runtime would.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "nnapi/NeuralNetworks.h"

namespace nnc_fuzz {

struct OperandSpec {
  int32_t type = 0;
  std::vector<uint32_t> dims;  // 0 = unknown
  float scale = 0.0f;
  int32_t zeroPoint = 0;
};

// Compiles the finished `model` and computes it once with patterned input data, when every operand has a known
// shape and at most a few MiB (a valid model may ask for gigabytes; that is not a bug to report). `operands` are
// all of the model's operands, `inputs`/`outputs` their indices. `compilationCreated` runs once the compilation
// exists (a target may free the model there). Every outcome NNAPI reports is accepted: the fuzz targets look for
// crashes, leaks, undefined behaviour and hangs, not for refusals.
void compileAndRun(ANeuralNetworksModel* model, const std::vector<OperandSpec>& operands,
                   const std::vector<uint32_t>& inputs, const std::vector<uint32_t>& outputs,
                   const std::function<void()>& compilationCreated = {});

}  // namespace nnc_fuzz
