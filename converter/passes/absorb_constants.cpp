#include "passes/absorb_constants.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "nnapi/NeuralNetworks.h"
#include "passes/fuse_activations.h"

namespace nnc {
namespace {

constexpr int32_t kF32 = ANEURALNETWORKS_TENSOR_FLOAT32;

bool isWeighted(int32_t op) {
  return op == ANEURALNETWORKS_CONV_2D || op == ANEURALNETWORKS_DEPTHWISE_CONV_2D ||
         op == ANEURALNETWORKS_GROUPED_CONV_2D || op == ANEURALNETWORKS_FULLY_CONNECTED;
}

size_t elementCount(const ir::Operand& operand) {
  size_t n = 1;
  for (uint32_t d : operand.dims) n *= d;
  return n;
}

// Who reads and who writes each operand, rebuilt after every rewrite.
struct Uses {
  std::map<uint32_t, std::vector<size_t>> readers;
  std::map<uint32_t, size_t> producer;
  explicit Uses(const ir::Model& model) {
    const auto& operations = model.operations();
    for (size_t i = 0; i < operations.size(); ++i) {
      for (uint32_t input : operations[i].inputs) readers[input].push_back(i);
      for (uint32_t output : operations[i].outputs) producer[output] = i;
    }
  }
  size_t readerCount(uint32_t operand) const {
    auto it = readers.find(operand);
    return it == readers.end() ? 0 : it->second.size();
  }
};

class Absorber {
 public:
  explicit Absorber(ir::Model& model) : model_(model) {}

  int run() {
    int removed = 0;
    while (rewriteOnce()) ++removed;
    model_.removeUnusedOperands();
    return removed;
  }

 private:
  bool rewriteOnce() {
    const Uses uses(model_);
    for (size_t i = 0; i < model_.operations().size(); ++i) {
      if (intoProducer(uses, i) || intoConsumers(uses, i)) return true;
    }
    return false;
  }

  const ir::Operand& operand(uint32_t index) const { return model_.operands().at(index); }
  bool isOutput(uint32_t index) const {
    const auto& outputs = model_.outputs();
    return std::find(outputs.begin(), outputs.end(), index) != outputs.end();
  }
  bool isFloatConstant(uint32_t index) const { return model_.isConstant(index) && operand(index).type == kF32; }
  std::vector<float> floats(uint32_t index) const {
    std::vector<float> values(elementCount(operand(index)));
    std::memcpy(values.data(), model_.constantData(index), values.size() * sizeof(float));
    return values;
  }
  // A new constant like `like` (type, dims, layout, name) holding `values`.
  uint32_t constantLike(uint32_t like, std::vector<float> values) {
    ir::Operand copy = operand(like);
    copy.buffer = -1;
    return model_.addConstant(copy, ConstBytes(std::move(values)));
  }
  int32_t fuseOf(const ir::Operation& operation) const {
    int32_t code = 0;
    std::memcpy(&code, model_.constantData(operation.inputs.at(fuseInputIndex(operation))), sizeof code);
    return code;
  }

  // `constant` as one value per output channel of a weighted operation with `channels` of them: one element
  // broadcast, or every extent 1 but the last.
  std::optional<std::vector<float>> perChannel(uint32_t constant, uint32_t channels) const {
    const std::vector<float> values = floats(constant);
    if (values.size() == 1) return std::vector<float>(channels, values[0]);
    const auto& dims = operand(constant).dims;
    if (values.size() != channels || dims.empty() || dims.back() != channels) return std::nullopt;
    return values;
  }

  // Filter of weighted operation `operation` with output channel k scaled by factors[k]: CONV_2D, GROUPED_CONV_2D
  // [Cout, KH, KW, Cin(/G)] and FULLY_CONNECTED [units, input] hold a channel per leading index,
  // DEPTHWISE_CONV_2D [1, KH, KW, Cout] per last index.
  void scaleFilter(ir::Operation& operation, const std::vector<float>& factors) {
    const uint32_t filter = operation.inputs[1];
    std::vector<float> values = floats(filter);
    const size_t channels = factors.size(), per_channel = values.size() / channels;
    const bool channel_last = operation.type == ANEURALNETWORKS_DEPTHWISE_CONV_2D;
    for (size_t i = 0; i < values.size(); ++i) values[i] *= factors[channel_last ? i % channels : i / per_channel];
    operation.inputs[1] = constantLike(filter, std::move(values));
  }

