#include "compiled_model.h"

#include "feature_level.h"
#include "format.h"
#include "printable_text.h"

#include <ATen/ops/_empty_affine_quantized.h>
#include <ATen/ops/empty.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>

#include <c10/util/Exception.h>

#include "digest/sha256.h"

namespace nnapi_convert::runtime {
namespace {

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("nnapi-convert runtime: " + what); }

// The torch dtype whose elements are exactly an NNAPI tensor type's. 8-bit quantized operands are torch's
// per-tensor quantized tensors (as in PyTorch's own NNAPI binding), scale and zero point checked on the way in
// and set on the way out; 16-bit ones, which torch cannot quantize to, travel as their raw integers.
bool torchDtypeOf(int32_t operand_type, at::ScalarType& dtype) {
  switch (operand_type) {
    case ANEURALNETWORKS_TENSOR_FLOAT32: dtype = at::kFloat; return true;
    case ANEURALNETWORKS_TENSOR_FLOAT16: dtype = at::kHalf; return true;
    case ANEURALNETWORKS_TENSOR_INT32: dtype = at::kInt; return true;
    case ANEURALNETWORKS_TENSOR_QUANT8_ASYMM: dtype = at::kQUInt8; return true;
    case ANEURALNETWORKS_TENSOR_QUANT8_ASYMM_SIGNED: dtype = at::kQInt8; return true;
    case ANEURALNETWORKS_TENSOR_QUANT8_SYMM: dtype = at::kQInt8; return true;
    case ANEURALNETWORKS_TENSOR_QUANT16_SYMM: dtype = at::kShort; return true;
    case ANEURALNETWORKS_TENSOR_BOOL8: dtype = at::kBool; return true;
    default: return false;
  }
}

int64_t elementCount(const std::vector<int64_t>& shape) {
  int64_t count = 1;
  for (int64_t extent : shape) count *= extent;
  return count;
}

}  // namespace

std::array<uint8_t, 32> cacheToken(const uint8_t* model_bytes, size_t size) {
  return nnapi_digest::Sha256().update("nnapi-convert compilation cache token 1").update(model_bytes, size).finish();
}

bool CompiledModel::Io::fully_known() const {
  for (uint32_t dim : dims) {
    if (dim == 0) return false;
  }
  return true;
}

std::vector<CompiledModel::Io> CompiledModel::describeIo(
    const schema::Model& model, const flatbuffers::Vector<flatbuffers::Offset<schema::IoInfo>>& list,
    const char* role) {
  std::vector<Io> result;
  for (uint32_t i = 0; i < list.size(); ++i) {
    const schema::IoInfo& info = *list.Get(i);
    const schema::Operand& operand = *model.operands()->Get(info.operand());
    Io io;
    io.name = std::string(role) + " " + std::to_string(i);
    if (info.name() != nullptr && info.name()->size() > 0) io.name += " '" + printableText(info.name()->str()) + "'";
    io.operand_type = operand.type();
    io.scale = operand.scale();
    io.zero_point = operand.zero_point();
    io.dims.assign(operand.dimensions()->begin(), operand.dimensions()->end());
    io.torch_shape.assign(info.torch_shape()->begin(), info.torch_shape()->end());
    if (!torchDtypeOf(io.operand_type, io.dtype)) {
      fail("model " + io.name + " has NNAPI operand type " + std::to_string(io.operand_type) +
           ", which no torch dtype represents");
    }
    result.push_back(std::move(io));
  }
  return result;
}

