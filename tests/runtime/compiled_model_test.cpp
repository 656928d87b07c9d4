// Hand-built models run end to end on the desktop NNAPI through CompiledModel, the object behind
// torch.classes.nnapi_convert.Model. Expected values are worked out by hand in the comments; every input and
// weight is a small integer or half-integer, so float32 results are exact and compared exactly.
#include "compiled_model.h"
#include "module_io.h"
#include "test_models.h"

#include <catch2/catch.hpp>

#include <ATen/ATen.h>
#include <ATen/core/dispatch/Dispatcher.h>

#include <atomic>
#include <cstring>
#include <random>
#include <thread>

using namespace nnapi_convert::runtime;
using namespace nnc_test;
using Catch::Matchers::Contains;

namespace {

CompiledModel compile(const ModelSpec& spec, const NnapiFunctions& nnapi = nnapiLibrary().functions) {
  return CompiledModel(bytesTensor(serialize(spec)), nnapi);
}

at::Tensor floats(std::vector<float> values, at::IntArrayRef shape) {
  return at::tensor(values, at::kFloat).reshape(shape);
}

// a + b = {-0.5, 3, 1, -1, 1, -1.5}; RELU keeps {0, 3, 1, 0, 1, 0}.
const at::Tensor kA = floats({-1, 2, -3, 4, -5, 6}, {2, 3});
const at::Tensor kB = floats({0.5f, 1, 4, -5, 6, -7.5f}, {2, 3});
const std::vector<float> kReluSum = {0, 3, 1, 0, 1, 0};
const std::vector<float> kSum = {-0.5f, 3, 1, -1, 1, -1.5f};

}  // namespace

TEST_CASE("ADD with fused RELU runs on the desktop NNAPI", "[runtime][e2e]") {
  const CompiledModel model = compile(addReluModel());
  const std::vector<at::Tensor> outputs = model.run({kA, kB});
  REQUIRE(outputs.size() == 1);
  CHECK(outputs[0].sizes().vec() == std::vector<int64_t>{2, 3});
  CHECK(floatValues(outputs[0]) == kReluSum);
  // A compiled model runs again, each run with its own execution and fresh outputs.
  const std::vector<at::Tensor> again = model.run({kA, kB});
  CHECK(again[0].data_ptr() != outputs[0].data_ptr());
  CHECK(floatValues(again[0]) == kReluSum);
}

TEST_CASE("Two outputs come back in model order", "[runtime][e2e]") {
  const std::vector<at::Tensor> outputs = compile(addTwoOutputsModel()).run({kA, kB});
  REQUIRE(outputs.size() == 2);
  CHECK(floatValues(outputs[0]) == kReluSum);
  CHECK(floatValues(outputs[1]) == kSum);
}

TEST_CASE("8-bit quantized inputs and outputs are torch quantized tensors", "[runtime][e2e]") {
  // Every value of kA, kB and kA + kB is a multiple of the scale 0.5 inside [-64, 63.5]: quantization and the
  // quantized ADD (equal scales: a pure integer sum, nnapi-reference §11.2) are exact.
  const auto quantize = [](const at::Tensor& tensor, double scale, int64_t zero_point) {
    return at::quantize_per_tensor(tensor, scale, zero_point, at::kQUInt8);
  };
  const CompiledModel model = compile(addQuant8Model());
  const std::vector<at::Tensor> outputs = model.run({quantize(kA, 0.5, 128), quantize(kB, 0.5, 128)});
  REQUIRE(outputs[0].scalar_type() == at::kQUInt8);
  CHECK(outputs[0].q_scale() == 0.5);
  CHECK(outputs[0].q_zero_point() == 128);
  CHECK(floatValues(outputs[0].dequantize()) == kSum);
  CHECK_THROWS_WITH(model.run({quantize(kA, 0.25, 128), quantize(kB, 0.5, 128)}),
                    "nnapi-convert runtime: input 0 'a' has scale 0.250000 and zero point 128, but the model "
                    "expects scale 0.500000 and zero point 128");
  CHECK_THROWS_WITH(model.run({kA, kB}),
                    "nnapi-convert runtime: input 0 'a' has dtype Float, but the model expects QUInt8");
}

