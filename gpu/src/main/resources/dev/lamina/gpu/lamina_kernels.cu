// ---------------------------------------------------------------------------------------------------------------
// Lamina's kernel library: the generic kernels, which do not depend on a network's shapes and which its device
// program launches by name. Compiled on its own, once per build, by the Maven plugin's compile-kernels goal into
// META-INF/lamina/lamina_kernels.sm_XX.ptx, and loaded once per CUDA context beside each network's own module
// (see dev.lamina.gpu.KernelLibrary). Layout as on the CPU: row-major matrices, images channels last
// ([n][h][w][c]). Every kernel is extern "C" so the host finds it by name in the PTX module.
// ---------------------------------------------------------------------------------------------------------------

#include <mma.h>  // the tensor-core GEMM below (used from sm_80 on)

#include "lamina_device.cuh"  // lamina_uniform, the CPU's dropout stream

#define LAMINA_TILE 64   // a block computes a 64 x 64 tile of C
#define LAMINA_DEPTH 16  // and reads A and B 16 columns / rows at a time
#define LAMINA_THREADS 256

// Staging element e of a tile of op(A) (LAMINA_TILE rows x DEPTH) or op(B) (DEPTH x LAMINA_TILE), shared by the
// FP32 and TF32 GEMMs: its place in the tile, and its value (zero outside the matrix). Consecutive threads walk
// the dimension that is contiguous in memory, so the loads coalesce whatever the transposes.
template <bool TA, int DEPTH>
__device__ __forceinline__ float lamina_stage_a(const float* __restrict__ A, int lda, int m, int k, int row0,
                                                int k0, int e, int& r, int& kk) {
    r = TA ? e % LAMINA_TILE : e / DEPTH;
    kk = TA ? e / LAMINA_TILE : e % DEPTH;
    int gr = row0 + r;
    int gk = k0 + kk;
    return (gr < m && gk < k) ? (TA ? A[(long) gk * lda + gr] : A[(long) gr * lda + gk]) : 0.0f;
}

template <bool TB, int DEPTH>
__device__ __forceinline__ float lamina_stage_b(const float* __restrict__ B, int ldb, int n, int k, int col0,
                                                int k0, int e, int& kb, int& c) {
    c = TB ? e / DEPTH : e % LAMINA_TILE;
    kb = TB ? e % DEPTH : e / LAMINA_TILE;
    int gc = col0 + c;
    int gkb = k0 + kb;
    return (gc < n && gkb < k) ? (TB ? B[(long) gc * ldb + gkb] : B[(long) gkb * ldb + gc]) : 0.0f;
}

// One tile of C = alpha op(A) op(B) + beta C, row-major, op(A) m x k and op(B) k x n. 256 threads as 16 x 16;
// each thread keeps a 4 x 4 block of C in registers (rows ty + 16 i, columns tx + 16 j, so that neighbouring
// threads read neighbouring shared-memory words). Tiles of A and B are staged through shared memory with
// coalesced loads whatever the transposes; out-of-range elements load as zero.
template <bool TA, bool TB>
__device__ __forceinline__ void lamina_gemm_tile(int m, int n, int k, float alpha, const float* __restrict__ A,
                                                 int lda, const float* __restrict__ B, int ldb, float beta,
                                                 float* __restrict__ C, int ldc) {
    __shared__ float As[LAMINA_DEPTH][LAMINA_TILE + 1];
    __shared__ float Bs[LAMINA_DEPTH][LAMINA_TILE + 1];
    const int tx = threadIdx.x % 16;
    const int ty = threadIdx.x / 16;
    // rows on x, whose grid dimension reaches 2^31 - 1 blocks (y stops at 65535: 4 million rows of C)
    const int row0 = blockIdx.x * LAMINA_TILE;
    const int col0 = blockIdx.y * LAMINA_TILE;
    float acc[4][4];
#pragma unroll
    for (int i = 0; i < 4; i++) {
#pragma unroll
        for (int j = 0; j < 4; j++) {
            acc[i][j] = 0.0f;
        }
    }
    for (int k0 = 0; k0 < k; k0 += LAMINA_DEPTH) {
        for (int e = threadIdx.x; e < LAMINA_TILE * LAMINA_DEPTH; e += LAMINA_THREADS) {
            int r, kk, kb, c;
            float a = lamina_stage_a<TA, LAMINA_DEPTH>(A, lda, m, k, row0, k0, e, r, kk);
            As[kk][r] = a;
            float b = lamina_stage_b<TB, LAMINA_DEPTH>(B, ldb, n, k, col0, k0, e, kb, c);
            Bs[kb][c] = b;
        }
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < LAMINA_DEPTH; kk++) {
            float a[4];
            float b[4];
#pragma unroll
            for (int i = 0; i < 4; i++) {
                a[i] = As[kk][ty + 16 * i];
                b[i] = Bs[kk][tx + 16 * i];
            }
#pragma unroll
            for (int i = 0; i < 4; i++) {
#pragma unroll
                for (int j = 0; j < 4; j++) {
                    acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
                }
            }
        }
        __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < 4; i++) {
        int r = row0 + ty + 16 * i;
#pragma unroll
        for (int j = 0; j < 4; j++) {
            int c = col0 + tx + 16 * j;
            if (r < m && c < n) {
                float* out = C + (long) r * ldc + c;
                *out = beta == 0.0f ? alpha * acc[i][j] : alpha * acc[i][j] + beta * *out;
            }
        }
    }
}