CompiledModel::CompiledModel(at::Tensor model_bytes, const NnapiFunctions& nnapi, std::vector<at::Tensor> weights,
                             const std::string& cache_dir)
    : model_bytes_(std::move(model_bytes)),
      weights_(std::move(weights)),
      nnapi_(nnapi),
      model_(nullptr, nnapi.ANeuralNetworksModel_free),
      compilation_(nullptr, nnapi.ANeuralNetworksCompilation_free) {
  if (!model_bytes_.defined() || model_bytes_.scalar_type() != at::kByte || !model_bytes_.device().is_cpu()) {
    fail("the serialized model must be a uint8 CPU tensor");
  }
  model_bytes_ = model_bytes_.contiguous();
  // The flatbuffer's layout assumes a 16-byte aligned start; a tensor viewing the middle of other memory (a
  // slice, torch.frombuffer) may not be, and fresh storage is.
  if (reinterpret_cast<uintptr_t>(model_bytes_.data_ptr()) % 16 != 0) model_bytes_ = model_bytes_.clone();
  const schema::Model& model =
      verifyModelBuffer(model_bytes_.data_ptr<uint8_t>(), static_cast<size_t>(model_bytes_.numel()), weights_);
  inputs_ = describeIo(model, *model.inputs(), "input");
  outputs_ = describeIo(model, *model.outputs(), "output");
  for (const Io& output : outputs_) {
    // Unknown extents start at 1; a run that needs more learns the size from NNAPI and records it here.
    int64_t capacity = 1;
    for (int64_t extent : output.torch_shape) capacity *= extent > 0 ? extent : 1;
    output_capacities_.push_back(capacity);
  }

  // A device older than the model would refuse some operation; say why in the model's terms instead.
  const int64_t device_level = nnapiFeatureLevel(nnapi_);
  if (device_level < model.min_feature_level()) {
    fail("this NNAPI partition needs " + describeFeatureLevel(model.min_feature_level()) + "; the device has " +
         describeFeatureLevel(device_level));
  }
  if (model.relax_fp16() && nnapi_.ANeuralNetworksModel_relaxComputationFloat32toFloat16 == nullptr) {
    TORCH_WARN_ONCE("nnapi-convert runtime: the model was converted with --relax-fp16, but this NNAPI library lacks "
                    "ANeuralNetworksModel_relaxComputationFloat32toFloat16 (Android 9, API 28): float32 is computed "
                    "at full precision");
  }
  model_ = buildNnapiModel(nnapi_, model, weights_);
  ANeuralNetworksCompilation* compilation = nullptr;
  checkNnapiResult(nnapi_.ANeuralNetworksCompilation_create(model_.get(), &compilation),
                   "ANeuralNetworksCompilation_create");
  compilation_.reset(compilation);
  checkNnapiResult(nnapi_.ANeuralNetworksCompilation_setPreference(compilation, model.preference()),
                   "ANeuralNetworksCompilation_setPreference", "preference " + std::to_string(model.preference()));
  if (!cache_dir.empty()) setCaching(compilation, cache_dir);
  checkNnapiResult(nnapi_, nnapi_.ANeuralNetworksCompilation_finish(compilation), "ANeuralNetworksCompilation_finish");
}

void CompiledModel::setCaching(ANeuralNetworksCompilation* compilation, const std::string& cache_dir) const {
  if (nnapi_.ANeuralNetworksCompilation_setCaching == nullptr) {
    TORCH_WARN_ONCE("nnapi-convert runtime: a compilation cache directory is set (", cache_dir,
                    "), but this NNAPI library lacks ANeuralNetworksCompilation_setCaching (Android 10, API 29): "
                    "compiling without a cache");
    return;
  }
  std::error_code error;
  std::filesystem::create_directories(cache_dir, error);
  if (error || !std::filesystem::is_directory(cache_dir, error)) {
    TORCH_WARN_ONCE("nnapi-convert runtime: the compilation cache directory ", cache_dir,
                    " does not exist and cannot be created (", error.message(), "): compiling without a cache");
    return;
  }
  const std::array<uint8_t, 32> token =
      cacheToken(model_bytes_.data_ptr<uint8_t>(), static_cast<size_t>(model_bytes_.numel()));
  checkNnapiResult(nnapi_.ANeuralNetworksCompilation_setCaching(compilation, cache_dir.c_str(), token.data()),
                   "ANeuralNetworksCompilation_setCaching", cache_dir);
}

at::Tensor CompiledModel::checkedInput(const at::Tensor& tensor, size_t index) const {
  const Io& io = inputs_[index];
  if (!tensor.defined()) fail(io.name + " is an undefined tensor");
  if (!tensor.device().is_cpu()) fail(io.name + " is on " + tensor.device().str() + "; NNAPI reads CPU tensors");
  if (tensor.scalar_type() != io.dtype) {
    fail(io.name + " has dtype " + c10::toString(tensor.scalar_type()) + ", but the model expects " +
         c10::toString(io.dtype));
  }
  if (at::isQIntType(io.dtype)) {
    if (tensor.qscheme() != at::kPerTensorAffine) {
      fail(io.name + " is quantized " + c10::toString(tensor.qscheme()) + ", but the model expects per_tensor_affine");
    }
    // NNAPI holds the scale as a float; torch as a double.
    if (static_cast<float>(tensor.q_scale()) != io.scale || tensor.q_zero_point() != io.zero_point) {
      fail(io.name + " has scale " + std::to_string(tensor.q_scale()) + " and zero point " +
           std::to_string(tensor.q_zero_point()) + ", but the model expects scale " + std::to_string(io.scale) +
           " and zero point " + std::to_string(io.zero_point));
    }
  }
  const std::vector<int64_t> shape = tensor.sizes().vec();
  bool matches = shape.size() == io.torch_shape.size();
  for (size_t i = 0; matches && i < shape.size(); ++i) {
    matches = io.torch_shape[i] < 0 || io.torch_shape[i] == shape[i];
  }
  if (!matches) {
    fail(io.name + " has shape " + listText(shape) + ", but the model was converted for shape " +
         listText(io.torch_shape) + " (-1: any extent)");
  }
  return tensor.contiguous();
}

