// What a C++ program needs from libnnapi_runtime.so besides torch::jit::load.
//
// Loading the library registers torch.classes.nnapi_convert.Model (the class a converted module calls), so a
// program that links libnnapi_runtime.so can torch::jit::load a converted module and call forward. Linkers that
// drop unreferenced shared libraries (--as-needed, Debian's default) would drop it from a program that never
// calls into it: call nnapi_convert::runtime::ensureLoaded() once (or link with -Wl,--no-as-needed).
#pragma once

#include <string>

namespace nnapi_convert::runtime {

// Does nothing; referencing it keeps libnnapi_runtime.so, and so the class registration, in the program.
void ensureLoaded();

// The NNAPI library the runtime uses, and how it was found. The search order is: the file named by the
// environment variable NNAPI_LIBRARY; "libneuralnetworks.so" on the loader path (a phone); the
// libneuralnetworks.so next to libnnapi_runtime.so (the desktop NNAPI built with it).
struct NnapiLibraryInfo {
  std::string path;      // the file the dynamic loader opened
  std::string found_by;  // "NNAPI_LIBRARY", "the loader path" or "the directory of libnnapi_runtime.so"
};

// Loads the library on first use. Throws std::runtime_error naming every place searched when none loads, or the
// missing functions when the library found is not a usable NNAPI.
NnapiLibraryInfo nnapiLibraryInfo();

}  // namespace nnapi_convert::runtime
