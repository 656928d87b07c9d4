// Quantized convolutions of the desktop NNAPI: CONV_2D, GROUPED_CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV_2D on
// TENSOR_QUANT8_ASYMM (T = uint8_t) or TENSOR_QUANT8_ASYMM_SIGNED (T = int8_t) NHWC buffers, with an int32 bias.
// Same geometry and layouts as the float kernels in compute_f32.h; results are bit-exact to the reference's §11.5
// formula: acc = bias + sum (q_in - zp_in)(q_f - zp_f), q = clamp(MBQM(acc, QM(s_in*s_f/s_out)) + zp_out).
//
// Filter element type F: the input's type for a per-tensor filter; int8_t for TENSOR_QUANT8_SYMM_PER_CHANNEL.
// Instantiated for (T, F) = (uint8_t, uint8_t), (uint8_t, int8_t), (int8_t, int8_t).
// The caller (the executor) has validated shapes, resolved padding, checked the bias scale
// (biasScaleMatches) and computed `act` with activationRange<T>(fuse, output q). A multiplier the reference
// cannot represent throws std::invalid_argument.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/quant/quant_math.h"
#include "kernels/spatial.h"

namespace nnapi_host::kernels {

// Quantization of a convolution filter.
struct FilterQuant {
  const float* scales = nullptr;  // scaleCount entries
  uint32_t scaleCount = 1;        // 1: per-tensor; else one per output channel (per-channel, zero point 0)
  int32_t zero_point = 0;         // per-tensor filters only
};

struct ConvQuant {
  QuantParams input;
  FilterQuant filter;
  QuantParams output;
};

// CONV_2D and GROUPED_CONV_2D. filter [Cout, KH, KW, Cin/groups]; bias [Cout] or nullptr; per-channel scales are
// indexed by output channel (channelDim 0).
template <typename T, typename F>
void conv2dQ8(const T* input, Shape4 in, const F* filter, const int32_t* bias, uint32_t groups, const Window& win,
              const ConvQuant& quant, IntRange act, T* output, Shape4 out);

// DEPTHWISE_CONV_2D. filter [1, KH, KW, Cout], Cout = Cin * multiplier; output channel k*m+q reads input channel k;
// per-channel scales are indexed by output channel (channelDim 3).
template <typename T, typename F>
void depthwiseConv2dQ8(const T* input, Shape4 in, const F* filter, const int32_t* bias, uint32_t multiplier,
                       const Window& win, const ConvQuant& quant, IntRange act, T* output, Shape4 out);

// TRANSPOSE_CONV_2D. filter [Cout, KH, KW, Cin]; each input pixel scatters to
// (h*stride_h - pad_top + i, w*stride_w - pad_left + j); only pad_left/pad_top are read from `win` (the output
// shape already reflects right/bottom padding, which may be negative). Per-channel scales by output channel.
template <typename T, typename F>
void transposeConv2dQ8(const T* input, Shape4 in, const F* filter, const int32_t* bias, const Window& win,
                       const ConvQuant& quant, IntRange act, T* output, Shape4 out);

// One output multiplier per output channel: QM(float(s_in * s_f[c]) / s_out) as the reference computes it
// (a per-tensor filter gives `channels` copies of one). `operation` names the caller in errors.
std::vector<QuantizedMultiplier> convolutionMultipliers(const char* operation, const ConvQuant& quant,
                                                        uint32_t channels);

}  // namespace nnapi_host::kernels
