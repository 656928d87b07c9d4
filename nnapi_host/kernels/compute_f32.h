// Float32 compute kernels of the desktop NNAPI: the operations where the time goes. Pure functions on NHWC
// buffers; the caller (nnapi_host's executor) has validated the operation and resolved padding, so shapes here
// are consistent and output shapes are given. Threads come from nnapi_host::kernels::threadCount().
#pragma once

#include <cstdint>

#include "kernels/spatial.h"

namespace nnapi_host::kernels {

// Number of worker threads kernels may use: NNAPI_HOST_THREADS if set, else the hardware's.
int threadCount();

// CONV_2D and GROUPED_CONV_2D. filter [Cout, KH, KW, Cin/groups]; bias [Cout] or nullptr.
void conv2dF32(const float* input, Shape4 in, const float* filter, const float* bias, uint32_t groups,
               const Window& win, FloatRange act, float* output, Shape4 out);

// DEPTHWISE_CONV_2D. filter [1, KH, KW, Cout], Cout = Cin * multiplier; output channel k*m+q reads input channel k.
void depthwiseConv2dF32(const float* input, Shape4 in, const float* filter, const float* bias, uint32_t multiplier,
                        const Window& win, FloatRange act, float* output, Shape4 out);

// TRANSPOSE_CONV_2D. filter [Cout, KH, KW, Cin]; each input pixel scatters to
// (h*stride_h - pad_top + i, w*stride_w - pad_left + j). Padding here may be negative on right/bottom, which the
// output shape already reflects, so only pad_left/pad_top are read from `win`.
void transposeConv2dF32(const float* input, Shape4 in, const float* filter, const float* bias, const Window& win,
                        FloatRange act, float* output, Shape4 out);

// AVERAGE_POOL_2D (divides by the taps inside the input), MAX_POOL_2D, L2_POOL_2D.
void averagePool2dF32(const float* input, Shape4 in, const Window& win, FloatRange act, float* output, Shape4 out);
void maxPool2dF32(const float* input, Shape4 in, const Window& win, FloatRange act, float* output, Shape4 out);
void l2Pool2dF32(const float* input, Shape4 in, const Window& win, FloatRange act, float* output, Shape4 out);

// FULLY_CONNECTED. input [batch, inputSize], weights [units, inputSize], bias [units] or nullptr.
void fullyConnectedF32(const float* input, uint32_t batch, uint32_t inputSize, const float* weights,
                       const float* bias, uint32_t units, FloatRange act, float* output);

}  // namespace nnapi_host::kernels