// Launch with grid (ceil(m / 64), ceil(n / 64)) and 256 threads; the suffix names op(A) and op(B).
extern "C" __global__ void lamina_gemm_nn(int m, int n, int k, float alpha, const float* A, int lda, const float* B,
                                          int ldb, float beta, float* C, int ldc) {
    lamina_gemm_tile<false, false>(m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}
extern "C" __global__ void lamina_gemm_nt(int m, int n, int k, float alpha, const float* A, int lda, const float* B,
                                          int ldb, float beta, float* C, int ldc) {
    lamina_gemm_tile<false, true>(m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}
extern "C" __global__ void lamina_gemm_tn(int m, int n, int k, float alpha, const float* A, int lda, const float* B,
                                          int ldb, float beta, float* C, int ldc) {
    lamina_gemm_tile<true, false>(m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

// The same GEMM on tensor cores in TF32 (sm_80 and newer; older devices run the tile above): A and B rounded to
// TF32 (10 explicit mantissa bits) as they are staged, products accumulated in FP32. Same launch as lamina_gemm_*:
// a 64 x 64 tile of C per block of 256 threads, each of the 8 warps owning two 16 x 16 fragments of it. What it
// trades away: about three decimal digits in each product, which float sums over a few hundred terms make
// visible at 1e-3 relative. DeviceNetwork uses it when asked (lamina.cuda.tf32).
#define LAMINA_TC_DEPTH 32
template <bool TA, bool TB>
__device__ __forceinline__ void lamina_gemm_tf32_tile(int m, int n, int k, float alpha, const float* __restrict__ A,
                                                      int lda, const float* __restrict__ B, int ldb, float beta,
                                                      float* __restrict__ C, int ldc) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
    using namespace nvcuda;
    // rows padded by 4 floats: wmma wants a leading dimension that is a multiple of 4, and 32-byte aligned rows
    __shared__ __align__(32) float As[LAMINA_TILE][LAMINA_TC_DEPTH + 4];
    __shared__ __align__(32) float Bs[LAMINA_TC_DEPTH][LAMINA_TILE + 4];
    __shared__ __align__(32) float Cs[LAMINA_TILE][LAMINA_TILE + 4];
    const int warp = threadIdx.x / 32;
    const int wr = warp / 2;        // fragment row of the warp, 0..3
    const int wc = (warp % 2) * 2;  // its first fragment column, 0 or 2
    // rows on x, whose grid dimension reaches 2^31 - 1 blocks (y stops at 65535: 4 million rows of C)
    const int row0 = blockIdx.x * LAMINA_TILE;
    const int col0 = blockIdx.y * LAMINA_TILE;
    wmma::fragment<wmma::accumulator, 16, 16, 8, float> acc[2];
    wmma::fill_fragment(acc[0], 0.0f);
    wmma::fill_fragment(acc[1], 0.0f);
    for (int k0 = 0; k0 < k; k0 += LAMINA_TC_DEPTH) {
        for (int e = threadIdx.x; e < LAMINA_TILE * LAMINA_TC_DEPTH; e += LAMINA_THREADS) {
            int r, kk, kb, c;
            float a = lamina_stage_a<TA, LAMINA_TC_DEPTH>(A, lda, m, k, row0, k0, e, r, kk);
            As[r][kk] = wmma::__float_to_tf32(a);
            float b = lamina_stage_b<TB, LAMINA_TC_DEPTH>(B, ldb, n, k, col0, k0, e, kb, c);
            Bs[kb][c] = wmma::__float_to_tf32(b);
        }
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < LAMINA_TC_DEPTH; kk += 8) {
            wmma::fragment<wmma::matrix_a, 16, 16, 8, wmma::precision::tf32, wmma::row_major> a;
            wmma::load_matrix_sync(a, &As[16 * wr][kk], LAMINA_TC_DEPTH + 4);
#pragma unroll
            for (int j = 0; j < 2; j++) {
                wmma::fragment<wmma::matrix_b, 16, 16, 8, wmma::precision::tf32, wmma::row_major> b;
                wmma::load_matrix_sync(b, &Bs[kk][16 * (wc + j)], LAMINA_TILE + 4);
                wmma::mma_sync(acc[j], a, b, acc[j]);
            }
        }
        __syncthreads();
    }
    // through shared memory to C: the tile's edges and beta as in the FP32 kernel
    for (int j = 0; j < 2; j++) {
        wmma::store_matrix_sync(&Cs[16 * wr][16 * (wc + j)], acc[j], LAMINA_TILE + 4, wmma::mem_row_major);
    }
    __syncthreads();
    for (int e = threadIdx.x; e < LAMINA_TILE * LAMINA_TILE; e += LAMINA_THREADS) {
        int r = e / LAMINA_TILE;
        int c = e % LAMINA_TILE;
        int gr = row0 + r;
        int gc = col0 + c;
        if (gr < m && gc < n) {
            float* out = C + (long) gr * ldc + gc;
            float v = alpha * Cs[r][c];
            *out = beta == 0.0f ? v : v + beta * *out;
        }
    }
#else
    lamina_gemm_tile<TA, TB>(m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
#endif
}

extern "C" __global__ void lamina_gemm_tf32_nn(int m, int n, int k, float alpha, const float* A, int lda,
                                               const float* B, int ldb, float beta, float* C, int ldc) {
    lamina_gemm_tf32_tile<false, false>(m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}
extern "C" __global__ void lamina_gemm_tf32_nt(int m, int n, int k, float alpha, const float* A, int lda,
                                               const float* B, int ldb, float beta, float* C, int ldc) {
    lamina_gemm_tf32_tile<false, true>(m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}
extern "C" __global__ void lamina_gemm_tf32_tn(int m, int n, int k, float alpha, const float* A, int lda,
                                               const float* B, int ldb, float beta, float* C, int ldc) {
    lamina_gemm_tf32_tile<true, false>(m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
}

// im2col for channels-last images: cols[(b positions + p) field + (ky k + kx) c + ch], zeros outside the image.
// One thread per column entry.
extern "C" __global__ void lamina_im2col(const float* in, int images, int h, int w, int c, int k, int stride,
                                         int pad, int dilation, int oh, int ow, float* cols) {
    long field = (long) k * k * c;
    long total = (long) images * oh * ow * field;
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < total; e += (long) gridDim.x * blockDim.x) {
        long row = e / field;
        int f = (int) (e % field);
        int ch = f % c;
        int kx = (f / c) % k;
        int ky = f / (c * k);
        int b = (int) (row / ((long) oh * ow));
        int p = (int) (row % ((long) oh * ow));
        int iy = (p / ow) * stride - pad + ky * dilation;
        int ix = (p % ow) * stride - pad + kx * dilation;
        cols[e] = (iy >= 0 && iy < h && ix >= 0 && ix < w) ? in[(((long) b * h + iy) * w + ix) * c + ch] : 0.0f;
    }
}

// The transpose of lamina_im2col: each input entry gathers the column entries it fed (no atomics, so the sums
// come out the same on every run). One thread per input entry.
extern "C" __global__ void lamina_col2im(const float* cols, int images, int h, int w, int c, int k, int stride,
                                         int pad, int dilation, int oh, int ow, float* in) {
    long total = (long) images * h * w * c;
    long field = (long) k * k * c;
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < total; e += (long) gridDim.x * blockDim.x) {
        int ch = (int) (e % c);
        int ix = (int) ((e / c) % w);
        int iy = (int) ((e / ((long) c * w)) % h);
        int b = (int) (e / ((long) c * w * h));
        float sum = 0.0f;
        for (int ky = 0; ky < k; ky++) {
            int ty = iy + pad - ky * dilation;
            if (ty < 0 || ty % stride != 0 || ty / stride >= oh) {
                continue;
            }
            for (int kx = 0; kx < k; kx++) {
                int tx = ix + pad - kx * dilation;
                if (tx < 0 || tx % stride != 0 || tx / stride >= ow) {
                    continue;
                }
                long row = ((long) b * oh + ty / stride) * ow + tx / stride;
                sum += cols[row * field + (ky * k + kx) * c + ch];
            }
        }
        in[e] = sum;
    }
}

// im2col along a sequence's steps (a 1D convolution): cols[(b outSteps + s) k c + kk c + ch]. One thread per entry.
extern "C" __global__ void lamina_im2col_1d(const float* in, int rows, int steps, int c, int k, int stride, int pad,
                                            int dilation, int outSteps, float* cols) {
    long field = (long) k * c;
    long total = (long) rows * outSteps * field;
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < total; e += (long) gridDim.x * blockDim.x) {
        long row = e / field;
        int f = (int) (e % field);
        int ch = f % c;
        int kk = f / c;
        long b = row / outSteps;
        int s = (int) (row % outSteps) * stride - pad + kk * dilation;
        cols[e] = (s >= 0 && s < steps) ? in[(b * steps + s) * c + ch] : 0.0f;
    }
}

// Its transpose, as a gather. One thread per input entry.
extern "C" __global__ void lamina_col2im_1d(const float* cols, int rows, int steps, int c, int k, int stride, int pad,
                                            int dilation, int outSteps, float* in) {
    long total = (long) rows * steps * c;
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < total; e += (long) gridDim.x * blockDim.x) {
        int ch = (int) (e % c);
        int s = (int) ((e / c) % steps);
        long b = e / ((long) c * steps);
        float sum = 0.0f;
        for (int kk = 0; kk < k; kk++) {
            int t = s + pad - kk * dilation;
            if (t >= 0 && t % stride == 0 && t / stride < outSteps) {
                sum += cols[((b * outSteps + t / stride) * k + kk) * c + ch];
            }
        }
        in[e] = sum;
    }
}

// Sums a and b over the block (blockDim.x a power of two, at most LAMINA_THREADS); every thread gets both
// totals back.
template <typename T>
__device__ __forceinline__ void lamina_block_sums(T& a, T& b) {
    __shared__ T s1[LAMINA_THREADS];
    __shared__ T s2[LAMINA_THREADS];
    s1[threadIdx.x] = a;
    s2[threadIdx.x] = b;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) {
            s1[threadIdx.x] += s1[threadIdx.x + s];
            s2[threadIdx.x] += s2[threadIdx.x + s];
        }
        __syncthreads();
    }
    a = s1[0];
    b = s2[0];
    __syncthreads();  // before the arrays serve another reduction
}