  // Rewrites 1 and 2: operation i is ADD/SUB/MUL/DIV of a weighted operation's output and a constant.
  bool intoProducer(const Uses& uses, size_t i) {
    auto& operations = model_.mutableOperations();
    const ir::Operation& op = operations[i];
    const bool additive = op.type == ANEURALNETWORKS_ADD || op.type == ANEURALNETWORKS_SUB;
    const bool multiplicative = op.type == ANEURALNETWORKS_MUL || op.type == ANEURALNETWORKS_DIV;
    if (!additive && !multiplicative) return false;
    // SUB and DIV only with the constant second (t - c, t / c); ADD and MUL either way.
    const bool commutes = op.type == ANEURALNETWORKS_ADD || op.type == ANEURALNETWORKS_MUL;
    const size_t tensor_side = model_.isConstant(op.inputs[0]) && commutes ? 1 : 0;
    const uint32_t t = op.inputs[tensor_side], c = op.inputs[1 - tensor_side];
    auto source = uses.producer.find(t);
    if (source == uses.producer.end() || !isFloatConstant(c) || operand(t).type != kF32) return false;
    if (uses.readerCount(t) != 1 || isOutput(t) || operand(op.outputs[0]).dims != operand(t).dims) return false;
    ir::Operation& producer = operations[source->second];
    if (!isWeighted(producer.type) || fuseOf(producer) != ANEURALNETWORKS_FUSED_NONE) return false;
    const uint32_t filter = producer.inputs[1], bias = producer.inputs[2];
    if (!isFloatConstant(filter) || !isFloatConstant(bias)) return false;
    const auto values = perChannel(c, operand(t).dims.back());
    if (!values) return false;

    std::vector<float> new_bias = floats(bias);
    for (size_t k = 0; k < new_bias.size(); ++k) {
      const float v = (*values)[k];
      switch (op.type) {
        case ANEURALNETWORKS_ADD: new_bias[k] += v; break;
        case ANEURALNETWORKS_SUB: new_bias[k] -= v; break;
        case ANEURALNETWORKS_MUL: new_bias[k] *= v; break;
        default: new_bias[k] /= v; break;
      }
    }
    if (multiplicative) {
      std::vector<float> factors = *values;
      if (op.type == ANEURALNETWORKS_DIV)
        for (float& f : factors) f = 1.0f / f;
      scaleFilter(producer, factors);
    }
    producer.inputs[2] = constantLike(bias, std::move(new_bias));
    producer.inputs[fuseInputIndex(producer)] = model_.addScalarInt32(fuseOf(op));
    producer.outputs[0] = op.outputs[0];
    operations.erase(operations.begin() + static_cast<std::ptrdiff_t>(i));
    return true;
  }

  // Whether a factor on operand `s`, input `position` of operation `op`, comes out as the same factor on its
  // output (the operation is linear in that input and has no fused activation).
  bool passesFactor(const ir::Operation& op, size_t position) const {
    switch (op.type) {
      case ANEURALNETWORKS_MUL: return fuseOf(op) == ANEURALNETWORKS_FUSED_NONE && position < 2;
      case ANEURALNETWORKS_AVERAGE_POOL_2D: {
        const size_t fuse = op.inputs.size() >= 10 ? 9 : 6;  // explicit or implicit padding
        int32_t code = 0;
        std::memcpy(&code, model_.constantData(op.inputs[fuse]), sizeof code);
        return position == 0 && code == ANEURALNETWORKS_FUSED_NONE;
      }
      case ANEURALNETWORKS_MEAN:
      case ANEURALNETWORKS_RESHAPE:
      case ANEURALNETWORKS_TRANSPOSE:
      case ANEURALNETWORKS_SQUEEZE: return position == 0;
      default: return false;
    }
  }

  // Rewrite 3: operation i is MUL(h, k) with k a one-element constant.
  bool intoConsumers(const Uses& uses, size_t i) {
    auto& operations = model_.mutableOperations();
    const ir::Operation& op = operations[i];
    if (op.type != ANEURALNETWORKS_MUL || fuseOf(op) != ANEURALNETWORKS_FUSED_NONE) return false;
    const size_t k_side = model_.isConstant(op.inputs[1]) ? 1 : 0;
    const uint32_t k = op.inputs[k_side], h = op.inputs[1 - k_side];
    if (!isFloatConstant(k) || elementCount(operand(k)) != 1 || model_.isConstant(h) || operand(h).type != kF32)
      return false;
    if (operand(op.outputs[0]).dims != operand(h).dims) return false;
    // Every operand carrying the factor, and the weighted operations that take it.
    std::set<uint32_t> carrying{op.outputs[0]};
    std::vector<uint32_t> frontier{op.outputs[0]};
    std::set<size_t> absorbers;
    while (!frontier.empty()) {
      const uint32_t s = frontier.back();
      frontier.pop_back();
      if (isOutput(s)) return false;
      auto readers = uses.readers.find(s);
      if (readers == uses.readers.end()) return false;
      for (size_t r : readers->second) {
        const ir::Operation& reader = operations[r];
        const size_t position =
            static_cast<size_t>(std::find(reader.inputs.begin(), reader.inputs.end(), s) - reader.inputs.begin());
        if (std::count(reader.inputs.begin(), reader.inputs.end(), s) != 1) return false;  // s * s: k squared
        if (isWeighted(reader.type) && position == 0 && isFloatConstant(reader.inputs[1])) {
          absorbers.insert(r);
          continue;
        }
        if (!passesFactor(reader, position)) return false;
        // A second carrying input would multiply the factors.
        for (size_t j = 0; j < reader.inputs.size(); ++j)
          if (j != position && carrying.count(reader.inputs[j])) return false;
        const uint32_t out = reader.outputs[0];
        if (operand(out).type != kF32) return false;
        if (carrying.insert(out).second) frontier.push_back(out);
      }
    }
    const float factor = floats(k)[0];
    for (size_t a : absorbers) {
      ir::Operation& absorber = operations[a];
      const uint32_t channels = operand(absorber.outputs[0]).dims.back();
      scaleFilter(absorber, std::vector<float>(channels, factor));
    }
    const uint32_t product = op.outputs[0];
    for (ir::Operation& reader : operations)
      std::replace(reader.inputs.begin(), reader.inputs.end(), product, h);
    operations.erase(operations.begin() + static_cast<std::ptrdiff_t>(i));
    return true;
  }

  ir::Model& model_;
};

}  // namespace

int absorbConstants(ir::Model& model) { return Absorber(model).run(); }

}  // namespace nnc
