// ---------------------------------------------------------------------------------------------------------------
// nvcuda::wmma on the CPU, for the emulated modules (found before any other mma.h: -I emulation/include).
// On a device a fragment is spread over the 32 threads of a warp and every wmma call is collective. Here every
// thread holds the whole fragment and does the whole load / mma / store itself: the 32 copies compute the same
// values, so a store writes what the warp would, and a kernel written for the collective form needs no change.
// Only what Lamina's kernels use: the m16n16k8 TF32 shapes (and FP32 accumulators), row-major operands.
// ---------------------------------------------------------------------------------------------------------------

#pragma once

#include <stdint.h>
#include <string.h>

#include <type_traits>

namespace nvcuda {
namespace wmma {

struct matrix_a {};
struct matrix_b {};
struct accumulator {};
struct row_major {};
struct col_major {};
namespace precision {
struct tf32 {};
}  // namespace precision

enum layout_t { mem_row_major, mem_col_major };

namespace detail {
// rows x columns of each use: A is M x K, B is K x N, the accumulator M x N
template <typename Use, int M, int N, int K>
struct shape;
template <int M, int N, int K>
struct shape<matrix_a, M, N, K> {
    static constexpr int rows = M, cols = K;
};
template <int M, int N, int K>
struct shape<matrix_b, M, N, K> {
    static constexpr int rows = K, cols = N;
};
template <int M, int N, int K>
struct shape<accumulator, M, N, K> {
    static constexpr int rows = M, cols = N;
};

// The tensor cores read only the TF32 bits of an operand: the 13 low mantissa bits are not used.
inline float tf32_operand(float x) {
    uint32_t bits;
    memcpy(&bits, &x, sizeof bits);
    bits &= 0xFFFFE000u;
    memcpy(&x, &bits, sizeof x);
    return x;
}
}  // namespace detail

template <typename Use, int M, int N, int K, typename T, typename Layout = void>
class fragment {
  public:
    static constexpr int rows = detail::shape<Use, M, N, K>::rows;
    static constexpr int cols = detail::shape<Use, M, N, K>::cols;
    static constexpr int num_elements = rows * cols;
    float x[num_elements];  // row-major, the whole tile (tf32 and float are both stored as float)
};

template <typename Use, int M, int N, int K, typename T, typename Layout>
inline void fill_fragment(fragment<Use, M, N, K, T, Layout>& f, float value) {
    for (int i = 0; i < f.num_elements; i++) {
        f.x[i] = value;
    }
}

// Operands A and B, row- or column-major as the fragment's layout says; ldm in elements.
template <typename Use, int M, int N, int K, typename T, typename Layout>
inline void load_matrix_sync(fragment<Use, M, N, K, T, Layout>& f, const float* p, unsigned ldm) {
    static_assert(!std::is_same<Use, accumulator>::value, "an accumulator is loaded with its memory layout");
    constexpr bool rowMajor = std::is_same<Layout, row_major>::value;
    for (int r = 0; r < f.rows; r++) {
        for (int c = 0; c < f.cols; c++) {
            float v = rowMajor ? p[(long) r * ldm + c] : p[(long) c * ldm + r];
            f.x[r * f.cols + c] = std::is_same<T, precision::tf32>::value ? detail::tf32_operand(v) : v;
        }
    }
}

template <int M, int N, int K, typename T>
inline void load_matrix_sync(fragment<accumulator, M, N, K, T, void>& f, const float* p, unsigned ldm, layout_t layout) {
    for (int r = 0; r < f.rows; r++) {
        for (int c = 0; c < f.cols; c++) {
            f.x[r * f.cols + c] = layout == mem_row_major ? p[(long) r * ldm + c] : p[(long) c * ldm + r];
        }
    }
}

template <int M, int N, int K, typename T>
inline void store_matrix_sync(float* p, const fragment<accumulator, M, N, K, T, void>& f, unsigned ldm,
                              layout_t layout) {
    for (int r = 0; r < f.rows; r++) {
        for (int c = 0; c < f.cols; c++) {
            float v = f.x[r * f.cols + c];
            if (layout == mem_row_major) {
                p[(long) r * ldm + c] = v;
            } else {
                p[(long) c * ldm + r] = v;
            }
        }
    }
}

// D = A B + C. Products of TF32 operands are exact in FP32; the sums are FP32, in k order (the hardware's order
// inside one instruction is its own, so results agree with a device to FP32 rounding, not bit for bit).
template <int M, int N, int K, typename TA, typename LA, typename TB, typename LB, typename TC>
inline void mma_sync(fragment<accumulator, M, N, K, TC, void>& d, const fragment<matrix_a, M, N, K, TA, LA>& a,
                     const fragment<matrix_b, M, N, K, TB, LB>& b, const fragment<accumulator, M, N, K, TC, void>& c) {
    // i, k, j: the innermost loop runs along a row of B and of the result, which the compiler vectorizes; each
    // element still sums its products in k order
    float out[M * N];
    memcpy(out, c.x, sizeof out);
    for (int i = 0; i < M; i++) {
        for (int k = 0; k < K; k++) {
            float aik = a.x[i * K + k];
            for (int j = 0; j < N; j++) {
                out[i * N + j] += aik * b.x[k * N + j];
            }
        }
    }
    memcpy(d.x, out, sizeof out);  // d may be c
}

// cvt.rna.tf32.f32: round to 10 explicit mantissa bits, to nearest with ties away from zero. Adding half of the
// dropped unit to the magnitude's bits does exactly that (a carry into the exponent is the correct rounding up).
inline float __float_to_tf32(float x) {
    uint32_t bits;
    memcpy(&bits, &x, sizeof bits);
    if ((bits & 0x7F800000u) != 0x7F800000u) {  // NaN and infinity stay as they are
        bits = (bits + 0x1000u) & 0xFFFFE000u;
    }
    memcpy(&x, &bits, sizeof x);
    return x;
}

}  // namespace wmma
}  // namespace nvcuda
