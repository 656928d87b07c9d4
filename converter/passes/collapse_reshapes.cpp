#include "passes/collapse_reshapes.h"

#include <algorithm>
#include <map>
#include <set>

#include "nnapi/NeuralNetworks.h"
#include "passes/remove_operations.h"

namespace nnc {
namespace {

// The same tensor description: a RESHAPE to it is the identity.
bool sameTensor(const ir::Operand& a, const ir::Operand& b) {
  return a.type == b.type && a.dims == b.dims && a.layout == b.layout && a.flattened_chw == b.flattened_chw &&
         a.scale == b.scale && a.zero_point == b.zero_point;
}

}  // namespace

int collapseReshapes(ir::Model& model) {
  auto& operations = model.mutableOperations();
  const std::vector<uint32_t>& outputs = model.outputs();
  auto isModelOutput = [&](uint32_t operand) {
    return std::find(outputs.begin(), outputs.end(), operand) != outputs.end();
  };
  std::map<uint32_t, size_t> producer;
  std::map<uint32_t, uint32_t> replaced;  // dropped RESHAPE output -> the operand its readers read instead
  std::vector<bool> removed(operations.size(), false);
  for (size_t i = 0; i < operations.size(); ++i) {
    ir::Operation& operation = operations[i];
    for (uint32_t& input : operation.inputs) {
      if (auto it = replaced.find(input); it != replaced.end()) input = it->second;
    }
    for (uint32_t output : operation.outputs) producer[output] = i;
    if (operation.type != ANEURALNETWORKS_RESHAPE) continue;
    // Inputs were rewritten in order, so a RESHAPE source's own source is already its first non-RESHAPE one.
    if (auto source = producer.find(operation.inputs[0]);
        source != producer.end() && operations[source->second].type == ANEURALNETWORKS_RESHAPE) {
      operation.inputs[0] = operations[source->second].inputs[0];
    }
    const uint32_t output = operation.outputs[0];
    if (!isModelOutput(output) && sameTensor(model.operands()[operation.inputs[0]], model.operands()[output])) {
      replaced[output] = operation.inputs[0];
      removed[i] = true;
    }
  }
  // RESHAPEs whose outputs nothing reads any more (their readers now read further up), from the last one back.
  std::set<uint32_t> read;
  for (size_t i = operations.size(); i-- > 0;) {
    if (removed[i]) continue;
    const ir::Operation& operation = operations[i];
    if (operation.type == ANEURALNETWORKS_RESHAPE && !read.count(operation.outputs[0]) &&
        !isModelOutput(operation.outputs[0])) {
      removed[i] = true;
      continue;
    }
    read.insert(operation.inputs.begin(), operation.inputs.end());
  }
  return removeOperations(model, removed);
}

}  // namespace nnc