TEST_CASE("Per-channel quantized weights reach NNAPI with their channel scales", "[runtime][e2e]") {
  // x = {1, 2}: y0 = 1·1 + 2·1 + 0.5 = 3.5, y1 = 1·2 + 2·1 + 0 = 4. Accumulators in units of 0.5·channel scale
  // (14 · 0.25 and 32 · 0.125) requantize to the output scale 0.5 with multipliers 0.5 and 0.25: exact.
  const at::Tensor x = at::quantize_per_tensor(floats({1, 2}, {1, 1, 1, 2}), 0.5, 0, at::kQUInt8);
  const std::vector<at::Tensor> outputs = compile(perChannelConv2dModel()).run({x});
  CHECK(floatValues(outputs[0].dequantize()) == std::vector<float>{3.5f, 4});
}

TEST_CASE("Several threads can run one compiled model at once", "[runtime][e2e]") {
  const CompiledModel model = compile(addTwoOutputsModel());
  std::atomic<int> wrong{0};  // Catch's assertions are not thread-safe: count here, check after joining
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        try {
          const std::vector<at::Tensor> outputs = model.run({kA, kB});
          if (floatValues(outputs[0]) != kReluSum || floatValues(outputs[1]) != kSum) ++wrong;
        } catch (const std::exception&) {
          ++wrong;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(wrong == 0);
}

TEST_CASE("A non-contiguous input is passed in logical order", "[runtime][e2e]") {
  const at::Tensor a_transposed_twice = kA.t().contiguous().t();  // same values, strides {1, 2}
  REQUIRE_FALSE(a_transposed_twice.is_contiguous());
  CHECK(floatValues(compile(addReluModel()).run({a_transposed_twice, kB})[0]) == kReluSum);
}

TEST_CASE("A constant larger than 128 bytes is read from the model bytes", "[runtime][e2e]") {
  // out[i] = a[i] + c[i] = i + 0.5·i = 1.5·i
  const at::Tensor a = at::arange(40, at::kFloat).reshape({4, 10});
  const std::vector<at::Tensor> outputs = compile(addLargeConstantModel()).run({a});
  std::vector<float> expected(40);
  for (size_t i = 0; i < expected.size(); ++i) expected[i] = 1.5f * static_cast<float>(i);
  CHECK(floatValues(outputs[0]) == expected);
}

TEST_CASE("A constant held in a weight tensor is read from that tensor", "[runtime][e2e]") {
  // The same model with c only in weight tensor 0 (the flatbuffer holds none of its bytes): out = 1.5·i again.
  ModelSpec spec = addLargeConstantModel();
  spec.operands[1].weight_tensor = 0;
  const at::Tensor c = floatWeightTensor(spec.operands[1]);
  const CompiledModel model(bytesTensor(serialize(spec)), nnapiLibrary().functions, {c});
  const std::vector<at::Tensor> outputs = model.run({at::arange(40, at::kFloat).reshape({4, 10})});
  std::vector<float> expected(40);
  for (size_t i = 0; i < expected.size(); ++i) expected[i] = 1.5f * static_cast<float>(i);
  CHECK(floatValues(outputs[0]) == expected);
}

TEST_CASE("CONV_2D runs on the desktop NNAPI", "[runtime][e2e]") {
  // x (H×W) = 1 2 3 / 4 5 6 / 7 8 9. Output [1,2,2,2] (NHWC), at (oh,ow):
  //   channel 0: 1·x[oh][ow] + 2·x[oh][ow+1] + 3·x[oh+1][ow] + 4·x[oh+1][ow+1] + 0.5 = 37.5, 47.5, 67.5, 77.5
  //   channel 1: 2·x[oh+1][ow+1] − 1 = 9, 11, 15, 17
  const at::Tensor x = at::arange(1, 10, at::kFloat).reshape({1, 3, 3, 1});
  const std::vector<at::Tensor> outputs = compile(conv2dModel()).run({x});
  CHECK(outputs[0].sizes().vec() == std::vector<int64_t>{1, 2, 2, 2});
  CHECK(floatValues(outputs[0]) == std::vector<float>{37.5f, 9, 47.5f, 11, 67.5f, 15, 77.5f, 17});
}

TEST_CASE("Without ANeuralNetworksExecution_compute (feature level < 3) runs use startCompute", "[runtime][e2e]") {
  NnapiFunctions level2 = nnapiLibrary().functions;
  level2.ANeuralNetworksExecution_compute = nullptr;
  CHECK(floatValues(compile(addReluModel(), level2).run({kA, kB})[0]) == kReluSum);
}

TEST_CASE("An output of unknown shape gets the shape NNAPI reports", "[runtime][e2e]") {
  ModelSpec spec = addTwoOutputsModel();
  spec.operands[3].dims = {0, 3};
  spec.outputs[0].torch_shape = {-1, 3};
  const CompiledModel model = compile(spec);
  for (int run = 0; run < 2; ++run) {  // the first run learns the size, the second uses it
    const std::vector<at::Tensor> outputs = model.run({kA, kB});
    CHECK(outputs[0].sizes().vec() == std::vector<int64_t>{2, 3});
    CHECK(floatValues(outputs[0]) == kReluSum);
    CHECK(floatValues(outputs[1]) == kSum);
  }
}

namespace {

// ANeuralNetworksExecution_compute, counted: how many executions a run needed.
std::atomic<int> computeCalls{0};
int countedCompute(ANeuralNetworksExecution* execution) {
  ++computeCalls;
  return nnapiLibrary().functions.ANeuralNetworksExecution_compute(execution);
}

}  // namespace

TEST_CASE("A batch left unknown in the model is given by each run's inputs and sized from them", "[runtime][e2e]") {
  ModelSpec spec = addReluModel();  // relu(a + b), with [?, 3] inputs and output
  for (uint32_t operand : {0u, 1u, 3u}) spec.operands[operand].dims = {0, 3};
  spec.inputs[0].torch_shape = spec.inputs[1].torch_shape = spec.outputs[0].torch_shape = {-1, 3};
  NnapiFunctions counted = nnapiLibrary().functions;
  counted.ANeuralNetworksExecution_compute = countedCompute;
  const CompiledModel model = compile(spec, counted);
  for (const int64_t batch : {2, 1, 4}) {
    const at::Tensor a = kA.repeat({2, 1}).narrow(0, 0, batch), b = kB.repeat({2, 1}).narrow(0, 0, batch);
    computeCalls = 0;
    const std::vector<at::Tensor> outputs = model.run({a, b});
    CHECK(computeCalls == 1);  // the output was allocated for this batch: no OUTPUT_INSUFFICIENT_SIZE and rerun
    CHECK(outputs[0].sizes().vec() == std::vector<int64_t>{batch, 3});
    CHECK(floatValues(outputs[0]) == floatValues(at::relu(a + b)));
  }
  // Inputs whose run-time extents disagree (b broadcast over a) give no size to start from: a fresh model's first
  // run learns it from NNAPI.
  const CompiledModel broadcasting = compile(spec, counted);
  computeCalls = 0;
  const at::Tensor three = kA.repeat({2, 1}).narrow(0, 0, 3);
  const std::vector<at::Tensor> outputs = broadcasting.run({three, kB.narrow(0, 0, 1)});
  CHECK(computeCalls == 2);
  CHECK(outputs[0].sizes().vec() == std::vector<int64_t>{3, 3});
  CHECK(floatValues(outputs[0]) == floatValues(at::relu(three + kB.narrow(0, 0, 1))));
}

TEST_CASE("Inputs that do not fit the model are refused with input, expected and actual named", "[runtime][e2e]") {
  const CompiledModel model = compile(addReluModel());
  CHECK_THROWS_WITH(model.run({kA}),
                    "nnapi-convert runtime: the model takes 2 inputs (input 0 'a', input 1 'b'), got 1");
  CHECK_THROWS_WITH(model.run({kA, kB.reshape({3, 2})}),
                    "nnapi-convert runtime: input 1 'b' has shape [3,2], but the model was converted for shape "
                    "[2,3] (-1: any extent)");
  CHECK_THROWS_WITH(model.run({kA.to(at::kDouble), kB}),
                    "nnapi-convert runtime: input 0 'a' has dtype Double, but the model expects Float");
  CHECK_THROWS_WITH(model.run({at::Tensor(), kB}), "nnapi-convert runtime: input 0 'a' is an undefined tensor");
}

TEST_CASE("A model NNAPI rejects fails with the NNAPI call, operation and result code", "[runtime][e2e]") {
  ModelSpec spec = addReluModel();
  spec.operands[2] = scalarInt32(7);  // fuse codes are 0..3
  CHECK_THROWS_WITH(compile(spec), Contains("ANeuralNetworksModel_addOperation(operation 0, code 0") &&
                                       Contains("ANEURALNETWORKS_BAD_DATA"));
}

TEST_CASE("Model bytes at an unaligned address are copied, not refused", "[runtime][e2e]") {
  const std::string serialized = serialize(addReluModel());
  const int64_t size = static_cast<int64_t>(serialized.size());
  const at::Tensor padded = at::empty({size + 1}, at::kByte);
  std::memcpy(padded.data_ptr<uint8_t>() + 1, serialized.data(), serialized.size());
  const CompiledModel model(padded.narrow(0, 1, size), nnapiLibrary().functions);
  CHECK(floatValues(model.run({kA, kB})[0]) == kReluSum);
}

TEST_CASE("The serialized model must be a uint8 CPU tensor", "[runtime][e2e]") {
  CHECK_THROWS_WITH(CompiledModel(at::zeros({16}, at::kFloat), nnapiLibrary().functions),
                    "nnapi-convert runtime: the serialized model must be a uint8 CPU tensor");
}

TEST_CASE("Corrupted models never crash: they fail with a message or run harmlessly", "[runtime][e2e]") {
  std::mt19937 random(7);
  const at::Tensor x = at::arange(1, 10, at::kFloat).reshape({1, 3, 3, 1});
  const std::pair<ModelSpec, std::vector<at::Tensor>> cases[] = {{addReluModel(), {kA, kB}}, {conv2dModel(), {x}}};
  for (const auto& [spec, inputs] : cases) {
    const std::string whole = serialize(spec);
    std::uniform_int_distribution<size_t> position(0, whole.size() - 1);
    std::uniform_int_distribution<int> byte(0, 255);
    int refused = 0, ran = 0;
    for (int trial = 0; trial < 300; ++trial) {
      std::string corrupted = whole;
      corrupted[position(random)] = static_cast<char>(byte(random));
      std::vector<at::Tensor> outputs;
      try {
        outputs = CompiledModel(bytesTensor(corrupted), nnapiLibrary().functions).run(inputs);
      } catch (const std::runtime_error& error) {
        REQUIRE_THAT(error.what(), Catch::Matchers::StartsWith("nnapi-convert runtime: "));
        ++refused;
        continue;
      }
      // Accepted: the corruption changed something the model may legitimately hold (a name, a constant's value,
      // padding). It must still give one output of the declared shape, finite where no constant can be NaN.
      ++ran;
      REQUIRE(outputs.size() == spec.outputs.size());
      CHECK(outputs[0].sizes().vec() == spec.outputs[0].torch_shape);
    }
    // Both happen: most bytes are offsets, sizes, indices and codes, a few are names, padding and weights.
    INFO("refused " << refused << ", ran " << ran);
    CHECK(refused + ran == 300);
    CHECK(refused > 150);
    CHECK(ran > 0);
  }
}

TEST_CASE("torch.ops.nnapi_convert.nnapi_library names the NNAPI library in use", "[runtime][e2e]") {
  const auto op = c10::Dispatcher::singleton()
                      .findSchemaOrThrow("nnapi_convert::nnapi_library", "")
                      .typed<std::string()>();
  const NnapiLibraryInfo info = nnapiLibraryInfo();
  CHECK(op.call() == info.path + " (found via " + info.found_by + ")");
  CHECK_THAT(info.path, Catch::Matchers::EndsWith("/libneuralnetworks.so"));
}
