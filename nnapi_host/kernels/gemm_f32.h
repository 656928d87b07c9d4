// Internal helper for the float kernels: the matrix product behind CONV_2D.
//
// Eigen chooses its SIMD code when it is compiled, so in a build without -mavx2/-mfma (the default for
// x86-64) its products run on SSE2 at about 40% of the speed this machine has. This product carries its own
// AVX2+FMA kernel, chosen at run time when the CPU has it, and falls back to Eigen otherwise.
#pragma once

#include <cstddef>

namespace nnapi_host::kernels {

enum class GemmKernel {
  kAvx2Fma,  // our 6×16 register-blocked kernel; only valid where cpuSupportsAvx2Fma()
  kEigen,    // portable: Eigen with whatever SIMD the build allows
};

bool cpuSupportsAvx2Fma();

// The kernel gemmABtF32 uses unless told otherwise: kAvx2Fma where the CPU has it, else kEigen.
GemmKernel defaultGemmKernel();

// c[m, n] = a[m, k] × bᵀ, where b is [n, k]: all row-major, rows lda / ldb / ldc floats apart. This is the
// layout of NNAPI's OHWI filters (one row of KH·KW·Cin per output channel) against im2col patch rows.
// Single-threaded: callers split the work and run pieces in parallel.
void gemmABtF32(const float* a, std::size_t lda, const float* b, std::size_t ldb, float* c, std::size_t ldc,
                std::size_t m, std::size_t n, std::size_t k, GemmKernel kernel = defaultGemmKernel());

}  // namespace nnapi_host::kernels
