#include "ops/lowering.h"

#include <algorithm>

#include "ops/weight_layout.h"

#include "nnapi/NeuralNetworks.h"
#include "validation/operation_rules.h"

namespace nnc {
namespace {

std::string describeKind(const Value& value) {
  switch (value.kind) {
    case Value::Kind::Unknown: return "a value known only when the model runs";
    case Value::Kind::Tensor: return "a tensor computed by the model";
    case Value::Kind::List: return "a list";
    case Value::Kind::Constant: return "a constant";
  }
  return "?";
}

template <typename T>
const T* constantAs(const Value& value) {
  return value.kind == Value::Kind::Constant ? std::get_if<T>(&value.constant) : nullptr;
}

std::string levelShortfall(const std::string& what, int needed, int target) {
  return what + " needs " + nnapi_rules::describeLevel(needed) + "; the target is " +
         nnapi_rules::describeLevel(target) + " (--min-api)";
}

}  // namespace

PartitionState& LoweringState::openPartition() {
  if (open < 0) {
    partitions.emplace_back(feature_level);
    open = static_cast<int>(partitions.size()) - 1;
  }
  return partitions[open];
}

const BoundaryInput* PartitionState::inputFor(uint32_t operand) const {
  for (const BoundaryInput& input : inputs) {
    if (input.operand == operand) return &input;
  }
  return nullptr;
}

int64_t normalizeDim(int64_t dim, size_t rank) {
  const int64_t r = static_cast<int64_t>(rank);
  if (dim < -r || dim >= r) {
    throw Unsupported("dimension " + std::to_string(dim) + " is out of range for rank " + std::to_string(rank));
  }
  return dim < 0 ? dim + r : dim;
}

ir::Layout channelsLastOfRank(size_t rank) {
  if (rank == 4) return ir::Layout::ChannelsLast;
  if (rank == 3) return ir::Layout::ChannelsLast1d;
  return ir::Layout::Contiguous;
}

bool isChannelsLast(ir::Layout layout) {
  return layout == ir::Layout::ChannelsLast || layout == ir::Layout::ChannelsLast1d;
}

std::vector<uint32_t> physicalDims(const std::vector<int64_t>& s, ir::Layout layout) {
  std::vector<uint32_t> dims(s.begin(), s.end());
  if (isChannelsLast(layout)) {
    if (channelsLastOfRank(s.size()) != layout) {
      throw std::logic_error(std::string(ir::layoutName(layout)) + " layout does not hold a " +
                             std::to_string(s.size()) + "-D shape");
    }
    // [N,C,spatial...] -> [N,spatial...,C]
    std::rotate(dims.begin() + 1, dims.begin() + 2, dims.end());
  }
  return dims;
}

// The same permutation as a convolution filter's OIHW -> OHWI; a 3-D [N,C,L] is the map [N,C,1,L].
std::vector<float> nchwToNhwc(const std::vector<float>& v, const std::vector<int64_t>& s) {
  if (s.size() == 3) return OIHW_to_OHWI(v, {s[0], s[1], 1, s[2]});
  return OIHW_to_OHWI(v, s);
}

int64_t product(const std::vector<int64_t>& shape, size_t begin, size_t end) {
  int64_t p = 1;
  for (size_t i = begin; i < shape.size() && i < end; ++i) p *= shape[i];
  return p;
}

size_t runTimeExtentCount(const std::vector<int64_t>& shape) {
  return static_cast<size_t>(std::count(shape.begin(), shape.end(), int64_t{0}));
}

std::vector<int32_t> reshapeTarget(const std::vector<int64_t>& shape) {
  if (runTimeExtentCount(shape) > 1) {
    throw std::logic_error("reshapeTarget: more than one extent fixed only at run time; RESHAPE infers only one");
  }
  std::vector<int32_t> target;
  for (int64_t extent : shape) target.push_back(extent == 0 ? -1 : static_cast<int32_t>(extent));
  return target;
}

std::vector<int64_t> LoweringContext::logicalShape(const ir::Operand& o) {
  std::vector<int64_t> shape(o.dims.begin(), o.dims.end());
  // [N,spatial...,C] -> [N,C,spatial...]
  if (isChannelsLast(o.layout)) std::rotate(shape.begin() + 1, shape.end() - 1, shape.end());
  return shape;
}

// ---------------- the support question ----------------

bool LoweringContext::hasOperation(int32_t op, int32_t type) const {
  const int level = nnapi_rules::operationLevel(op, type);
  return level != 0 && level <= featureLevel();
}

bool LoweringContext::hasFeature(nnapi_rules::Feature feature) const {
  return nnapi_rules::featureLevel(feature) <= featureLevel() && formatLimitation(format(), feature).empty();
}

void LoweringContext::requireOperation(int32_t op, int32_t type) const {
  const int level = nnapi_rules::operationLevel(op, type);
  const std::string what = nnapi_rules::operationName(op) + " on " + nnapi_rules::operandTypeName(type);
  require(level != 0, "NNAPI has no " + what);
  require(level <= featureLevel(), levelShortfall(what, level, featureLevel()));
}

void LoweringContext::requireOperation(int32_t op, int32_t type, const std::string& use) const {
  const int level = nnapi_rules::operationLevel(op, type);
  const std::string what = use + " uses " + nnapi_rules::operationName(op) + " on " +
                           nnapi_rules::operandTypeName(type);
  require(level != 0, what + ", which NNAPI does not have");
  require(level <= featureLevel(), levelShortfall(what + ", which", level, featureLevel()));
}

void LoweringContext::requireFeature(nnapi_rules::Feature feature, int32_t op) const {
  const int level = nnapi_rules::featureLevel(feature);
  require(level <= featureLevel(), levelShortfall(nnapi_rules::operationName(op) + " with " +
                                                      nnapi_rules::featureName(feature), level, featureLevel()));
  const std::string limitation = formatLimitation(format(), feature);
  require(limitation.empty(), nnapi_rules::operationName(op) + ": " + limitation);
}

void LoweringContext::requireLayout(size_t i, ir::Layout want) const {
  tensor(i);  // Unsupported unless input i is a tensor
  requireLayoutOf(node_.inputs[i], want);
}

void LoweringContext::requireLayoutOf(ValueId value, ir::Layout want) const {
  const ir::Operand& t = tensorOf(value);
  if (t.layout == want) return;
  const bool plain_pair = (t.layout == ir::Layout::Contiguous && isChannelsLast(want)) ||
                          (isChannelsLast(t.layout) && want == ir::Layout::Contiguous);
  const bool unflatten = t.layout == ir::Layout::ChannelsLastFlattened && want == ir::Layout::Contiguous;
  require(plain_pair || unflatten, std::string("cannot convert a ") + ir::layoutName(t.layout) + " tensor to " +
                                       ir::layoutName(want));
  require(!isChannelsLast(want) || channelsLastOfRank(t.dims.size()) == want,
          std::string("a ") + ir::layoutName(want) + " map must be " +
              (want == ir::Layout::ChannelsLast ? "4-D [N,C,H,W]" : "3-D [N,C,L]"));
  // The TorchScript wrapper permutes what enters a partition; inside one only TRANSPOSE can.
  if (computedInOpenPartition(value)) {
    const int level = nnapi_rules::operationLevel(ANEURALNETWORKS_TRANSPOSE, t.type);
    require(level != 0 && level <= featureLevel(),
            levelShortfall("changing a tensor's layout inside NNAPI (TRANSPOSE)", level, featureLevel()));
  }
}

bool LoweringContext::heldIn(size_t i, ir::Layout layout) const {
  if (!isTensor(i)) return false;
  const ValueId id = node_.inputs[i];
  if (tensorOf(id).layout == layout) return true;
  if (state_.open < 0) return false;
  const PartitionState& partition = state_.partitions[state_.open];
  if (partition.imports.count({id, layout})) return true;
  const Value& value = state_.values.at(id);
  uint32_t operand = value.partition_operand;
  if (!computedInOpenPartition(id)) {
    auto imported = partition.imports.find({id, value.tensor.layout});
    if (imported == partition.imports.end()) return false;
    operand = imported->second;
  }
  return partition.layout_cache.count({operand, layout}) > 0;
}

// ---------------- inputs ----------------

const Value& LoweringContext::input(size_t i) const {
  if (i >= node_.inputs.size()) {
    throw Unsupported(node_.kind + " has " + std::to_string(node_.inputs.size()) + " inputs, expected more than " +
                      std::to_string(i));
  }
  return state_.values.at(node_.inputs[i]);
}

bool LoweringContext::isNone(size_t i) const { return constantAs<NoneValue>(input(i)) != nullptr; }
bool LoweringContext::isTensor(size_t i) const { return input(i).kind == Value::Kind::Tensor; }
bool LoweringContext::isConstTensor(size_t i) const { return constantAs<ConstTensor>(input(i)) != nullptr; }

int64_t LoweringContext::intInput(size_t i) const {
  if (const auto* v = constantAs<int64_t>(input(i))) return *v;
  if (const auto* b = constantAs<bool>(input(i))) return *b;
  throw Unsupported("input " + std::to_string(i) + " must be an int known at convert time, got " +
                    describeKind(input(i)));
}

double LoweringContext::doubleInput(size_t i) const {
  if (const auto* v = constantAs<double>(input(i))) return *v;
  if (const auto* v = constantAs<int64_t>(input(i))) return static_cast<double>(*v);
  throw Unsupported("input " + std::to_string(i) + " must be a number known at convert time, got " +
                    describeKind(input(i)));
}

bool LoweringContext::boolInput(size_t i) const {
  if (const auto* v = constantAs<bool>(input(i))) return *v;
  if (const auto* v = constantAs<int64_t>(input(i))) return *v != 0;
  throw Unsupported("input " + std::to_string(i) + " must be a bool known at convert time, got " +
                    describeKind(input(i)));
}

std::vector<int64_t> LoweringContext::intListInput(size_t i) const {
  if (const auto* v = constantAs<std::vector<int64_t>>(input(i))) return *v;
  if (const auto* v = constantAs<int64_t>(input(i))) return {*v};
  throw Unsupported("input " + std::to_string(i) + " must be a list of ints known at convert time, got " +
                    describeKind(input(i)));
}

const ConstTensor& LoweringContext::constTensorInput(size_t i) const {
  if (const auto* v = constantAs<ConstTensor>(input(i))) return *v;
  throw Unsupported("input " + std::to_string(i) + " must be a constant tensor (a weight), got " +
                    describeKind(input(i)));
}

const std::vector<ConstTensor>& LoweringContext::constTensorListInput(size_t i) const {
  if (const auto* v = constantAs<std::vector<ConstTensor>>(input(i))) return *v;
  throw Unsupported("input " + std::to_string(i) + " must be a list of constant tensors (weights), got " +
                    describeKind(input(i)));
}

const PackedWeights& LoweringContext::packedWeightsInput(size_t i) const {
  if (const auto* v = constantAs<PackedWeights>(input(i))) return *v;
  throw Unsupported("input " + std::to_string(i) + " must be a quantized layer's packed weights, got " +
                    describeKind(input(i)));
}

const ir::Operand& LoweringContext::tensorOf(ValueId id) const {
  const Value& value = state_.values.at(id);
  if (value.kind != Value::Kind::Tensor) throw Unsupported("expected a tensor computed by the model, got " +
                                                           describeKind(value));
  // A value of the open partition is read from its model, which passes may have refined since.
  if (computedInOpenPartition(id)) return state_.partitions[state_.open].model.operands().at(value.partition_operand);
  return value.tensor;
}

const ir::Operand& LoweringContext::tensor(size_t i) const {
  if (!isTensor(i)) {
    throw Unsupported("input " + std::to_string(i) + " must be a tensor computed by the model, got " +
                      describeKind(input(i)));
  }
  return tensorOf(node_.inputs[i]);
}

std::vector<ValueId> LoweringContext::tensorListInput(size_t i) const {
  const Value& list = input(i);
  require(list.kind == Value::Kind::List, "input " + std::to_string(i) + " must be a list of tensors");
  for (ValueId id : list.elements) {
    require(state_.values.at(id).kind == Value::Kind::Tensor,
            "every element of input " + std::to_string(i) + " must be a tensor computed by the model");
  }
  return list.elements;
}

std::vector<ValueId> LoweringContext::tensorOrConstantListInput(size_t i) const {
  const Value& list = input(i);
  require(list.kind == Value::Kind::List, "input " + std::to_string(i) + " must be a list of tensors");
  bool any_computed = false;
  for (ValueId id : list.elements) {
    const bool computed = state_.values.at(id).kind == Value::Kind::Tensor;
    require(computed || floatConstantOf(id), "every element of input " + std::to_string(i) +
                                                 " must be a tensor computed by the model or a float constant");
    any_computed = any_computed || computed;
  }
  require(any_computed, "no element of input " + std::to_string(i) + " is computed by the model");
  return list.elements;
}

const ConstTensor* LoweringContext::floatConstantOf(ValueId id) const {
  const ConstTensor* tensor = constantAs<ConstTensor>(state_.values.at(id));
  return tensor && (tensor->dtype == DType::Float32 || tensor->dtype == DType::Float64) ? tensor : nullptr;
}

bool LoweringContext::computedInOpenPartition(ValueId id) const {
  const Value& value = state_.values.at(id);
  return value.kind == Value::Kind::Tensor && state_.open >= 0 && value.partition == state_.open;
}

// ---------------- emission ----------------

const ir::Operand& LoweringContext::operand(uint32_t index) const {
  if (state_.open < 0) throw std::logic_error("no open partition to read operand " + std::to_string(index) + " of");
  return state_.partitions[state_.open].model.operands().at(index);
}

uint32_t LoweringContext::importValue(ValueId id, ir::Layout layout) {
  PartitionState& partition = state_.openPartition();
  auto found = partition.imports.find({id, layout});
  if (found != partition.imports.end()) return found->second;
  const ir::Operand& described = tensorOf(id);
  ir::Operand copy = described;
  if (layout != copy.layout) {
    copy.dims = physicalDims(logicalShape(described), layout);
    copy.layout = layout;
    copy.flattened_chw.clear();
  }
  const uint32_t operand = partition.model.addInput(copy.type, copy.dims, copy.layout, state_.values.at(id).name,
                                                    copy.scale, copy.zero_point);
  partition.model.mutableOperand(operand).flattened_chw = copy.flattened_chw;
  partition.imports[{id, layout}] = operand;
  partition.inputs.push_back({id, operand, layout});
  return operand;
}

uint32_t LoweringContext::operandOf(ValueId id) {
  const Value& value = state_.values.at(id);
  if (value.kind != Value::Kind::Tensor) throw std::logic_error("operandOf: value " + value.name + " is not a tensor");
  if (computedInOpenPartition(id)) return value.partition_operand;
  return importValue(id, value.tensor.layout);
}

uint32_t LoweringContext::operandOf(ValueId id, ir::Layout layout) {
  // Below feature level 2 (no TRANSPOSE) the wrapper hands the value over in the layout wanted.
  if (!computedInOpenPartition(id) && !hasOperation(ANEURALNETWORKS_TRANSPOSE, state_.values.at(id).tensor.type)) {
    return importValue(id, layout);
  }
  return toLayout(operandOf(id), layout);
}

uint32_t LoweringContext::operandInput(size_t i) {
  const Value& value = input(i);
  if (value.kind == Value::Kind::Tensor) return operandOf(node_.inputs[i]);
  return operandInput(i, ir::Layout::Contiguous);
}

uint32_t LoweringContext::operandInput(size_t i, ir::Layout layout) {
  const Value& value = input(i);
  if (value.kind == Value::Kind::Tensor) return operandOf(node_.inputs[i], layout);
  if (constantAs<ConstTensor>(value)) {
    require(floatConstantOf(node_.inputs[i]) != nullptr,
            "constant tensor input " + std::to_string(i) + " is not floating point");
    return constantOperandOf(node_.inputs[i], layout);
  }
  throw Unsupported("input " + std::to_string(i) + " must be a tensor, got " + describeKind(value));
}

uint32_t LoweringContext::constantOperandOf(ValueId id, ir::Layout layout) {
  const ConstTensor* tensor = floatConstantOf(id);
  if (!tensor) throw std::logic_error("constantOperandOf: value " + valueOf(id).name + " is not a float constant");
  if (tensor->dtype == DType::Float32 && !isChannelsLast(layout)) {  // PyTorch's bytes as they are: shared
    return model().addTensorFloat32(physicalDims(tensor->shape, layout), tensor->bytes, layout, valueOf(id).name);
  }
  std::vector<float> values = tensor->toFloats();
  if (isChannelsLast(layout)) values = nchwToNhwc(values, tensor->shape);
  return f32Tensor(physicalDims(tensor->shape, layout), std::move(values), layout, valueOf(id).name);
}

std::vector<uint32_t> LoweringContext::operandListInput(size_t i) {
  std::vector<uint32_t> operands;
  for (ValueId id : tensorListInput(i)) operands.push_back(operandOf(id));
  return operands;
}

uint32_t LoweringContext::toLayout(uint32_t index, ir::Layout want) {
  // A copy: emitting below adds operands and may move the model's operand table.
  const ir::Operand source = operand(index);
  if (source.layout == want) return index;
  PartitionState& partition = state_.openPartition();
  auto cached = partition.layout_cache.find({index, want});
  if (cached != partition.layout_cache.end()) return cached->second;

  uint32_t result = 0;
  const BoundaryInput* boundary = partition.inputFor(index);
  if (boundary && !hasOperation(ANEURALNETWORKS_TRANSPOSE, source.type)) {
    // Below feature level 2 there is no TRANSPOSE: the TorchScript wrapper hands the value over in `want`.
    result = importValue(boundary->value, want);
  } else {
    const std::string name = source.name + " as " + ir::layoutName(want);
    if (source.layout == ir::Layout::Contiguous && want == ir::Layout::ChannelsLast) {
      // NCHW -> NHWC.
      result = emit(ANEURALNETWORKS_TRANSPOSE, {index, i32Tensor({0, 2, 3, 1})},
                    {ir::Layout::ChannelsLast, {}, {}, name});
    } else if (source.layout == ir::Layout::ChannelsLast && want == ir::Layout::Contiguous) {
      // NHWC -> NCHW.
      result = emit(ANEURALNETWORKS_TRANSPOSE, {index, i32Tensor({0, 3, 1, 2})},
                    {ir::Layout::Contiguous, {}, {}, name});
    } else if (source.layout == ir::Layout::ChannelsLast1d || want == ir::Layout::ChannelsLast1d) {
      // [N,C,L] <-> [N,L,C]: the same swap both ways.
      result = emit(ANEURALNETWORKS_TRANSPOSE, {index, i32Tensor({0, 2, 1})}, {want, {}, {}, name});
    } else if (source.layout == ir::Layout::ChannelsLastFlattened && want == ir::Layout::Contiguous) {
      // [N, H*W*C] -> [N,H,W,C] -> [N,C,H,W] -> [N, C*H*W]: PyTorch's flatten order. N is left to RESHAPE (-1):
      // it may be fixed only at run time, while C, H and W are always known.
      const std::vector<uint32_t>& chw = source.flattened_chw;
      const int32_t n = -1;
      const uint32_t map = emit(ANEURALNETWORKS_RESHAPE,
                                {index, i32Tensor({n, int32_t(chw[1]), int32_t(chw[2]), int32_t(chw[0])})},
                                {ir::Layout::ChannelsLast, {}, {}, name});
      const uint32_t nchw = toLayout(map, ir::Layout::Contiguous);
      result = emit(ANEURALNETWORKS_RESHAPE, {nchw, i32Tensor({n, int32_t(chw[0] * chw[1] * chw[2])})},
                    {ir::Layout::Contiguous, {}, {}, name});
    } else {
      throw std::logic_error(std::string("toLayout: cannot convert a ") + ir::layoutName(source.layout) +
                             " tensor to " + ir::layoutName(want) + " (the support question should have said so)");
    }
  }
  partition.layout_cache[{index, want}] = result;
  return result;
}

uint32_t LoweringContext::emit(int32_t op, std::vector<uint32_t> inputs, ir::OutputSpec output) {
  if (output.name.empty()) output.name = outputName();
  return model().addOperation(op, std::move(inputs), std::move(output), node_.describe());
}

std::vector<uint32_t> LoweringContext::emitMany(int32_t op, std::vector<uint32_t> inputs,
                                                std::vector<ir::OutputSpec> outputs) {
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (outputs[i].name.empty()) outputs[i].name = outputName(i);
  }
  return model().addOperation(op, std::move(inputs), std::move(outputs), node_.describe());
}