// Sums of each column of a rows x cols matrix added to out[cols]: a bias gradient. One block per column.
extern "C" __global__ void lamina_column_sums(const float* m, int rows, int cols, float* out) {
    int col = blockIdx.x;
    float sum = 0.0f;
    float none = 0.0f;
    for (int r = threadIdx.x; r < rows; r += blockDim.x) {
        sum += m[(long) r * cols + col];
    }
    lamina_block_sums(sum, none);
    if (threadIdx.x == 0) {
        out[col] += sum;
    }
}

// Batch norm, training: per channel, the sum of x - around and of its square over rows x channels (channels
// last), taken around the running mean as on the CPU. One block per channel; launch with 256 threads.
extern "C" __global__ void lamina_bn_moments(const float* x, int rows, int channels, const float* around,
                                             double* sums) {
    int ch = blockIdx.x;
    float a = around[ch];
    double sum = 0.0;
    double squares = 0.0;
    for (int r = threadIdx.x; r < rows; r += blockDim.x) {
        double d = x[(long) r * channels + ch] - a;
        sum += d;
        squares += d * d;
    }
    lamina_block_sums(sum, squares);
    if (threadIdx.x == 0) {
        sums[ch] = sum;
        sums[channels + ch] = squares;
    }
}

// Batch norm, training: the statistics from the moments, folded with gamma and beta into scale and shift, and
// the running statistics moved by momentum (unbiased variance). One thread per channel.
extern "C" __global__ void lamina_bn_statistics(const double* sums, int rows, int channels, float epsilon,
                                                float momentum, const float* gamma, const float* beta, float* mean,
                                                float* invStd, float* scale, float* shift, float* runningMean,
                                                float* runningVar) {
    int ch = blockIdx.x * blockDim.x + threadIdx.x;
    if (ch >= channels) {
        return;
    }
    double shifted = sums[ch] / rows;
    double m = runningMean[ch] + shifted;
    double biased = fmax(sums[channels + ch] / rows - shifted * shifted, 0.0);
    float inv = (float) (1.0 / sqrt(biased + epsilon));
    mean[ch] = (float) m;
    invStd[ch] = inv;
    scale[ch] = gamma[ch] * inv;
    shift[ch] = beta[ch] - (float) m * gamma[ch] * inv;
    double unbiased = rows > 1 ? biased * rows / (rows - 1) : biased;
    runningMean[ch] = (float) ((1 - momentum) * runningMean[ch] + momentum * m);
    runningVar[ch] = (float) ((1 - momentum) * runningVar[ch] + momentum * unbiased);
}

