// load_model MODEL.pt: loads a TorchScript file with libtorch and exits. The floor of any converter that reads
// models with libtorch: convert_vs_pytorch.py measures its wall time and peak memory next to the converters'.
#include <iostream>

#include <torch/script.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " MODEL.pt\n";
    return 2;
  }
  try {
    torch::jit::load(argv[1]);
  } catch (const std::exception& error) {
    std::cerr << argv[0] << ": " << argv[1] << ": " << error.what() << "\n";
    return 2;
  }
  return 0;
}
