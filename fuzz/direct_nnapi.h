// The runtime's NNAPI function table pointing straight at the desktop NNAPI linked into the fuzz target (no dlopen:
// the whole path, runtime and nnapi_host, is instrumented in one binary).
#pragma once

#include "nnapi_functions.h"

namespace nnc_fuzz {

const nnapi_convert::runtime::NnapiFunctions& directNnapi();

}  // namespace nnc_fuzz
