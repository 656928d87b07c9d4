// nnc::wrapForward: a forward graph calling a serialized NNAPI model through the runtime's class, as a TorchScript
// module saved and loaded like any module — in this process, in a fresh C++ process and in a fresh Python process.
#include "module_io.h"
#include "run_command.h"
#include "test_models.h"
#include "wrapper/wrap_module.h"

#include <catch2/catch.hpp>

#include <torch/script.h>

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

std::string temporaryModulePath(const std::string& tag) {
  return (std::filesystem::temp_directory_path() /
          ("nnc_runtime_test_" + tag + "_" + std::to_string(getpid()) + ".pt"))
      .string();
}

// forward(self, a, b) -> (relu(a + b), a + b), both on NNAPI: the graph the converter builds around a
// partition, without its CPU fallback.
std::shared_ptr<torch::jit::Graph> forwardGraph() {
  auto graph = std::make_shared<torch::jit::Graph>();
  torch::jit::Value* self = graph->addInput("self");
  torch::jit::Value* a = graph->addInput("a");
  torch::jit::Value* b = graph->addInput("b");
  a->setType(c10::TensorType::get());
  b->setType(c10::TensorType::get());
  torch::jit::Node* get = graph->insertNode(graph->create(c10::prim::GetAttr, {self}));
  get->s_(c10::attr::name, "nnapi_partition_0");
  get->output()->setType(nnc::partitionClass());
  torch::jit::Node* list = graph->insertNode(graph->createList(c10::TensorType::get(), {a, b}));
  torch::jit::Node* run = graph->insertNode(graph->create(c10::prim::CallMethod, {get->output(), list->output()}));
  run->s_(c10::attr::name, "run");
  run->output()->setType(c10::ListType::ofTensors());
  torch::jit::Node* unpack = graph->insertNode(graph->createListUnpack(run->output(), 2));
  torch::jit::Node* tuple = graph->insertNode(graph->createTuple({unpack->output(0), unpack->output(1)}));
  graph->registerOutput(tuple->output());
  return graph;
}

torch::jit::Module wrappedAddModel() {
  return nnc::wrapForward(forwardGraph(), {"nnapi_partition_0"}, {{serialize(addTwoOutputsModel()), {}}}, "{}");
}

}  // namespace

TEST_CASE("A wrapped model's forward returns what its graph builds from the partition's outputs", "[runtime][wrap]") {
  torch::jit::Module module = wrappedAddModel();
  const c10::IValue result = module.forward(moduleInputs(kShapes));
  REQUIRE(result.isTuple());
  const auto& elements = result.toTupleRef().elements();
  REQUIRE(elements.size() == 2);
  CHECK(floatValues(elements[0].toTensor()) == kReluSum);
  CHECK(floatValues(elements[1].toTensor()) == kSum);
  // forward has the graph's argument names, so keyword calls from Python keep working.
  const c10::FunctionSchema& schema = module.get_method("forward").function().getSchema();
  REQUIRE(schema.arguments().size() == 3);
  CHECK(schema.arguments()[1].name() == "a");
  CHECK(schema.arguments()[2].name() == "b");
  CHECK(module.attr(nnc::kReportAttribute).toStringRef() == "{}");
}

TEST_CASE("wrapForward refuses bytes that are not a serialized model", "[runtime][wrap]") {
  CHECK_THROWS_WITH(nnc::wrapForward(forwardGraph(), {"nnapi_partition_0"}, {{"not a model", {}}}, "{}"),
                    Contains("not a valid nnapi-convert model"));
  CHECK_THROWS_WITH(nnc::wrapForward(forwardGraph(), {}, {{serialize(addTwoOutputsModel()), {}}}, "{}"),
                    Contains("0 attributes for 1 partitions"));
}

TEST_CASE("A saved wrapped module loads and runs here, in a fresh C++ process and in a fresh Python process",
          "[runtime][wrap]") {
  torch::jit::Module module = wrappedAddModel();
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

namespace {

// What loading a module does with the partition's pickled state: calls Model.__setstate__ on a fresh object.
std::string setStateError(c10::IValue state) {
  const c10::ClassTypePtr model_class = nnc::partitionClass();
  auto object = c10::ivalue::Object::create(c10::StrongTypePtr(nullptr, model_class), model_class->numAttributes());
  torch::jit::Stack stack{c10::IValue(object), std::move(state)};
  try {
    model_class->getMethod("__setstate__").run(stack);
  } catch (const c10::Error& error) {
    return error.what_without_backtrace();
  }
  return "";
}

}  // namespace

TEST_CASE("A partition whose saved state is not (serialized model, weights) is refused with what it is",
          "[runtime][wrap]") {
  const at::Tensor bytes = bytesTensor(serialize(addTwoOutputsModel()));
  // What nnapi-convert wrote before the weights were kept as tensors of their own: the serialized model alone.
  CHECK_THAT(setStateError(bytes), Contains("written by an older nnapi-convert") && Contains("convert the original "
                                                                                            "model again"));
  CHECK_THAT(setStateError(c10::IValue(std::string("x"))),
             Contains("saved state of type str") && Contains("damaged or not written by nnapi-convert"));
  CHECK_THAT(setStateError(c10::ivalue::Tuple::create({c10::IValue(bytes)})), Contains("saved state of type"));
  CHECK(setStateError(c10::ivalue::Tuple::create({c10::IValue(bytes), c10::List<at::Tensor>()})).empty());
}