uint32_t LoweringContext::f32Tensor(std::vector<uint32_t> dims, std::vector<float> values, ir::Layout layout,
                                    const std::string& name) {
  return model().addTensorFloat32(std::move(dims), std::move(values), layout, name.empty() ? outputName() : name);
}

uint32_t LoweringContext::f32Tensor(std::vector<uint32_t> dims, ConstBytes values, ir::Layout layout,
                                    const std::string& name) {
  return model().addTensorFloat32(std::move(dims), std::move(values), layout, name.empty() ? outputName() : name);
}

LoweringContext::WeightToReorder LoweringContext::floatWeightToReorder(size_t i) const {
  const ConstTensor& weight = constTensorInput(i);
  const bool rewritable = i < node_.rewritable_inputs.size() && node_.rewritable_inputs[i] &&
                          weight.dtype == DType::Float32;
  ConstBytes bytes = rewritable ? weight.bytes : ConstBytes(weight.toFloats());
  // ConstBytes is read-only by convention: these are a copy of our own, or bytes the frontend handed over.
  auto* values = reinterpret_cast<float*>(const_cast<uint8_t*>(bytes.data()));
  return {std::move(bytes), values};
}

void LoweringContext::weightMovedTo(size_t i, uint32_t operand, std::vector<int64_t> to_torch) {
  state_.weight_moves.push_back({node_.inputs.at(i), state_.open, operand, std::move(to_torch)});
}

