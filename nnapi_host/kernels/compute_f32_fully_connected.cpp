// FULLY_CONNECTED in float32: output [batch, units] = input [batch, inputSize] × weightsᵀ + bias.
//
// NNAPI's weights are [units, inputSize] row-major, i.e. one row per output unit, so the product uses them
// transposed without copying. Work is split over blocks of units rather than batch rows: inference usually has
// batch 1, and a block of units reads only its own slice of the weights, which dominate the memory traffic.
#define EIGEN_DONT_PARALLELIZE
#include <Eigen/Core>

#include <algorithm>

#include "kernels/bias_activation_f32.h"
#include "kernels/compute_f32.h"
#include "kernels/parallel_for.h"

namespace nnapi_host::kernels {
namespace {

using RowMajorMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using StridedMap = Eigen::Map<RowMajorMatrix, Eigen::Unaligned, Eigen::OuterStride<>>;
using ConstMap = Eigen::Map<const RowMajorMatrix>;

// Below this many weights per task, a thread hand-off costs more than the work it moves.
constexpr std::size_t kMinWeightsPerTask = 16 * 1024;

}  // namespace

void fullyConnectedF32(const float* input, uint32_t batch, uint32_t inputSize, const float* weights,
                       const float* bias, uint32_t units, FloatRange act, float* output) {
  if (batch == 0 || units == 0) return;
  const std::size_t minUnitsPerTask = std::max<std::size_t>(1, kMinWeightsPerTask / std::max<uint32_t>(inputSize, 1));
  const ConstMap inputMatrix(input, batch, inputSize);
  parallelForRanges(units, minUnitsPerTask, [&](std::size_t unitBegin, std::size_t unitEnd) {
    const std::size_t blockUnits = unitEnd - unitBegin;
    const ConstMap weightBlock(weights + unitBegin * inputSize, blockUnits, inputSize);
    StridedMap outBlock(output + unitBegin, batch, blockUnits, Eigen::OuterStride<>(units));
    outBlock.noalias() = inputMatrix * weightBlock.transpose();
    addBiasAndClampF32(output + unitBegin, batch, blockUnits, units, bias ? bias + unitBegin : nullptr, act);
  });
}

}  // namespace nnapi_host::kernels