// Batch norm, inference: scale and shift from the running statistics, and the mean and 1/std they use for a
// backward pass in inference mode. One thread per channel.
extern "C" __global__ void lamina_bn_inference(int channels, float epsilon, const float* gamma, const float* beta,
                                               const float* runningMean, const float* runningVar, float* mean,
                                               float* invStd, float* scale, float* shift) {
    int ch = blockIdx.x * blockDim.x + threadIdx.x;
    if (ch < channels) {
        float inv = rsqrtf(runningVar[ch] + epsilon);
        float s = gamma[ch] * inv;
        mean[ch] = runningMean[ch];
        invStd[ch] = inv;
        scale[ch] = s;
        shift[ch] = beta[ch] - runningMean[ch] * s;
    }
}

// Batch norm, backward: per channel, sum(dy) and sum(dy xhat), added to the beta and gamma gradients and kept in
// sums for lamina_bn_backward. One block per channel; 256 threads.
extern "C" __global__ void lamina_bn_gradient_sums(const float* dy, const float* x, int rows, int channels,
                                                   const float* mean, const float* invStd, float* sums,
                                                   float* dGamma, float* dBeta) {
    int ch = blockIdx.x;
    float m = mean[ch];
    float inv = invStd[ch];
    float sum = 0.0f;
    float products = 0.0f;
    for (int r = threadIdx.x; r < rows; r += blockDim.x) {
        long i = (long) r * channels + ch;
        float g = dy[i];
        sum += g;
        products += g * (x[i] - m) * inv;
    }
    lamina_block_sums(sum, products);
    if (threadIdx.x == 0) {
        sums[ch] = sum;
        sums[channels + ch] = products;
        dBeta[ch] += sum;
        dGamma[ch] += products;
    }
}

// dx = gamma invStd (dy - mean(dy) - xhat mean(dy xhat)), one thread per value.
extern "C" __global__ void lamina_bn_backward(const float* dy, const float* x, int rows, int channels,
                                              const float* mean, const float* invStd, const float* gamma,
                                              const float* sums, float* dx) {
    long total = (long) rows * channels;
    for (long i = blockIdx.x * (long) blockDim.x + threadIdx.x; i < total; i += (long) gridDim.x * blockDim.x) {
        int ch = (int) (i % channels);
        float xhat = (x[i] - mean[ch]) * invStd[ch];
        dx[i] = gamma[ch] * invStd[ch] * (dy[i] - sums[ch] / rows - xhat * sums[channels + ch] / rows);
    }
}

