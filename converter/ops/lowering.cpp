#include "ops/lowering.h"

#include "nnapi/NeuralNetworks.h"

namespace nnc {
namespace {

std::string describeKind(const Value& value) {
  switch (value.kind) {
    case Value::Kind::Unknown: return "a value that could not be lowered";
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

}  // namespace

int64_t normalizeDim(int64_t dim, size_t rank) {
  const int64_t r = static_cast<int64_t>(rank);
  if (dim < -r || dim >= r) {
    throw Unsupported("dimension " + std::to_string(dim) + " is out of range for rank " + std::to_string(rank));
  }
  return dim < 0 ? dim + r : dim;
}

std::vector<uint32_t> physicalDims(const std::vector<int64_t>& s, ir::Layout layout) {
  std::vector<uint32_t> dims(s.begin(), s.end());
  if (layout == ir::Layout::ChannelsLast) {
    if (s.size() != 4) throw std::logic_error("channels-last layout needs a 4-D shape");
    dims = {uint32_t(s[0]), uint32_t(s[2]), uint32_t(s[3]), uint32_t(s[1])};
  }
  return dims;
}

std::vector<float> nchwToNhwc(const std::vector<float>& v, const std::vector<int64_t>& s) {
  const int64_t n = s[0], c = s[1], h = s[2], w = s[3];
  std::vector<float> out(v.size());
  for (int64_t in = 0; in < n; ++in)
    for (int64_t ic = 0; ic < c; ++ic)
      for (int64_t ih = 0; ih < h; ++ih)
        for (int64_t iw = 0; iw < w; ++iw)
          out[((in * h + ih) * w + iw) * c + ic] = v[((in * c + ic) * h + ih) * w + iw];
  return out;
}

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

uint32_t LoweringContext::operandInput(size_t i, ir::Layout layout) {
  const Value& value = input(i);
  if (value.kind == Value::Kind::Tensor) return value.operand;
  if (const auto* tensor = constantAs<ConstTensor>(value)) {
    require(tensor->dtype == DType::Float32 || tensor->dtype == DType::Float64,
            "constant tensor input " + std::to_string(i) + " is not floating point");
    std::vector<float> values = tensor->toFloats();
    if (layout == ir::Layout::ChannelsLast) values = nchwToNhwc(values, tensor->shape);
    return f32Tensor(physicalDims(tensor->shape, layout), values, layout, value.name);
  }
  throw Unsupported("input " + std::to_string(i) + " must be a tensor, got " + describeKind(value));
}

std::vector<uint32_t> LoweringContext::operandListInput(size_t i) {
  const Value& list = input(i);
  require(list.kind == Value::Kind::List, "input " + std::to_string(i) + " must be a list of tensors");
  std::vector<uint32_t> operands;
  for (ValueId id : list.elements) {
    const Value& element = state_.values.at(id);
    require(element.kind == Value::Kind::Tensor, "every element of input " + std::to_string(i) +
                                                     " must be a tensor computed by the model");
    operands.push_back(element.operand);
  }
  return operands;
}

std::vector<int64_t> LoweringContext::torchShape(uint32_t index) const {
  const ir::Operand& o = operand(index);
  std::vector<int64_t> shape(o.dims.begin(), o.dims.end());
  if (o.layout == ir::Layout::ChannelsLast) shape = {shape[0], shape[3], shape[1], shape[2]};
  return shape;
}

uint32_t LoweringContext::toLayout(uint32_t index, ir::Layout want) {
  // A copy: emitting below adds operands and may move the model's operand table.
  const ir::Operand source = operand(index);
  if (source.layout == want) return index;
  auto cached = state_.layout_cache.find({index, want});
  if (cached != state_.layout_cache.end()) return cached->second;

  const std::string name = source.name + " as " + ir::layoutName(want);
  uint32_t result = 0;
  if (source.layout == ir::Layout::Contiguous && want == ir::Layout::ChannelsLast) {
    require(source.dims.size() == 4, "a channels-last map must be 4-D");
    // NCHW -> NHWC.
    result = emit(ANEURALNETWORKS_TRANSPOSE, {index, i32Tensor({0, 2, 3, 1})},
                  {ir::Layout::ChannelsLast, {}, {}, name});
  } else if (source.layout == ir::Layout::ChannelsLast && want == ir::Layout::Contiguous) {
    // NHWC -> NCHW.
    result = emit(ANEURALNETWORKS_TRANSPOSE, {index, i32Tensor({0, 3, 1, 2})}, {ir::Layout::Contiguous, {}, {}, name});
  } else if (source.layout == ir::Layout::ChannelsLastFlattened && want == ir::Layout::Contiguous) {
    // [N, H*W*C] -> [N,H,W,C] -> [N,C,H,W] -> [N, C*H*W]: PyTorch's flatten order.
    const std::vector<uint32_t>& chw = source.flattened_chw;
    const int32_t n = static_cast<int32_t>(source.dims[0]);
    const uint32_t map = emit(ANEURALNETWORKS_RESHAPE,
                              {index, i32Tensor({n, int32_t(chw[1]), int32_t(chw[2]), int32_t(chw[0])})},
                              {ir::Layout::ChannelsLast, {}, {}, name});
    const uint32_t nchw = toLayout(map, ir::Layout::Contiguous);
    result = emit(ANEURALNETWORKS_RESHAPE, {nchw, i32Tensor({n, int32_t(chw[0] * chw[1] * chw[2])})},
                  {ir::Layout::Contiguous, {}, {}, name});
  } else {
    throw Unsupported(std::string("cannot convert a ") + ir::layoutName(source.layout) + " tensor to " +
                      ir::layoutName(want));
  }
  state_.layout_cache[{index, want}] = result;
  return result;
}

uint32_t LoweringContext::emit(int32_t op, std::vector<uint32_t> inputs, ir::OutputSpec output) {
  if (output.name.empty()) output.name = outputName();
  return state_.model.addOperation(op, std::move(inputs), std::move(output), node_.describe());
}

std::vector<uint32_t> LoweringContext::emitMany(int32_t op, std::vector<uint32_t> inputs,
                                                std::vector<ir::OutputSpec> outputs) {
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (outputs[i].name.empty()) outputs[i].name = outputName(i);
  }
  return state_.model.addOperation(op, std::move(inputs), std::move(outputs), node_.describe());
}

uint32_t LoweringContext::f32Tensor(std::vector<uint32_t> dims, const std::vector<float>& values, ir::Layout layout,
                                    const std::string& name) {
  return state_.model.addTensorFloat32(std::move(dims), values, layout, name.empty() ? outputName() : name);
}

void LoweringContext::setOutput(size_t i, uint32_t operand) {
  Value& value = state_.values.at(node_.outputs.at(i));
  value.kind = Value::Kind::Tensor;
  value.operand = operand;
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
