// How NNAPI compiles a converted model (convert --preference, --relax-fp16), as both output formats record it:
// the flatbuffer format per partition (schema Model.preference and relax_fp16), the stock format as the arguments
// of torch.classes._nnapi.Compilation.init2.
#pragma once

namespace nnc {

struct CompilationOptions {
  // ANeuralNetworksCompilation_setPreference's PreferenceCode: 0 low power, 1 fast single answer, 2 sustained
  // speed (PyTorch's default).
  int preference = 2; /* ANEURALNETWORKS_PREFER_SUSTAINED_SPEED */
  bool relax_fp16 = false;  // ANeuralNetworksModel_relaxComputationFloat32toFloat16
};

// The names `convert --preference` takes for NNAPI's PreferenceCodes, indexed by code.
constexpr const char* kPreferenceNames[] = {"low-power", "fast-single", "sustained"};

}  // namespace nnc