std::vector<at::Tensor> CompiledModel::allocateOutputs(const std::vector<int64_t>& capacities) const {
  std::vector<at::Tensor> outputs;
  for (size_t o = 0; o < outputs_.size(); ++o) {
    const Io& io = outputs_[o];
    // An output of unknown shape gets a flat buffer, cut to the reported shape after the run.
    const std::vector<int64_t> shape = io.fully_known() ? io.torch_shape : std::vector<int64_t>{capacities[o]};
    const at::TensorOptions options = at::TensorOptions().dtype(io.dtype);
    outputs.push_back(at::isQIntType(io.dtype) ? at::_empty_affine_quantized(shape, options, io.scale, io.zero_point)
                                               : at::empty(shape, options));
  }
  return outputs;
}

std::vector<int64_t> CompiledModel::reportedShape(ANeuralNetworksExecution* execution, size_t output) const {
  const Io& io = outputs_[output];
  if (nnapi_.ANeuralNetworksExecution_getOutputOperandRank == nullptr ||
      nnapi_.ANeuralNetworksExecution_getOutputOperandDimensions == nullptr) {
    fail("model " + io.name + " has unknown dimensions, but the NNAPI library (feature level < 3) cannot report "
         "output shapes (no ANeuralNetworksExecution_getOutputOperandRank/Dimensions)");
  }
  // Both calls also answer OUTPUT_INSUFFICIENT_SIZE for the output that was too small, with the values filled.
  const auto accept = [&](int code, const char* call) {
    if (code != ANEURALNETWORKS_OUTPUT_INSUFFICIENT_SIZE) checkNnapiResult(code, call, io.name);
  };
  const int32_t index = static_cast<int32_t>(output);
  uint32_t rank = 0;
  accept(nnapi_.ANeuralNetworksExecution_getOutputOperandRank(execution, index, &rank),
         "ANeuralNetworksExecution_getOutputOperandRank");
  std::vector<uint32_t> dims(rank);
  accept(nnapi_.ANeuralNetworksExecution_getOutputOperandDimensions(execution, index, dims.data()),
         "ANeuralNetworksExecution_getOutputOperandDimensions");
  return std::vector<int64_t>(dims.begin(), dims.end());
}