// Batch norm, backward in inference mode: the running statistics are constants, so the layer is the affine map
// y = gamma invStd (x - mean) + beta and dx = gamma invStd dy. One thread per value.
extern "C" __global__ void lamina_bn_backward_affine(const float* dy, int rows, int channels, const float* invStd,
                                                     const float* gamma, float* dx) {
    long total = (long) rows * channels;
    for (long i = blockIdx.x * (long) blockDim.x + threadIdx.x; i < total; i += (long) gridDim.x * blockDim.x) {
        int ch = (int) (i % channels);
        dx[i] = gamma[ch] * invStd[ch] * dy[i];
    }
}

// Max pooling over channels-last images, recording each output's winning input (relative to the image batch);
// padding counts as minus infinity. One thread per output.
extern "C" __global__ void lamina_max_pool(const float* in, int images, int h, int w, int c, int k, int stride,
                                           int pad, int oh, int ow, float* out, int* argmax) {
    long total = (long) images * oh * ow * c;
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < total; e += (long) gridDim.x * blockDim.x) {
        int ch = (int) (e % c);
        int ox = (int) ((e / c) % ow);
        int oy = (int) ((e / ((long) c * ow)) % oh);
        int b = (int) (e / ((long) c * ow * oh));
        float best = -INFINITY;
        long winner = -1;
        for (int y = max(oy * stride - pad, 0); y < min(oy * stride - pad + k, h); y++) {
            for (int x = max(ox * stride - pad, 0); x < min(ox * stride - pad + k, w); x++) {
                long i = (((long) b * h + y) * w + x) * c + ch;
                if (winner < 0 || in[i] > best) {
                    best = in[i];
                    winner = i;
                }
            }
        }
        out[e] = best;
        argmax[e] = (int) winner;
    }
}

// Routes each output gradient to its winner; windows may overlap, so the adds are atomic. dIn starts at zero.
extern "C" __global__ void lamina_max_pool_backward(const float* dOut, const int* argmax, long outputs, float* dIn) {
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < outputs; e += (long) gridDim.x * blockDim.x) {
        atomicAdd(dIn + argmax[e], dOut[e]);
    }
}

// Global average pooling: out[b][ch] = mean over positions of in[b][p][ch]. One thread per output.
extern "C" __global__ void lamina_global_average(const float* in, int images, int positions, int c, float* out) {
    int e = blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= images * c) {
        return;
    }
    int b = e / c;
    int ch = e % c;
    float sum = 0.0f;
    for (int p = 0; p < positions; p++) {
        sum += in[((long) b * positions + p) * c + ch];
    }
    out[e] = sum / positions;
}

extern "C" __global__ void lamina_global_average_backward(const float* dOut, int images, int positions, int c,
                                                          float* dIn) {
    long total = (long) images * positions * c;
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < total; e += (long) gridDim.x * blockDim.x) {
        int ch = (int) (e % c);
        long b = e / ((long) positions * c);
        dIn[e] = dOut[b * c + ch] / positions;
    }
}

// m[r][c] += a[c] + b[c] over rows x cols (b may be null): a recurrent layer's biases added to every step's
// projection.
extern "C" __global__ void lamina_add_bias_rows(float* m, long rows, int cols, const float* a, const float* b) {
    long total = rows * cols;
    for (long i = blockIdx.x * (long) blockDim.x + threadIdx.x; i < total; i += (long) gridDim.x * blockDim.x) {
        int c = (int) (i % cols);
        m[i] += a[c] + (b != nullptr ? b[c] : 0.0f);
    }
}

// dst[r][c] += src[r][c] for rows rows of width floats, each matrix with its own row stride.
extern "C" __global__ void lamina_add_rows(const float* src, int srcStride, float* dst, int dstStride, long rows,
                                           int width) {
    long total = rows * width;
    for (long i = blockIdx.x * (long) blockDim.x + threadIdx.x; i < total; i += (long) gridDim.x * blockDim.x) {
        long r = i / width;
        int c = (int) (i % width);
        dst[r * dstStride + c] += src[r * srcStride + c];
    }
}

// width floats of each of rows rows, from src (rows srcStride apart) to dst (rows dstStride apart): one step of
// a [rows][steps][width] region to or from a [rows][width] one.
extern "C" __global__ void lamina_copy_rows(const float* src, int srcStride, float* dst, int dstStride, long rows,
                                            int width) {
    long total = rows * width;
    for (long i = blockIdx.x * (long) blockDim.x + threadIdx.x; i < total; i += (long) gridDim.x * blockDim.x) {
        long r = i / width;
        int c = (int) (i % width);
        dst[r * dstStride + c] = src[r * srcStride + c];
    }
}

// A batch gathered from a data set held on the device: row r of dst is row index[r] of src (width floats a row),
// turned from channels first to channels last when the rows are images of more than one channel, as the CPU's
// setInput does.
extern "C" __global__ void lamina_gather_rows(const float* src, const int* index, long rows, int width,
                                              int channels, float* dst) {
    long total = rows * width;
    int positions = width / channels;
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < total; e += (long) gridDim.x * blockDim.x) {
        long r = e / width;
        int j = (int) (e % width);
        int from = channels > 1 ? (j % channels) * positions + j / channels : j;
        dst[e] = src[(long) index[r] * width + from];
    }
}

