// `nnapi-convert inspect` on converted modules whose partition was tampered with after conversion (issue 10, item
// 7: it used to crash on each): it runs the runtime's verification first and answers like for any bad input, exit
// code 2 and a message naming the file and the problem, with nothing on stdout.
#include "run_command.h"
#include "test_models.h"
#include "wrapper/wrap_module.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <torch/script.h>

#include <unistd.h>

#include <filesystem>

using namespace nnc_test;

namespace {

// forward(self, x) -> x: inspect reads only the module's attributes.
std::shared_ptr<torch::jit::Graph> identityForward() {
  auto graph = std::make_shared<torch::jit::Graph>();
  graph->addInput("self");
  torch::jit::Value* x = graph->addInput("x");
  x->setType(c10::TensorType::get());
  graph->registerOutput(x);
  return graph;
}

}  // namespace

TEST_CASE("inspect refuses a tampered partition with the file and the problem named", "[runtime][inspect]") {
  ModelSpec spec = conv2dModel();
  std::string problem;
  SECTION("a model with no operations") {
    spec.operations.clear();
    problem = "the model has no operations";
  }
  SECTION("a buffer index equal to the buffer count") {
    spec.operands[2].buffer = 9;
    problem = "operand 2 'conv.bias' refers to buffer 9 of 9";
  }
  SECTION("an operation with no outputs") {
    spec.operations[0].outputs.clear();
    problem = "operation 0 has no outputs";
  }
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("nnc_inspect_tampered_" + std::to_string(getpid()) + ".pt")).string();
  nnc::wrapForward(identityForward(), {"nnapi_partition_0"}, {{serialize(spec), {}}}, "{}").save(path);
  const std::string message =
      path + ": NNAPI partition 0: nnapi-convert runtime: model buffer is truncated or corrupt: " + problem;
  int status = -1;
  // stderr only: nothing of the module is described on stdout.
  std::string output = runCommand(std::string(NNC_TEST_CLI) + " inspect " + path + " 2>&1 >/dev/null", status);
  CHECK(status == 2);
  CHECK(output == "error: " + message + "\n");
  // With --json, stdout holds exactly the error object (what a pipeline parses), and stderr the same words.
  output = runCommand(std::string(NNC_TEST_CLI) + " inspect " + path + " --json 2>/dev/null", status);
  CHECK(status == 2);
  CHECK(nlohmann::json::parse(output) == nlohmann::json{{"error", "input"}, {"message", message}});
  std::filesystem::remove(path);
}