void LoweringContext::setOutput(size_t i, uint32_t operand) {
  PartitionState& partition = state_.openPartition();
  if (const BoundaryInput* boundary = partition.inputFor(operand)) {
    // The output is a value the partition takes in (an identity op): it stays that value.
    if (boundary->layout == state_.values.at(boundary->value).tensor.layout) {
      setOutputAlias(i, boundary->value);
      return;
    }
  }
  Value& value = state_.values.at(node_.outputs.at(i));
  value.kind = Value::Kind::Tensor;
  value.partition = state_.open;
  value.partition_operand = operand;
  value.tensor = partition.model.operands().at(operand);
  value.tensor.buffer = -1;
}

void LoweringContext::setOutputAlias(size_t i, ValueId source) {
  Value& value = state_.values.at(node_.outputs.at(i));
  const std::string name = value.name;
  value = state_.values.at(source);
  value.name = name;
}

void LoweringContext::setOutputConstant(size_t i, Constant constant) {
  Value& value = state_.values.at(node_.outputs.at(i));
  value.kind = Value::Kind::Constant;
  value.constant = std::move(constant);
}

void LoweringContext::setOutputList(size_t i, std::vector<ValueId> elements) {
  Value& value = state_.values.at(node_.outputs.at(i));
  value.kind = Value::Kind::List;
  value.elements = std::move(elements);
}

std::string LoweringContext::outputName(size_t i) const {
  std::string name = i < node_.outputs.size() ? "%" + state_.values.at(node_.outputs[i]).name : node_.kind;
  if (!node_.scope.empty()) name += " (" + node_.scope + ")";
  return name;
}

}  // namespace nnc