// y[i] += x[i]: a gradient's second contribution.
extern "C" __global__ void lamina_accumulate(const float* x, long count, float* y) {
    for (long i = blockIdx.x * (long) blockDim.x + threadIdx.x; i < count; i += (long) gridDim.x * blockDim.x) {
        y[i] += x[i];
    }
}
// A dropout layer of its own, with the CPU's masks: keep = 0 with probability `rate`, else 1 / (1 - rate); every
// value kept outside training.
extern "C" __global__ void lamina_dropout(const float* x, float* y, float* mask, long count, unsigned long long key,
                                          float rate, float scale, int training) {
    for (long i = blockIdx.x * (long) blockDim.x + threadIdx.x; i < count; i += (long) gridDim.x * blockDim.x) {
        float keep = training ? (lamina_uniform(key, i) < rate ? 0.0f : scale) : 1.0f;
        mask[i] = keep;
        y[i] = x[i] * keep;
    }
}

// delta[i] *= mask[i]: the gradient back through a dropout's mask, in place.
extern "C" __global__ void lamina_dropout_backward(float* delta, const float* mask, long count) {
    for (long i = blockIdx.x * (long) blockDim.x + threadIdx.x; i < count; i += (long) gridDim.x * blockDim.x) {
        delta[i] *= mask[i];
    }
}

// SGD with momentum over the flat parameter array, the CPU's form: v = mu v - lr g; p += v.
extern "C" __global__ void lamina_sgd_momentum(float* p, const float* g, float* v, long count, float lr,
                                               float momentum) {
    for (long i = blockIdx.x * (long) blockDim.x + threadIdx.x; i < count; i += (long) gridDim.x * blockDim.x) {
        float vi = momentum * v[i] - lr * g[i];
        v[i] = vi;
        p[i] += vi;
    }
}

// Nesterov momentum in the CPU's look-ahead form: v = mu v - lr g; p += mu v - lr g.
extern "C" __global__ void lamina_nesterov(float* p, const float* g, float* v, long count, float lr,
                                           float momentum) {
    for (long i = blockIdx.x * (long) blockDim.x + threadIdx.x; i < count; i += (long) gridDim.x * blockDim.x) {
        float step = lr * g[i];
        float vi = momentum * v[i] - step;
        v[i] = vi;
        p[i] += momentum * vi - step;
    }
}

// AdaGrad: r += g g; p -= lr g / (delta + sqrt(r)).
extern "C" __global__ void lamina_adagrad(float* p, const float* g, float* r, long count, float lr, float delta) {
    for (long i = blockIdx.x * (long) blockDim.x + threadIdx.x; i < count; i += (long) gridDim.x * blockDim.x) {
        float gi = g[i];
        float ri = r[i] + gi * gi;
        r[i] = ri;
        p[i] -= lr * gi / (delta + sqrtf(ri));
    }
}

// RMSProp: r = rho r + (1 - rho) g g; p -= lr g / sqrt(delta + r).
extern "C" __global__ void lamina_rmsprop(float* p, const float* g, float* r, long count, float lr, float rho,
                                          float delta) {
    for (long i = blockIdx.x * (long) blockDim.x + threadIdx.x; i < count; i += (long) gridDim.x * blockDim.x) {
        float gi = g[i];
        float ri = rho * r[i] + (1 - rho) * gi * gi;
        r[i] = ri;
        p[i] -= lr * gi / sqrtf(delta + ri);
    }
}

// A penalty's gradient added to one weight tensor's: l2 w + l1 sign(w).
extern "C" __global__ void lamina_regularize(const float* p, float* g, long count, float l1, float l2) {
    for (long i = blockIdx.x * (long) blockDim.x + threadIdx.x; i < count; i += (long) gridDim.x * blockDim.x) {
        float w = p[i];
        g[i] += l2 * w + l1 * (float) ((w > 0.0f) - (w < 0.0f));
    }
}

// The sum of squares of x, added to *out (which starts at zero): the gradient's global norm, squared.
extern "C" __global__ void lamina_sum_squares(const float* x, long count, double* out) {
    double sum = 0.0;
    double none = 0.0;
    for (long i = blockIdx.x * (long) blockDim.x + threadIdx.x; i < count; i += (long) gridDim.x * blockDim.x) {
        sum += (double) x[i] * x[i];
    }
    lamina_block_sums(sum, none);
    if (threadIdx.x == 0) {
        atomicAdd(out, sum);
    }
}

// x *= factor.
extern "C" __global__ void lamina_scale(float* x, long count, float factor) {
    for (long i = blockIdx.x * (long) blockDim.x + threadIdx.x; i < count; i += (long) gridDim.x * blockDim.x) {
        x[i] *= factor;
    }
}

// Adam, the CPU's form: correct1 and correct2 are 1 / (1 - rho^t), computed on the host for step t.
extern "C" __global__ void lamina_adam(float* p, const float* g, float* s, float* r, long count, float lr,
                                       float rho1, float rho2, float delta, float correct1, float correct2,
                                       float decay) {
    for (long i = blockIdx.x * (long) blockDim.x + threadIdx.x; i < count; i += (long) gridDim.x * blockDim.x) {
        float gi = g[i];
        float si = rho1 * s[i] + (1 - rho1) * gi;
        float ri = rho2 * r[i] + (1 - rho2) * gi * gi;
        s[i] = si;
        r[i] = ri;
        p[i] = decay * p[i] - lr * (si * correct1) / (sqrtf(ri * correct2) + delta);
    }
}

