// The optional NCHW layout flag (FL3): like the reference, transpose input 0 to NHWC, compute in NHWC, and
// transpose output 0 back. Filters and other inputs are never affected by the flag.
#pragma once

#include <cstdint>
#include <vector>

#include "executor/op_context.h"

namespace nnapi_host {

struct NhwcIo {
  const uint8_t* in;
  kernels::Shape4 inShape;
  uint8_t* out;
  kernels::Shape4 outShape;
};

// Shape of a rank-4 tensor read in the given layout.
kernels::Shape4 nhwcShape(const Tensor& t, bool nchw);
// Copies an NCHW tensor to `dst` in NHWC order, and back.
void nchwToNhwc(const Tensor& t, uint8_t* dst);
void nhwcToNchw(const uint8_t* src, kernels::Shape4 nhwc, Tensor& t);

// Calls body(NhwcIo) with NHWC views of input 0 and output 0; transposes around it when `nchw`.
template <typename Body>
bool withNhwc(OpContext& ctx, bool nchw, Body body) {
  const Tensor& in = ctx.inputs[0];
  Tensor& out = ctx.outputs[0];
  if (!nchw) return body(NhwcIo{in.data, in.shape4(), out.data, out.shape4()});
  std::vector<uint8_t> inNhwc(in.bytes()), outNhwc(out.bytes());
  nchwToNhwc(in, inNhwc.data());
  const kernels::Shape4 outShape = nhwcShape(out, true);
  if (!body(NhwcIo{inNhwc.data(), nhwcShape(in, true), outNhwc.data(), outShape})) return false;
  nhwcToNchw(outNhwc.data(), outShape, out);
  return true;
}

}  // namespace nnapi_host
