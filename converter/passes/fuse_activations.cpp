#include "passes/fuse_activations.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>

#include "nnapi/NeuralNetworks.h"
#include "passes/remove_operations.h"

namespace nnc {
namespace {

std::optional<int32_t> fuseCodeOf(int32_t op) {
  switch (op) {
    case ANEURALNETWORKS_RELU: return ANEURALNETWORKS_FUSED_RELU;
    case ANEURALNETWORKS_RELU1: return ANEURALNETWORKS_FUSED_RELU1;
    case ANEURALNETWORKS_RELU6: return ANEURALNETWORKS_FUSED_RELU6;
    default: return std::nullopt;
  }
}

}  // namespace

int fuseInputIndex(const ir::Operation& operation) {
  switch (operation.type) {
    case ANEURALNETWORKS_ADD:
    case ANEURALNETWORKS_SUB:
    case ANEURALNETWORKS_MUL:
    case ANEURALNETWORKS_DIV: return 2;
    case ANEURALNETWORKS_FULLY_CONNECTED: return 3;
    case ANEURALNETWORKS_CONV_2D: return operation.inputs.size() >= 10 ? 9 : 6;
    case ANEURALNETWORKS_DEPTHWISE_CONV_2D: return operation.inputs.size() >= 11 ? 10 : 7;
    case ANEURALNETWORKS_GROUPED_CONV_2D: return operation.inputs.size() >= 12 ? 10 : 7;
    default: return -1;
  }
}

int fuseActivations(ir::Model& model) {
  auto& operations = model.mutableOperations();
  std::map<uint32_t, int> readers;  // operand -> number of operations reading it
  std::map<uint32_t, size_t> producer;
  for (size_t i = 0; i < operations.size(); ++i) {
    for (uint32_t input : operations[i].inputs) ++readers[input];
    for (uint32_t output : operations[i].outputs) producer[output] = i;
  }
  const auto& outputs = model.outputs();
  // Read by this one operation only, and not a model output: the operation may take it over.
  auto onlyRead = [&](uint32_t operand) {
    return readers[operand] == 1 && std::find(outputs.begin(), outputs.end(), operand) == outputs.end();
  };

  std::vector<bool> removed(operations.size(), false);
  int fused = 0;
  for (size_t i = 0; i < operations.size(); ++i) {
    const auto code = fuseCodeOf(operations[i].type);
    if (!code) continue;
    const uint32_t input = operations[i].inputs[0];
    auto source = producer.find(input);
    if (source == producer.end() || !onlyRead(input)) continue;
    // An activation after a RESHAPE (a 1-D convolution's [N,1,L,C] -> [N,L,C]) fuses into what the RESHAPE reads:
    // it works element by element, so it commutes with the RESHAPE, which then writes the activation's output.
    const size_t writer = source->second;
    if (operations[writer].type == ANEURALNETWORKS_RESHAPE) {
      const uint32_t data = operations[writer].inputs[0];
      source = producer.find(data);
      if (source == producer.end() || !onlyRead(data)) continue;
    }
    ir::Operation& target = operations[source->second];
    const int fuse_index = fuseInputIndex(target);
    if (fuse_index < 0) continue;
    const uint32_t fuse_operand = target.inputs[fuse_index];
    int32_t current = 0;
    std::memcpy(&current, model.constantData(fuse_operand), sizeof current);
    if (current != ANEURALNETWORKS_FUSED_NONE) continue;

    // A fresh scalar rather than rewriting the old one: scalars may be shared between operations.
    target.inputs[fuse_index] = model.addScalarInt32(*code);
    // The activation's output now comes straight from the producer; the producer's old output becomes unused.
    const uint32_t activation_output = operations[i].outputs[0];
    model.mutableOperand(activation_output).name = model.operands()[input].name;
    operations[writer].outputs[0] = activation_output;
    producer[activation_output] = writer;
    removed[i] = true;
    ++fused;
  }
  removeOperations(model, removed);
  return fused;
}

}  // namespace nnc
