// Kernels of EmulatorCoreTest: each exercises one part of the CUDA emulation (barrier, shared memory, atomics,
// bounds, wmma). Compiled like a generated Net.cu, with cuda_emulation.h force-included.

#include <mma.h>

// Each block reverses its tile of `in` through shared memory: right only if every thread has stored its element
// before any reads its mirror's.
extern "C" __global__ void reverse_tiles(const float* in, float* out) {
    __shared__ float tile[256];
    int base = blockIdx.x * blockDim.x;
    tile[threadIdx.x] = in[base + threadIdx.x];
    __syncthreads();
    out[base + threadIdx.x] = tile[blockDim.x - 1 - threadIdx.x];
}

// The same with the barrier missing: a race.
extern "C" __global__ void reverse_tiles_without_barrier(const float* in, float* out) {
    __shared__ float tile[256];
    int base = blockIdx.x * blockDim.x;
    tile[threadIdx.x] = in[base + threadIdx.x];
    out[base + threadIdx.x] = tile[blockDim.x - 1 - threadIdx.x];
}

// A block sum through a templated device function's shared array: one array per instantiation, one per block.
template <typename T>
__device__ __forceinline__ T block_sum(T value) {
    __shared__ T partial[256];
    partial[threadIdx.x] = value;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) {
            partial[threadIdx.x] += partial[threadIdx.x + s];
        }
        __syncthreads();
    }
    T total = partial[0];
    __syncthreads();
    return total;
}

extern "C" __global__ void block_sums(const float* in, const double* inDouble, float* out, double* outDouble) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    float f = block_sum<float>(in[i]);
    double d = block_sum<double>(inDouble[i]);
    if (threadIdx.x == 0) {
        out[blockIdx.x] = f;
        outDouble[blockIdx.x] = d;
    }
}

// Every thread of every block adds to the same counters.
extern "C" __global__ void count_everyone(int* count, float* floatSum, double* doubleSum,
                                          unsigned long long* wideCount) {
    atomicAdd(count, 1);
    atomicAdd(floatSum, 1.0f);
    atomicAdd(doubleSum, 0.5);
    atomicAdd(wideCount, 1ULL);
}

extern "C" __global__ void add_value(float* x, int n, float value) {
    for (long i = blockIdx.x * (long) blockDim.x + threadIdx.x; i < n; i += (long) gridDim.x * blockDim.x) {
        x[i] += value;
    }
}

// Out of bounds on purpose: thread i reads in[i + offset] / writes out[i + offset].
extern "C" __global__ void read_at(const float* in, float* out, int n, int offset) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        out[i] = in[i + offset];
    }
}

extern "C" __global__ void write_at(float* out, int n, int offset) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        out[i + offset] = 1.0f;
    }
}

// Only the first half of each block reaches the barrier: a bug the emulation must report, not hang on.
extern "C" __global__ void half_barrier(float* x) {
    if (threadIdx.x < blockDim.x / 2) {
        __syncthreads();
    }
    x[threadIdx.x] = 1.0f;
}

// One warp's 16 x 16 x 8 TF32 product through wmma: d = round(a) round(b) + c, all row-major.
extern "C" __global__ void wmma_tf32(const float* a, const float* b, const float* c, float* d) {
    using namespace nvcuda;
    __shared__ __align__(32) float as[16 * 8];
    __shared__ __align__(32) float bs[8 * 16];
    for (int e = threadIdx.x; e < 128; e += blockDim.x) {
        as[e] = wmma::__float_to_tf32(a[e]);
        bs[e] = wmma::__float_to_tf32(b[e]);
    }
    __syncthreads();
    wmma::fragment<wmma::matrix_a, 16, 16, 8, wmma::precision::tf32, wmma::row_major> fa;
    wmma::fragment<wmma::matrix_b, 16, 16, 8, wmma::precision::tf32, wmma::row_major> fb;
    wmma::fragment<wmma::accumulator, 16, 16, 8, float> acc;
    wmma::fill_fragment(acc, 0.0f);
    wmma::load_matrix_sync(fa, as, 8);
    wmma::load_matrix_sync(fb, bs, 16);
    wmma::mma_sync(acc, fa, fb, acc);
    wmma::store_matrix_sync(d, acc, 16, wmma::mem_row_major);
    (void) c;
}

// __float_to_tf32 of each element, for the rounding's edge cases.
extern "C" __global__ void to_tf32(const float* in, float* out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        out[i] = nvcuda::wmma::__float_to_tf32(in[i]);
    }
}

// A kernel without parameters and one that only counts barriers: the registry's and the scheduler's edge cases.
extern "C" __global__ void nothing() {}

extern "C" __global__ void many_barriers(int* phases) {
    for (int p = 0; p < 100; p++) {
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        phases[blockIdx.x] = 100;
    }
}

// Every block writes the same element without an atomic: a race between blocks (the last one wins).
extern "C" __global__ void every_block_writes_one_place(float* out) {
    if (threadIdx.x == 0) {
        out[0] = (float) blockIdx.x;
    }
}
