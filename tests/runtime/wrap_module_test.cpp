// nnc::wrapModel: a serialized model inside a TorchScript module with the original forward signature, saved and
// loaded like any module — in this process, in a fresh C++ process and in a fresh Python process.
#include "module_io.h"
#include "test_models.h"
#include "wrapper/wrap_module.h"

#include <catch2/catch.hpp>

#include <torch/script.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

using namespace nnc_test;
using Catch::Matchers::Contains;

namespace {

// moduleInputs(kShapes): a = 0.5·i − 3 = {-3,-2.5,-2,-1.5,-1,-0.5} and b = a + 4, so the two-output ADD model
// gives relu(a + b) = {0,0,0,1,2,3} and a + b = {-2,-1,0,1,2,3}.
const std::vector<std::vector<int64_t>> kShapes = {{2, 3}, {2, 3}};
const std::vector<float> kReluSum = {0, 0, 0, 1, 2, 3};
const std::vector<float> kSum = {-2, -1, 0, 1, 2, 3};

// Runs a shell command; returns its standard output and sets `status` to its exit code.
std::string runCommand(const std::string& command, int& status) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char chunk[4096];
  for (size_t n; (n = fread(chunk, 1, sizeof(chunk), pipe)) > 0;) output.append(chunk, n);
  const int raw = pclose(pipe);
  status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return output;
}

std::string temporaryModulePath(const std::string& tag) {
  return (std::filesystem::temp_directory_path() /
          ("nnc_runtime_test_" + tag + "_" + std::to_string(getpid()) + ".pt"))
      .string();
}

}  // namespace

TEST_CASE("A wrapped model's forward returns a tuple of the model's outputs", "[runtime][wrap]") {
  torch::jit::Module module = nnc::wrapModel(serialize(addTwoOutputsModel()), {{"a", "b"}, true, 2});
  const c10::IValue result = module.forward(moduleInputs(kShapes));
  REQUIRE(result.isTuple());
  const auto& elements = result.toTupleRef().elements();
  REQUIRE(elements.size() == 2);
  CHECK(floatValues(elements[0].toTensor()) == kReluSum);
  CHECK(floatValues(elements[1].toTensor()) == kSum);
  // forward has the original argument names, so keyword calls from Python keep working.
  const c10::FunctionSchema& schema = module.get_method("forward").function().getSchema();
  REQUIRE(schema.arguments().size() == 3);
  CHECK(schema.arguments()[1].name() == "a");
  CHECK(schema.arguments()[2].name() == "b");
}

TEST_CASE("A wrapped model with one output returns a tensor, or a one-element tuple if asked", "[runtime][wrap]") {
  const std::string serialized = serialize(addLargeConstantModel());
  const at::Tensor a = at::arange(40, at::kFloat).reshape({4, 10});
  const c10::IValue tensor = nnc::wrapModel(serialized, {{"x"}, false, 1}).forward({a});
  REQUIRE(tensor.isTensor());
  CHECK(tensor.toTensor()[3][9].item<float>() == 1.5f * 39);  // out[i] = 1.5·i
  const c10::IValue tuple = nnc::wrapModel(serialized, {{"x"}, true, 1}).forward({a});
  REQUIRE(tuple.isTuple());
  CHECK(tuple.toTupleRef().elements().size() == 1);
}

TEST_CASE("Argument names may be anything the original forward used, even 'outputs'", "[runtime][wrap]") {
  torch::jit::Module module = nnc::wrapModel(serialize(addTwoOutputsModel()), {{"outputs", "_outputs"}, true, 2});
  const c10::IValue result = module.forward(moduleInputs(kShapes));
  CHECK(floatValues(result.toTupleRef().elements()[1].toTensor()) == kSum);
}

TEST_CASE("Two saved converted modules load and run side by side in one process", "[runtime][wrap]") {
  const std::string tuple_path = temporaryModulePath("pair_tuple"), tensor_path = temporaryModulePath("pair_tensor");
  nnc::wrapModel(serialize(addTwoOutputsModel()), {{"a", "b"}, true, 2}).save(tuple_path);
  nnc::wrapModel(serialize(addLargeConstantModel()), {{"x"}, false, 1}).save(tensor_path);
  torch::jit::Module tuple_module = torch::jit::load(tuple_path);
  torch::jit::Module tensor_module = torch::jit::load(tensor_path);
  CHECK(floatValues(tuple_module.forward(moduleInputs(kShapes)).toTupleRef().elements()[1].toTensor()) == kSum);
  // x = 0.5·i − 3, c = 0.5·i: out[i] = i − 3
  const at::Tensor out = tensor_module.forward(moduleInputs({{4, 10}})).toTensor();
  CHECK(out[0][0].item<float>() == -3);
  CHECK(out[3][9].item<float>() == 36);
  std::filesystem::remove(tuple_path);
  std::filesystem::remove(tensor_path);
}

TEST_CASE("A signature that does not fit the model is refused", "[runtime][wrap]") {
  const std::string serialized = serialize(addTwoOutputsModel());
  CHECK_THROWS_WITH(nnc::wrapModel(serialized, {{"a"}, true, 2}),
                    "wrapModel: the signature has 1 inputs and 2 outputs, the model 2 and 2");
  CHECK_THROWS_WITH(nnc::wrapModel(serialized, {{"a", "b"}, false, 2}),
                    Contains("a forward that returns one tensor needs exactly one output"));
  CHECK_THROWS_WITH(nnc::wrapModel(serialized, {{"a", "input.1"}, true, 2}),
                    "wrapModel: input 1 name 'input.1' is not a distinct identifier");
  CHECK_THROWS_WITH(nnc::wrapModel(serialized, {{"a", "a"}, true, 2}), Contains("'a' is not a distinct identifier"));
  CHECK_THROWS_WITH(nnc::wrapModel("not a model", {{"a", "b"}, true, 2}), Contains("not a valid nnapi-convert model"));
}

TEST_CASE("A saved wrapped module loads and runs here, in a fresh C++ process and in a fresh Python process",
          "[runtime][wrap]") {
  torch::jit::Module module = nnc::wrapModel(serialize(addTwoOutputsModel()), {{"a", "b"}, true, 2});
  const std::string expected = formatModuleOutputs(module.forward(moduleInputs(kShapes)));
  REQUIRE(expected == "tuple 2\n[2,3] 0 0 0 1 2 3\n[2,3] -2 -1 0 1 2 3\n");

  const std::string path = temporaryModulePath("tuple");
  module.save(path);
  SECTION("this process") {
    CHECK(formatModuleOutputs(torch::jit::load(path).forward(moduleInputs(kShapes))) == expected);
  }
  SECTION("a fresh C++ process that only links libnnapi_runtime.so") {
    int status = 0;
    const std::string output = runCommand(std::string(NNC_TEST_LOAD_MODULE) + " " + path + " 2x3 2x3", status);
    CHECK(status == 0);
    CHECK(output == expected);
  }
  SECTION("a fresh Python process that only loads libnnapi_runtime.so") {
    int status = 0;
    const std::string output = runCommand(std::string(NNC_TEST_PYTHON) + " " + NNC_TEST_SCRIPT_DIR +
                                              "/run_saved_module.py " + NNC_TEST_LIB_DIR +
                                              "/libnnapi_runtime.so " + path + " 2x3 2x3",
                                          status);
    CHECK(status == 0);
    CHECK(output == expected);
  }
  std::filesystem::remove(path);
}
