#include "model_builder.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>

namespace host_test {

ModelBuilder::ModelBuilder() { REQUIRE(ANeuralNetworksModel_create(&model_) == ANEURALNETWORKS_NO_ERROR); }

ModelBuilder::~ModelBuilder() { ANeuralNetworksModel_free(model_); }

uint32_t ModelBuilder::tensor(int32_t type, const Dims& dims, float scale, int32_t zeroPoint) {
  const ANeuralNetworksOperandType t{type, uint32_t(dims.size()), dims.empty() ? nullptr : dims.data(), scale,
                                     zeroPoint};
  REQUIRE(ANeuralNetworksModel_addOperand(model_, &t) == ANEURALNETWORKS_NO_ERROR);
  return count_++;
}

uint32_t ModelBuilder::constTensor(int32_t type, const Dims& dims, float scale, int32_t zeroPoint, const void* bytes,
                                   size_t n) {
  const uint32_t index = tensor(type, dims, scale, zeroPoint);
  keepAlive_.emplace_back(static_cast<const uint8_t*>(bytes), static_cast<const uint8_t*>(bytes) + n);
  REQUIRE(ANeuralNetworksModel_setOperandValue(model_, int32_t(index), keepAlive_.back().data(), n) ==
          ANEURALNETWORKS_NO_ERROR);
  return index;
}

uint32_t ModelBuilder::constF32(const Dims& dims, const std::vector<float>& values) {
  const uint32_t index = f32(dims);
  keepAlive_.emplace_back(reinterpret_cast<const uint8_t*>(values.data()),
                          reinterpret_cast<const uint8_t*>(values.data() + values.size()));
  REQUIRE(ANeuralNetworksModel_setOperandValue(model_, int32_t(index), keepAlive_.back().data(),
                                               keepAlive_.back().size()) == ANEURALNETWORKS_NO_ERROR);
  return index;
}

uint32_t ModelBuilder::omittedF32(const Dims& dims) {
  const uint32_t index = f32(dims);
  REQUIRE(ANeuralNetworksModel_setOperandValue(model_, int32_t(index), nullptr, 0) == ANEURALNETWORKS_NO_ERROR);
  return index;
}

uint32_t ModelBuilder::constI32Tensor(const Dims& dims, const std::vector<int32_t>& values) {
  const uint32_t index = tensor(ANEURALNETWORKS_TENSOR_INT32, dims);
  keepAlive_.emplace_back(reinterpret_cast<const uint8_t*>(values.data()),
                          reinterpret_cast<const uint8_t*>(values.data() + values.size()));
  REQUIRE(ANeuralNetworksModel_setOperandValue(model_, int32_t(index), keepAlive_.back().data(),
                                               keepAlive_.back().size()) == ANEURALNETWORKS_NO_ERROR);
  return index;
}

uint32_t ModelBuilder::scalar(int32_t type, const void* value, size_t bytes) {
  const uint32_t index = tensor(type, {});
  REQUIRE(ANeuralNetworksModel_setOperandValue(model_, int32_t(index), value, bytes) == ANEURALNETWORKS_NO_ERROR);
  return index;
}

uint32_t ModelBuilder::i32(int32_t value) { return scalar(ANEURALNETWORKS_INT32, &value, sizeof value); }
uint32_t ModelBuilder::f32Scalar(float value) { return scalar(ANEURALNETWORKS_FLOAT32, &value, sizeof value); }
uint32_t ModelBuilder::boolean(bool value) {
  const uint8_t v = value ? 1 : 0;
  return scalar(ANEURALNETWORKS_BOOL, &v, 1);
}

int ModelBuilder::op(int32_t type, const std::vector<uint32_t>& inputs, const std::vector<uint32_t>& outputs) {
  return ANeuralNetworksModel_addOperation(model_, type, uint32_t(inputs.size()), inputs.data(),
                                           uint32_t(outputs.size()), outputs.data());
}

int ModelBuilder::io(const std::vector<uint32_t>& inputs, const std::vector<uint32_t>& outputs) {
  return ANeuralNetworksModel_identifyInputsAndOutputs(model_, uint32_t(inputs.size()), inputs.data(),
                                                       uint32_t(outputs.size()), outputs.data());
}

int ModelBuilder::finish() { return ANeuralNetworksModel_finish(model_); }

int runBytes(ANeuralNetworksModel* model, const std::vector<std::vector<uint8_t>>& inputs,
             const std::vector<size_t>& outputBytes, std::vector<std::vector<uint8_t>>* outputs) {
  ANeuralNetworksCompilation* compilation = nullptr;
  REQUIRE(ANeuralNetworksCompilation_create(model, &compilation) == ANEURALNETWORKS_NO_ERROR);
  REQUIRE(ANeuralNetworksCompilation_finish(compilation) == ANEURALNETWORKS_NO_ERROR);
  ANeuralNetworksExecution* execution = nullptr;
  REQUIRE(ANeuralNetworksExecution_create(compilation, &execution) == ANEURALNETWORKS_NO_ERROR);
  for (size_t i = 0; i < inputs.size(); ++i)
    REQUIRE(ANeuralNetworksExecution_setInput(execution, int32_t(i), nullptr, inputs[i].data(), inputs[i].size()) ==
            ANEURALNETWORKS_NO_ERROR);
  outputs->assign(outputBytes.size(), {});
  for (size_t o = 0; o < outputBytes.size(); ++o) {
    (*outputs)[o].assign(outputBytes[o], 0xAB);
    REQUIRE(ANeuralNetworksExecution_setOutput(execution, int32_t(o), nullptr, (*outputs)[o].data(), outputBytes[o]) ==
            ANEURALNETWORKS_NO_ERROR);
  }
  const int rc = ANeuralNetworksExecution_compute(execution);
  ANeuralNetworksExecution_free(execution);
  ANeuralNetworksCompilation_free(compilation);
  return rc;
}

int runF32(ANeuralNetworksModel* model, const std::vector<std::vector<float>>& inputs,
           const std::vector<size_t>& outputSizes, std::vector<std::vector<float>>* outputs) {
  std::vector<std::vector<uint8_t>> inBytes, outBytes;
  for (const auto& in : inputs)
    inBytes.emplace_back(reinterpret_cast<const uint8_t*>(in.data()),
                         reinterpret_cast<const uint8_t*>(in.data() + in.size()));
  std::vector<size_t> sizes;
  for (size_t n : outputSizes) sizes.push_back(n * sizeof(float));
  const int rc = runBytes(model, inBytes, sizes, &outBytes);
  outputs->assign(outputSizes.size(), {});
  for (size_t o = 0; o < outputSizes.size(); ++o) {
    (*outputs)[o].resize(outputSizes[o]);
    std::memcpy((*outputs)[o].data(), outBytes[o].data(), outBytes[o].size());
  }
  return rc;
}

void requireClose(const std::vector<float>& actual, const std::vector<float>& expected) {
  REQUIRE(actual.size() == expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    const double tolerance = 1e-5 + 5.0 * std::ldexp(1.0, -23) * std::fabs(expected[i]);
    INFO("element " << i << ": actual " << actual[i] << ", expected " << expected[i]);
    CHECK(std::fabs(double(actual[i]) - expected[i]) <= tolerance);
  }
}

}  // namespace host_test