int CompiledModel::execute(const std::vector<at::Tensor>& inputs, const std::vector<at::Tensor>& outputs,
                           std::vector<std::vector<int64_t>>& reported_shapes) const {
  ANeuralNetworksExecution* raw = nullptr;
  checkNnapiResult(nnapi_.ANeuralNetworksExecution_create(compilation_.get(), &raw),
                   "ANeuralNetworksExecution_create");
  const ExecutionHandle execution(raw, nnapi_.ANeuralNetworksExecution_free);

  for (size_t i = 0; i < inputs.size(); ++i) {
    const Io& io = inputs_[i];
    // Dimensions the model leaves unknown are given by this run's tensor; known ones need no operand type.
    const std::vector<uint32_t> dims(inputs[i].sizes().begin(), inputs[i].sizes().end());
    const ANeuralNetworksOperandType type{io.operand_type, static_cast<uint32_t>(dims.size()), dims.data(), io.scale,
                                          io.zero_point};
    checkNnapiResult(nnapi_.ANeuralNetworksExecution_setInput(raw, static_cast<int32_t>(i),
                                                              io.fully_known() ? nullptr : &type,
                                                              inputs[i].data_ptr(), inputs[i].nbytes()),
                     "ANeuralNetworksExecution_setInput", io.name);
  }
  for (size_t o = 0; o < outputs.size(); ++o) {
    checkNnapiResult(nnapi_.ANeuralNetworksExecution_setOutput(raw, static_cast<int32_t>(o), nullptr,
                                                               outputs[o].data_ptr(), outputs[o].nbytes()),
                     "ANeuralNetworksExecution_setOutput", outputs_[o].name);
  }

  int result = ANEURALNETWORKS_NO_ERROR;
  if (nnapi_.ANeuralNetworksExecution_compute != nullptr) {
    result = nnapi_.ANeuralNetworksExecution_compute(raw);
  } else {  // feature levels 1-2 have only the asynchronous form
    ANeuralNetworksEvent* event = nullptr;
    result = nnapi_.ANeuralNetworksExecution_startCompute(raw, &event);
    if (result == ANEURALNETWORKS_NO_ERROR) result = nnapi_.ANeuralNetworksEvent_wait(event);
    nnapi_.ANeuralNetworksEvent_free(event);
  }
  if (result != ANEURALNETWORKS_OUTPUT_INSUFFICIENT_SIZE) {
    checkNnapiResult(result, nnapi_.ANeuralNetworksExecution_compute ? "ANeuralNetworksExecution_compute"
                                                                      : "ANeuralNetworksExecution_startCompute");
  }

  reported_shapes.assign(outputs_.size(), {});
  for (size_t o = 0; o < outputs_.size(); ++o) {
    if (!outputs_[o].fully_known()) reported_shapes[o] = reportedShape(raw, o);
  }
  return result;
}

std::optional<int64_t> CompiledModel::runTimeExtent(const std::vector<at::Tensor>& inputs) const {
  std::optional<int64_t> extent;
  for (size_t i = 0; i < inputs.size(); ++i) {
    for (size_t d = 0; d < inputs_[i].dims.size(); ++d) {
      if (inputs_[i].dims[d] != 0) continue;
      if (extent && *extent != inputs[i].size(int64_t(d))) return std::nullopt;
      extent = inputs[i].size(int64_t(d));
    }
  }
  return extent;
}

int64_t CompiledModel::elementCountAt(const Io& output, int64_t extent) {
  int64_t count = 1;
  for (int64_t d : output.torch_shape) count *= d < 0 ? extent : d;
  return count;
}

std::vector<at::Tensor> CompiledModel::run(const std::vector<at::Tensor>& inputs) const {
  if (inputs.size() != inputs_.size()) {
    std::string expected;
    for (const Io& io : inputs_) expected += (expected.empty() ? "" : ", ") + io.name;
    fail("the model takes " + std::to_string(inputs_.size()) + " inputs (" + expected + "), got " +
         std::to_string(inputs.size()));
  }
  std::vector<at::Tensor> ready;
  for (size_t i = 0; i < inputs.size(); ++i) ready.push_back(checkedInput(inputs[i], i));

  std::vector<int64_t> capacities;
  {
    const std::lock_guard<std::mutex> lock(capacity_mutex_);
    capacities = output_capacities_;
  }
  if (const std::optional<int64_t> extent = runTimeExtent(ready)) {
    for (size_t o = 0; o < outputs_.size(); ++o) {
      if (!outputs_[o].fully_known()) capacities[o] = std::max(capacities[o], elementCountAt(outputs_[o], *extent));
    }
  }
  std::vector<at::Tensor> outputs = allocateOutputs(capacities);
  std::vector<std::vector<int64_t>> shapes;
  if (execute(ready, outputs, shapes) == ANEURALNETWORKS_OUTPUT_INSUFFICIENT_SIZE) {
    // Only outputs of unknown shape can be too small: run again with what NNAPI says they need.
    for (size_t o = 0; o < outputs_.size(); ++o) {
      if (!outputs_[o].fully_known()) capacities[o] = std::max<int64_t>(elementCount(shapes[o]), 1);
    }
    outputs = allocateOutputs(capacities);
    const int retried = execute(ready, outputs, shapes);
    checkNnapiResult(retried, "ANeuralNetworksExecution_compute", "again, with outputs of the reported size");
    const std::lock_guard<std::mutex> lock(capacity_mutex_);
    output_capacities_ = capacities;
  }
  for (size_t o = 0; o < outputs_.size(); ++o) {
    if (!outputs_[o].fully_known()) outputs[o] = outputs[o].narrow(0, 0, elementCount(shapes[o])).view(shapes[o]);
  }
  return outputs;
}

}  // namespace nnapi_convert::runtime
