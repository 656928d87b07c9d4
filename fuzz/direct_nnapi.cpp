#include "direct_nnapi.h"

namespace nnc_fuzz {

const nnapi_convert::runtime::NnapiFunctions& directNnapi() {
  static const nnapi_convert::runtime::NnapiFunctions table = [] {
    nnapi_convert::runtime::NnapiFunctions functions;
#define NNC_FUZZ_POINT_AT(function, need) functions.function = &::function;
    NNAPI_CONVERT_FOR_EACH_FUNCTION(NNC_FUZZ_POINT_AT)
#undef NNC_FUZZ_POINT_AT
    return functions;
  }();
  return table;
}

}  // namespace nnc_fuzz