// Average pooling (no padding): one thread per output.
extern "C" __global__ void lamina_average_pool(const float* in, int images, int h, int w, int c, int k, int stride,
                                               int oh, int ow, float* out) {
    long total = (long) images * oh * ow * c;
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < total; e += (long) gridDim.x * blockDim.x) {
        int ch = (int) (e % c);
        int ox = (int) ((e / c) % ow);
        int oy = (int) ((e / ((long) c * ow)) % oh);
        long b = e / ((long) c * ow * oh);
        float sum = 0.0f;
        for (int y = 0; y < k; y++) {
            for (int x = 0; x < k; x++) {
                sum += in[((b * h + oy * stride + y) * w + ox * stride + x) * c + ch];
            }
        }
        out[e] = sum / (k * k);
    }
}

// Its backward pass as a gather: each input sums the outputs whose windows hold it. One thread per input.
extern "C" __global__ void lamina_average_pool_backward(const float* dOut, int images, int h, int w, int c, int k,
                                                        int stride, int oh, int ow, float* dIn) {
    long total = (long) images * h * w * c;
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < total; e += (long) gridDim.x * blockDim.x) {
        int ch = (int) (e % c);
        int x = (int) ((e / c) % w);
        int y = (int) ((e / ((long) c * w)) % h);
        long b = e / ((long) c * w * h);
        float sum = 0.0f;
        for (int oy = max(0, (y - k + stride) / stride); oy <= min(oh - 1, y / stride); oy++) {
            for (int ox = max(0, (x - k + stride) / stride); ox <= min(ow - 1, x / stride); ox++) {
                if (y - oy * stride < k && x - ox * stride < k) {
                    sum += dOut[((b * oh + oy) * ow + ox) * c + ch];
                }
            }
        }
        dIn[e] = sum / (k * k);
    }
}

// Nearest-neighbour upsampling by `scale`, and its backward pass (each input sums its scale x scale copies).
extern "C" __global__ void lamina_upsample(const float* in, int images, int h, int w, int c, int scale, float* out) {
    long total = (long) images * h * scale * w * scale * c;
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < total; e += (long) gridDim.x * blockDim.x) {
        int ch = (int) (e % c);
        int x = (int) ((e / c) % (w * scale));
        int y = (int) ((e / ((long) c * w * scale)) % (h * scale));
        long b = e / ((long) c * w * scale * h * scale);
        out[e] = in[((b * h + y / scale) * w + x / scale) * c + ch];
    }
}

extern "C" __global__ void lamina_upsample_backward(const float* dOut, int images, int h, int w, int c, int scale,
                                                    float* dIn) {
    long total = (long) images * h * w * c;
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < total; e += (long) gridDim.x * blockDim.x) {
        int ch = (int) (e % c);
        int x = (int) ((e / c) % w);
        int y = (int) ((e / ((long) c * w)) % h);
        long b = e / ((long) c * w * h);
        float sum = 0.0f;
        for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
                sum += dOut[((b * h * scale + y * scale + dy) * (w * scale) + x * scale + dx) * c + ch];
            }
        }
        dIn[e] = sum;
    }
}

// Max-unpooling, as on the CPU: each pooled value back at its recorded winner (out starts at zero), placed once
// where overlapping windows won the same input: the last such window's value in raster order. Whether value e is
// that one: no later window of its image and channel won the same input; windows more than `reach` =
// (k - 1) / stride steps apart do not overlap, so only those nearer are looked at.
__device__ __forceinline__ bool lamina_unpool_places(const int* argmax, long e, int oh, int ow, int c, int reach) {
    int ch = (int) (e % c);
    int ox = (int) ((e / c) % ow);
    int oy = (int) ((e / ((long) c * ow)) % oh);
    long image = e - ((long) oy * ow + ox) * c - ch;
    for (int y = oy; y <= min(oh - 1, oy + reach); y++) {
        for (int x = max(0, ox - reach); x <= min(ow - 1, ox + reach); x++) {
            if ((y > oy || x > ox) && argmax[image + ((long) y * ow + x) * c + ch] == argmax[e]) {
                return false;
            }
        }
    }
    return true;
}

extern "C" __global__ void lamina_unpool(const float* in, const int* argmax, long count, int oh, int ow, int c,
                                         int reach, float* out) {
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < count; e += (long) gridDim.x * blockDim.x) {
        if (lamina_unpool_places(argmax, e, oh, ow, c, reach)) {
            out[argmax[e]] = in[e];
        }
    }
}

// Its exact adjoint: a pooled value gets the gradient at its winner if it is the value placed there, else 0.
extern "C" __global__ void lamina_unpool_backward(const float* dOut, const int* argmax, long count, int oh, int ow,
                                                  int c, int reach, float* dIn) {
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < count; e += (long) gridDim.x * blockDim.x) {
        dIn[e] = lamina_unpool_places(argmax, e, oh, ow, c, reach) ? dOut[argmax[e]] : 0.0f;
    }
}

// Concatenation along channels: a part's `width` channels placed at `offset` of `total` per position, and taken
// back out of the joined gradient.
extern "C" __global__ void lamina_place(const float* part, long positions, int width, int total, int offset,
                                        float* joined) {
    long count = positions * width;
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < count; e += (long) gridDim.x * blockDim.x) {
        joined[(e / width) * total + offset + e % width] = part[e];
    }
}

