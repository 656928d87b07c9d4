// nnc_load_module MODULE SHAPE...: loads a converted module saved with torch.jit.save and runs it on the inputs
// of module_io.h (SHAPE like 2x3, one per forward argument), printing the outputs.
//
// It shows what a C++ program needs to use converted models: link libnnapi_runtime.so and reference it
// (ensureLoaded) so the linker keeps it; then torch::jit::load and forward work as for any module. The runtime
// tests run it as a fresh process on a module saved by another one.
#include "module_io.h"

#include <nnapi_convert/runtime.h>

#include <torch/script.h>

#include <iostream>
#include <sstream>

namespace {

std::vector<int64_t> parseShape(const std::string& text) {
  std::vector<int64_t> shape;
  std::istringstream stream(text);
  for (std::string extent; std::getline(stream, extent, 'x');) shape.push_back(std::stoll(extent));
  return shape;
}

}  // namespace

int main(int argc, char** argv) {
  nnapi_convert::runtime::ensureLoaded();
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " MODULE SHAPE...   (SHAPE like 2x3, one per forward argument)\n";
    return 2;
  }
  try {
    torch::jit::Module module = torch::jit::load(argv[1]);
    std::vector<std::vector<int64_t>> shapes;
    for (int i = 2; i < argc; ++i) shapes.push_back(parseShape(argv[i]));
    std::cout << nnc_test::formatModuleOutputs(module.forward(nnc_test::moduleInputs(shapes)));
    return 0;
  } catch (const std::exception& error) {
    std::cerr << argv[0] << ": " << error.what() << "\n";
    return 1;
  }
}
