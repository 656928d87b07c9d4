// Inputs, model-byte tensors and printed outputs shared by the tests of converted modules and the fresh processes
// that load them (load_module_main.cpp and run_saved_module.py: the same inputs, the same printed text).
#pragma once

#include <ATen/ATen.h>
#include <ATen/core/ivalue.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace nnc_test {

// Input k of the given shape holds 0.5·i − 3 + 4·k at flat index i (multiples of 0.5: exact in float32).
inline std::vector<c10::IValue> moduleInputs(const std::vector<std::vector<int64_t>>& shapes) {
  std::vector<c10::IValue> inputs;
  for (size_t k = 0; k < shapes.size(); ++k) {
    int64_t count = 1;
    for (int64_t extent : shapes[k]) count *= extent;
    inputs.emplace_back(at::arange(count, at::kFloat).reshape(shapes[k]) * 0.5 - 3 + 4 * static_cast<int64_t>(k));
  }
  return inputs;
}

// A uint8 tensor holding a copy of serialized model bytes, as a converted module's partition holds them.
inline at::Tensor bytesTensor(const std::string& serialized) {
  at::Tensor bytes = at::empty({static_cast<int64_t>(serialized.size())}, at::kByte);
  std::memcpy(bytes.data_ptr<uint8_t>(), serialized.data(), serialized.size());
  return bytes;
}

// A float tensor's values in logical (row-major) order.
inline std::vector<float> floatValues(const at::Tensor& tensor) {
  const at::Tensor flat = tensor.contiguous().reshape({-1});
  return std::vector<float>(flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel());
}

// "tensor" or "tuple <n>", then one line per output tensor: "[2,3] v0 v1 ..." with %.9g values.
inline std::string formatModuleOutputs(const c10::IValue& result) {
  std::vector<at::Tensor> tensors;
  std::string text;
  if (result.isTuple()) {
    for (const c10::IValue& element : result.toTupleRef().elements()) tensors.push_back(element.toTensor());
    text = "tuple " + std::to_string(tensors.size()) + "\n";
  } else {
    tensors.push_back(result.toTensor());
    text = "tensor\n";
  }
  for (const at::Tensor& tensor : tensors) {
    std::string line = "[";
    for (int64_t d = 0; d < tensor.dim(); ++d) line += (d ? "," : "") + std::to_string(tensor.size(d));
    line += "]";
    for (float element : floatValues(tensor)) {
      char value[32];
      std::snprintf(value, sizeof(value), " %.9g", static_cast<double>(element));
      line += value;
    }
    text += line + "\n";
  }
  return text;
}

}  // namespace nnc_test