extern "C" __global__ void lamina_take(const float* joined, long positions, int width, int total, int offset,
                                       float* part) {
    long count = positions * width;
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < count; e += (long) gridDim.x * blockDim.x) {
        part[e] = joined[(e / width) * total + offset + e % width];
    }
}

// Embedding lookup: ids are float-coded token ids; an id outside [0, vocabulary) yields zeros and sets *bad to
// the id (the host checks it and raises the CPU path's error). One thread per output value.
extern "C" __global__ void lamina_embed(const float* ids, long count, int dim, int vocabulary, const float* table,
                                        float* out, float* bad) {
    long total = count * dim;
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < total; e += (long) gridDim.x * blockDim.x) {
        int id = (int) ids[e / dim];
        if (id < 0 || id >= vocabulary) {
            *bad = ids[e / dim];
            out[e] = 0.0f;
        } else {
            out[e] = table[(long) id * dim + e % dim];
        }
    }
}

// Its backward pass: rows of the gradient added into the table's gradient (ids may repeat: atomic).
extern "C" __global__ void lamina_embed_backward(const float* ids, long count, int dim, int vocabulary,
                                                 const float* dOut, float* dTable) {
    long total = count * dim;
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < total; e += (long) gridDim.x * blockDim.x) {
        int id = (int) ids[e / dim];
        if (id >= 0 && id < vocabulary) {
            atomicAdd(dTable + (long) id * dim + e % dim, dOut[e]);
        }
    }
}

// Layer normalisation over the last axis of `features`: one block per row; keeps the row's mean and inverse
// deviation for the backward pass. y = gamma xhat + beta.
extern "C" __global__ void lamina_layer_norm(const float* x, int rows, int features, float epsilon,
                                             const float* gamma, const float* beta, float* stats, float* y) {
    int r = blockIdx.x;
    const float* row = x + (long) r * features;
    float sum = 0.0f;
    float squares = 0.0f;
    for (int j = threadIdx.x; j < features; j += blockDim.x) {
        sum += row[j];
        squares += row[j] * row[j];
    }
    lamina_block_sums(sum, squares);
    float mean = sum / features;
    float inv = rsqrtf(fmaxf(squares / features - mean * mean, 0.0f) + epsilon);
    if (threadIdx.x == 0) {
        stats[2 * r] = mean;
        stats[2 * r + 1] = inv;
    }
    for (int j = threadIdx.x; j < features; j += blockDim.x) {
        y[(long) r * features + j] = gamma[j] * (row[j] - mean) * inv + beta[j];
    }
}

// dx = inv (g - mean(g) - xhat mean(g xhat)) with g = gamma dy; gamma and beta gradients added atomically.
extern "C" __global__ void lamina_layer_norm_backward(const float* dy, const float* x, int rows, int features,
                                                      const float* gamma, const float* stats, float* dx,
                                                      float* dGamma, float* dBeta) {
    int r = blockIdx.x;
    float mean = stats[2 * r];
    float inv = stats[2 * r + 1];
    long base = (long) r * features;
    float sum = 0.0f;
    float products = 0.0f;
    for (int j = threadIdx.x; j < features; j += blockDim.x) {
        float xhat = (x[base + j] - mean) * inv;
        float g = gamma[j] * dy[base + j];
        sum += g;
        products += g * xhat;
        atomicAdd(dGamma + j, dy[base + j] * xhat);
        atomicAdd(dBeta + j, dy[base + j]);
    }
    lamina_block_sums(sum, products);
    float meanG = sum / features;
    float meanGx = products / features;
    for (int j = threadIdx.x; j < features; j += blockDim.x) {
        float xhat = (x[base + j] - mean) * inv;
        dx[base + j] = inv * (gamma[j] * dy[base + j] - meanG - xhat * meanGx);
    }
}

// Local response normalisation across channels (AlexNet): y = x / (k + alpha/size sum_window x^2)^beta; keeps
// each denominator base for the backward pass. One thread per value.
extern "C" __global__ void lamina_lrn(const float* x, long positions, int c, int size, float alpha, float beta,
                                      float k, float* base, float* y) {
    long total = positions * c;
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < total; e += (long) gridDim.x * blockDim.x) {
        int ch = (int) (e % c);
        long p = e - ch;
        float sum = 0.0f;
        for (int j = max(0, ch - size / 2); j <= min(c - 1, ch + (size - 1) / 2); j++) {
            sum += x[p + j] * x[p + j];
        }
        float b = k + alpha / size * sum;
        base[e] = b;
        y[e] = x[e] * powf(b, -beta);
    }
}

extern "C" __global__ void lamina_lrn_backward(const float* dy, const float* x, const float* base, long positions,
                                               int c, int size, float alpha, float beta, float* dx) {
    long total = positions * c;
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < total; e += (long) gridDim.x * blockDim.x) {
        int ch = (int) (e % c);
        long p = e - ch;
        float sum = 0.0f;
        // x_ch appears in the sums of every channel j whose window holds ch
        for (int j = max(0, ch - (size - 1) / 2); j <= min(c - 1, ch + size / 2); j++) {
            sum += dy[p + j] * x[p + j] * powf(base[p + j], -beta - 1.0f);
        }
        dx[e] = dy[e] * powf(base[e], -beta) - 2.0f * alpha * beta / size * x[e] * sum;
    }
}
