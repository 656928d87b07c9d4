#include "wrapper/wrap_stock.h"

#include <iomanip>
#include <sstream>

#include <torch/csrc/jit/frontend/resolver.h>
#include <torch/csrc/jit/frontend/sugared_value.h>
#include <torch/custom_class.h>

#include "serialize/stock_model.h"
#include "serialize/weight_tensor.h"
#include "wrapper/shared_weights.h"
#include "wrapper/wrap_module.h"

namespace nnc {
namespace {

using torch::jit::Graph;
using TorchValue = torch::jit::Value;

constexpr char kCompilationClass[] = "__torch__.torch.classes._nnapi.Compilation";
constexpr char kEnabledAttribute[] = "nnapi_enabled";

std::string indexed(const char* prefix, size_t k) { return prefix + std::to_string(k); }
std::string runMethod(size_t k) { return indexed("run_nnapi_partition_", k); }

c10::ClassTypePtr compilationClass() {
  const c10::ClassTypePtr type = torch::getCustomClass(kCompilationClass);
  if (!type) {
    throw std::runtime_error(std::string("this libtorch has no ") + kCompilationClass + " (PyTorch's NNAPI binding)");
  }
  return type;
}

// Resolves `torch` (aten ops) and `NnapiCompilation` (PyTorch's binding) in the generated methods.
struct StockResolver : torch::jit::Resolver {
  std::shared_ptr<torch::jit::SugaredValue> resolveValue(const std::string& name, torch::jit::GraphFunction&,
                                                         const torch::jit::SourceRange&) override {
    if (name == "torch") return std::make_shared<torch::jit::BuiltinModule>("aten");
    if (name == "NnapiCompilation") return std::make_shared<torch::jit::ClassValue>(compilationClass());
    return nullptr;
  }
  c10::TypePtr resolveType(const std::string&, const torch::jit::SourceRange&) override { return nullptr; }
};

std::string dimsList(const std::vector<uint32_t>& dims) {
  std::string text;
  for (uint32_t d : dims) text += (text.empty() ? "" : ", ") + std::to_string(d);
  return "[" + text + "]";
}

// TorchScript allocating an empty tensor for NNAPI output `operand` (its physical dims; the binding writes the
// bytes and resizes it to the dims NNAPI reports). dtypes are written as numbers, as TorchScript's own printer does.
std::string outputAllocation(const ir::Operand& operand) {
  const at::ScalarType dtype = tensorDtype(operand.type);
  std::ostringstream code;
  if (dtype == at::kQUInt8) {
    code << std::setprecision(17) << "torch._empty_affine_quantized(" << dimsList(operand.dims)
         << ", scale=" << double(operand.scale) << ", zero_point=" << operand.zero_point
         << ", dtype=" << int(dtype) << ")";
  } else {
    code << "torch.empty(" << dimsList(operand.dims) << ", dtype=" << int(dtype) << ")";
  }
  return code.str();
}

std::string runMethodSource(size_t k, const ir::Model& model, const CompilationOptions& options) {
  const std::string compilation = indexed("self.nnapi_compilation_", k);
  std::string outputs;
  for (uint32_t output : model.outputs()) {
    outputs += (outputs.empty() ? "" : ", ") + outputAllocation(model.operands()[output]);
  }
  std::ostringstream code;
  code << "def " << runMethod(k) << "(self, inputs: List[Tensor]) -> List[Tensor]:\n"
       << "    if " << compilation << " is None:\n"
       << "        compilation = NnapiCompilation()\n"
       << "        compilation.init2(" << indexed("self.nnapi_model_", k) << ", " << indexed("self.nnapi_weights_", k)
       << ", " << options.preference << ", " << (options.relax_fp16 ? "True" : "False") << ")\n"
       << "        " << compilation << " = compilation\n"
       << "    compilation = " << compilation << "\n"
       << "    assert compilation is not None\n"
       << "    outputs = [" << outputs << "]\n"
       // The binding hands each input's data pointer to NNAPI as is.
       << "    compilation.run([x.contiguous() for x in inputs], outputs)\n"
       << "    return outputs\n";
  return code.str();
}

class StockPartitionCalls : public PartitionCalls {
 public:
  TorchValue* useNnapi(Graph& graph, TorchValue* self, size_t) const override {
    torch::jit::Node* get = graph.insertNode(graph.create(c10::prim::GetAttr, {self}));
    get->s_(c10::attr::name, kEnabledAttribute);
    get->output()->setType(c10::BoolType::get());
    return get->output();
  }
  TorchValue* run(Graph& graph, TorchValue* self, size_t k, TorchValue* inputs) const override {
    return insertCallMethod(graph, self, runMethod(k), {inputs}, c10::ListType::ofTensors());
  }
};

}  // namespace

std::unique_ptr<PartitionCalls> stockPartitionCalls() { return std::make_unique<StockPartitionCalls>(); }

torch::jit::Module wrapStockForward(std::shared_ptr<Graph> forward, const std::vector<const ir::Model*>& models,
                                    const CompilationOptions& options, const std::string& report) {
  torch::jit::Module module(c10::QualifiedName("__torch__.nnapi_convert.ConvertedModel"));
  module.register_attribute(kEnabledAttribute, c10::BoolType::get(), true);
  std::string methods =
      "def set_nnapi_enabled(self, enabled: bool):\n"
      "    self.nnapi_enabled = enabled\n";
  for (size_t k = 0; k < models.size(); ++k) {
    StockModel stock = serializeStockModel(*models[k]);
    c10::List<at::Tensor> weights;
    shareWeightsWithFallback(
        *forward,
        [k](const torch::jit::Node& node) {
          return node.kind() == c10::prim::CallMethod && node.s(c10::attr::name) == runMethod(k);
        },
        [k](Graph& graph) {
          torch::jit::Node* get = graph.insertNode(graph.create(c10::prim::GetAttr, {graph.inputs().at(0)}));
          get->s_(c10::attr::name, indexed("nnapi_weights_", k));
          get->output()->setType(c10::ListType::ofTensors());
          return get->output();
        },
        stock.weights);
    for (const at::Tensor& weight : stock.weights) weights.push_back(weight);
    module.register_attribute(indexed("nnapi_model_", k), c10::TensorType::get(), stock.serialized);
    module.register_attribute(indexed("nnapi_weights_", k), c10::ListType::ofTensors(), weights);
    module.register_attribute(indexed("nnapi_compilation_", k), c10::OptionalType::create(compilationClass()),
                              c10::IValue());
    methods += runMethodSource(k, *models[k], options);
  }
  module.register_attribute(kReportAttribute, c10::StringType::get(), c10::IValue(report));
  module.define(methods, std::make_shared<StockResolver>());
  addForward(module, std::move(forward));
  return module;
}

}  // namespace nnc
