// Test helper: builds NNAPI models through the C API with terse calls, runs them on float buffers, and compares
// results with the float tolerance of reference §11.9.
#pragma once

#include <deque>
#include <initializer_list>
#include <vector>

#include "nnapi/NeuralNetworks.h"

namespace host_test {

using Dims = std::vector<uint32_t>;

class ModelBuilder {
 public:
  ModelBuilder();
  ~ModelBuilder();
  ModelBuilder(const ModelBuilder&) = delete;
  ModelBuilder& operator=(const ModelBuilder&) = delete;

  ANeuralNetworksModel* model() const { return model_; }

  // Operands; each returns the new operand's index (and fails the test if the call is rejected).
  uint32_t tensor(int32_t type, const Dims& dims, float scale = 0.0f, int32_t zeroPoint = 0);
  // A constant of any type from raw bytes.
  uint32_t constTensor(int32_t type, const Dims& dims, float scale, int32_t zeroPoint, const void* bytes, size_t n);
  uint32_t f32(const Dims& dims) { return tensor(ANEURALNETWORKS_TENSOR_FLOAT32, dims); }
  uint32_t constF32(const Dims& dims, const std::vector<float>& values);
  uint32_t constI32Tensor(const Dims& dims, const std::vector<int32_t>& values);
  // An optional float32 input left out (setOperandValue(NULL, 0)).
  uint32_t omittedF32(const Dims& dims);
  uint32_t i32(int32_t value);
  uint32_t f32Scalar(float value);
  uint32_t boolean(bool value);

  // Returns the result code, so tests can check rejections.
  int op(int32_t type, const std::vector<uint32_t>& inputs, const std::vector<uint32_t>& outputs);
  int io(const std::vector<uint32_t>& inputs, const std::vector<uint32_t>& outputs);
  int finish();

 private:
  uint32_t scalar(int32_t type, const void* value, size_t bytes);

  ANeuralNetworksModel* model_ = nullptr;
  uint32_t count_ = 0;
  std::deque<std::vector<uint8_t>> keepAlive_;  // values > 128 bytes are referenced, not copied, by NNAPI
};

// Compiles `model` and runs it once with raw input bytes; output i gets outputBytes[i] bytes. Returns the
// execution's result code; outputs are filled even when it is not NO_ERROR.
int runBytes(ANeuralNetworksModel* model, const std::vector<std::vector<uint8_t>>& inputs,
             const std::vector<size_t>& outputBytes, std::vector<std::vector<uint8_t>>* outputs);

// runBytes for float inputs and outputs; output i gets outputSizes[i] floats. Returns the
// execution's result code; outputs are filled even when it is not NO_ERROR.
int runF32(ANeuralNetworksModel* model, const std::vector<std::vector<float>>& inputs,
           const std::vector<size_t>& outputSizes, std::vector<std::vector<float>>* outputs);

// Checks |actual - expected| <= 1e-5 + 5 * 2^-23 * |expected| per element (reference §11.9, float32).
void requireClose(const std::vector<float>& actual, const std::vector<float>& expected);

}  // namespace host_test
