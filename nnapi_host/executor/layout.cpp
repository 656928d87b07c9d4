#include "executor/layout.h"

#include "kernels/data_movement.h"

namespace nnapi_host {

kernels::Shape4 nhwcShape(const Tensor& t, bool nchw) {
  const auto& d = t.dims();
  return nchw ? kernels::Shape4{d[0], d[2], d[3], d[1]} : kernels::Shape4{d[0], d[1], d[2], d[3]};
}

void nchwToNhwc(const Tensor& t, uint8_t* dst) {
  kernels::transposeBytes(nnapi_rules::elementSize(t.type()), t.data, t.dims(), {0, 2, 3, 1}, dst);
}

void nhwcToNchw(const uint8_t* src, kernels::Shape4 s, Tensor& t) {
  kernels::transposeBytes(nnapi_rules::elementSize(t.type()), src, {s.n, s.h, s.w, s.c}, {0, 3, 1, 2}, t.data);
}

}  // namespace nnapi_host
