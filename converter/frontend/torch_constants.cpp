#include "frontend/torch_constants.h"

#include <cstring>

namespace nnc {
namespace {

DType dtypeOf(at::ScalarType type) {
  switch (type) {
    case at::kFloat: return DType::Float32;
    case at::kDouble: return DType::Float64;
    case at::kInt: return DType::Int32;
    case at::kLong: return DType::Int64;
    case at::kByte: return DType::UInt8;
    case at::kChar: return DType::Int8;
    case at::kBool: return DType::Bool;
    case at::kQUInt8: return DType::QUInt8;
    case at::kQInt8: return DType::QInt8;
    case at::kQInt32: return DType::QInt32;
    default: return DType::Other;
  }
}

}  // namespace

ConstTensor toConstTensor(const at::Tensor& tensor) {
  ConstTensor result;
  at::Tensor t = tensor.contiguous();
  result.dtype = dtypeOf(t.scalar_type());
  result.shape = t.sizes().vec();
  if (t.is_quantized()) {
    if (t.qscheme() == at::kPerTensorAffine || t.qscheme() == at::kPerTensorSymmetric) {
      result.scale = t.q_scale();
      result.zero_point = t.q_zero_point();
    } else {
      result.channel_axis = t.q_per_channel_axis();
      const at::Tensor scales = t.q_per_channel_scales().to(at::kDouble).contiguous();
      const at::Tensor zero_points = t.q_per_channel_zero_points().to(at::kLong).contiguous();
      result.channel_scales.assign(scales.data_ptr<double>(), scales.data_ptr<double>() + scales.numel());
      result.channel_zero_points.assign(zero_points.data_ptr<int64_t>(),
                                        zero_points.data_ptr<int64_t>() + zero_points.numel());
    }
    t = t.int_repr().contiguous();
  }
  // A view that keeps the tensor alive: no copy of the weight (t is the graph's own tensor when it was contiguous).
  const auto* bytes = static_cast<const uint8_t*>(t.data_ptr());
  result.bytes = ConstBytes(std::make_shared<const at::Tensor>(t), bytes, t.numel() * t.element_size());
  return result;
}

namespace {

// Calls method `name` of a TorchScript object (a custom class such as Conv2dPackedParamsBase) with no arguments.
c10::IValue callMethod(const c10::IValue& object, const char* name) {
  torch::jit::Function* method = object.type()->expectRef<c10::ClassType>().findMethod(name);
  if (!method) throw std::runtime_error(std::string("packed parameters without a ") + name + "() method");
  torch::jit::Stack stack{object};
  method->run(stack);
  return stack.back();
}

std::vector<int64_t> intsOf(const c10::IValue& value) {
  std::vector<int64_t> ints;
  for (const c10::IValue& element : value.toListRef()) ints.push_back(element.toInt());
  return ints;
}

// The packed weights of quantized::conv2d / quantized::linear: unpack() gives (weight, bias?), conv's geometry
// comes from its own methods.
std::optional<PackedWeights> toPackedWeights(const c10::IValue& value) {
  const std::string type = value.type()->str();
  const bool conv = type == "__torch__.torch.classes.quantized.Conv2dPackedParamsBase";
  const bool linear = type == "__torch__.torch.classes.quantized.LinearPackedParamsBase";
  if (!conv && !linear) return std::nullopt;
  PackedWeights packed;
  packed.kind = conv ? PackedWeights::Kind::Conv2d : PackedWeights::Kind::Linear;
  const c10::IValue unpacked = callMethod(value, "unpack");
  const auto& elements = unpacked.toTupleRef().elements();
  packed.weight = toConstTensor(elements.at(0).toTensor());
  if (elements.size() > 1 && elements[1].isTensor() && elements[1].toTensor().defined()) {
    packed.bias = toConstTensor(elements[1].toTensor().to(at::kFloat));
  }
  if (conv) {
    packed.stride = intsOf(callMethod(value, "stride"));
    packed.padding = intsOf(callMethod(value, "padding"));
    packed.dilation = intsOf(callMethod(value, "dilation"));
    packed.output_padding = intsOf(callMethod(value, "output_padding"));
    packed.groups = callMethod(value, "groups").toInt();
    packed.transposed = callMethod(value, "transpose").toBool();
  }
  return packed;
}

}  // namespace

std::optional<Constant> toConstant(const c10::IValue& value) {
  if (value.isNone()) return Constant{NoneValue{}};
  if (value.isBool()) return Constant{value.toBool()};
  if (value.isInt()) return Constant{value.toInt()};
  if (value.isDouble()) return Constant{value.toDouble()};
  if (value.isString()) return Constant{value.toStringRef()};
  if (value.isIntList()) return Constant{value.toIntVector()};
  if (value.isDoubleList()) return Constant{value.toDoubleVector()};
  if (value.isBoolList()) {
    std::vector<bool> flags;
    for (bool b : value.toBoolList()) flags.push_back(b);
    return Constant{flags};
  }
  if (value.isTensor()) {
    const at::Tensor& tensor = value.toTensor();
    if (!tensor.defined()) return Constant{NoneValue{}};
    return Constant{toConstTensor(tensor)};
  }
  if (value.isTensorList()) {
    std::vector<ConstTensor> tensors;
    for (const at::Tensor& tensor : value.toTensorVector()) {
      if (!tensor.defined()) return std::nullopt;
      tensors.push_back(toConstTensor(tensor));
    }
    return Constant{std::move(tensors)};
  }
  // Devices, dtypes, layouts and memory formats are arguments PyTorch passes around; as constants they are ints.
  if (value.isDevice()) return Constant{std::string(value.toDevice().str())};
  if (value.isObject()) {
    if (auto packed = toPackedWeights(value)) return Constant{std::move(*packed)};
  }
  return std::nullopt;
}

}  // namespace nnc

namespace nnc {

std::optional<c10::IValue> toIValue(const Constant& constant) {
  struct Visitor {
    std::optional<c10::IValue> operator()(const NoneValue&) const { return c10::IValue(); }
    std::optional<c10::IValue> operator()(bool v) const { return c10::IValue(v); }
    std::optional<c10::IValue> operator()(int64_t v) const { return c10::IValue(v); }
    std::optional<c10::IValue> operator()(double v) const { return c10::IValue(v); }
    std::optional<c10::IValue> operator()(const std::string& v) const { return c10::IValue(v); }
    std::optional<c10::IValue> operator()(const std::vector<int64_t>& v) const { return c10::IValue(v); }
    std::optional<c10::IValue> operator()(const std::vector<double>& v) const { return c10::IValue(v); }
    std::optional<c10::IValue> operator()(const std::vector<bool>&) const { return std::nullopt; }
    std::optional<c10::IValue> operator()(const ConstTensor&) const { return std::nullopt; }
    std::optional<c10::IValue> operator()(const PackedWeights&) const { return std::nullopt; }
    std::optional<c10::IValue> operator()(const std::vector<ConstTensor>&) const { return std::nullopt; }
  };
  return std::visit(Visitor{}, constant);
}

}  // namespace nnc
