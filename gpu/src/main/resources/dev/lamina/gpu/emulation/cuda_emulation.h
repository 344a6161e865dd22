// ---------------------------------------------------------------------------------------------------------------
// CUDA's built-ins for a .cu compiled by the host C++ compiler into an emulated module (see driver.cpp): force-
// included before the kernel source (g++ -include cuda_emulation.h), so the same CUDA C runs on the CPU.
//
// Execution model this relies on (driver.cpp keeps it): a block's threads are fibers on ONE OS thread and a
// worker runs one block at a time, so `static thread_local` storage is exactly a block's shared memory; the
// indices below are the driver's per-OS-thread variables, which it rewrites at every fiber switch. Blocks of one
// launch run in parallel on several OS threads, so the atomics are real atomics.
// ---------------------------------------------------------------------------------------------------------------

#pragma once

#include <assert.h>  // device code may assert and printf, as under nvcc
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <type_traits>
#include <utility>

// The kernels compile for a device of compute capability 9.0 (what the emulated driver reports): code guarded by
// __CUDA_ARCH__ (the TF32 tensor-core GEMM) takes its device path.
#define __CUDACC__ 1
#define __CUDA_ARCH__ 900

// nvcc does not warn about comparing threadIdx.x (unsigned) with an int bound; neither do we, so that -Wall
// reports what matters in the unchanged sources. (nvcc's `#pragma unroll` needs -Wno-unknown-pragmas on the
// command line: GCC 12 cannot silence a preprocessor warning from here.)
#pragma GCC diagnostic ignored "-Wsign-compare"

#define __global__
#define __host__
#define __device__
#define __constant__
#define __forceinline__ inline __attribute__((always_inline))
#define __noinline__ __attribute__((noinline))
#define __restrict__ __restrict
#define __align__(n) __attribute__((aligned(n)))
#define __launch_bounds__(...)
// One instance per OS thread = per block (see above). Also right inside templates: each instantiation has its own.
// Shared memory keeps what the worker's previous block left in it (a device's is as undefined). Not emulated, and
// so a compile error: dynamic shared memory (`extern __shared__`), warp shuffles and votes, cooperative groups.
#define __shared__ static thread_local

struct uint3 {
    unsigned int x, y, z;
};

struct dim3 {
    unsigned int x, y, z;
    constexpr dim3(unsigned int vx = 1, unsigned int vy = 1, unsigned int vz = 1) : x(vx), y(vy), z(vz) {}
    constexpr dim3(uint3 v) : x(v.x), y(v.y), z(v.z) {}
};

// Defined in driver.cpp (the module resolves them against the loaded driver); __thread, not thread_local, so
// that reading them needs no TLS wrapper call.
extern "C" {
extern __thread uint3 lamina_emulation_thread_idx;
extern __thread uint3 lamina_emulation_block_idx;
extern __thread dim3 lamina_emulation_block_dim;
extern __thread dim3 lamina_emulation_grid_dim;
// Set by every atomic: the race check cannot compare a kernel whose result depends on the atomics' order.
extern __thread int lamina_emulation_used_atomics;
// Suspends the calling fiber until every thread of its block has arrived.
void lamina_emulation_syncthreads(void);
}

#define threadIdx (static_cast<const uint3&>(lamina_emulation_thread_idx))
#define blockIdx (static_cast<const uint3&>(lamina_emulation_block_idx))
#define blockDim (static_cast<const dim3&>(lamina_emulation_block_dim))
#define gridDim (static_cast<const dim3&>(lamina_emulation_grid_dim))
#define warpSize 32

// The memory clobbers keep the compiler from holding shared or global values in registers across the barrier.
static inline void __syncthreads() {
    __asm__ __volatile__("" ::: "memory");
    lamina_emulation_syncthreads();
    __asm__ __volatile__("" ::: "memory");
}
template <typename T>
static inline T __ldg(const T* p) {
    return *p;
}
static inline void __threadfence() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
static inline void __threadfence_block() { __atomic_signal_fence(__ATOMIC_SEQ_CST); }

// ---- atomics: return the old value, as on the device ----------------------------------------------------------

namespace lamina_emulation {

template <typename T>
inline T atomic_integer_add(T* address, T value) {
    lamina_emulation_used_atomics = 1;
    return __atomic_fetch_add(address, value, __ATOMIC_RELAXED);
}

// Floating-point read-modify-write as a compare-and-swap loop on the value's bits.
template <typename F, typename Bits, typename Op>
inline F atomic_float_update(F* address, Op op) {
    static_assert(sizeof(F) == sizeof(Bits), "bits of the same width");
    lamina_emulation_used_atomics = 1;
    Bits* bits = reinterpret_cast<Bits*>(address);
    Bits expected = __atomic_load_n(bits, __ATOMIC_RELAXED);
    for (;;) {
        F old;
        memcpy(&old, &expected, sizeof old);
        F updated = op(old);
        Bits desired;
        memcpy(&desired, &updated, sizeof desired);
        if (__atomic_compare_exchange_n(bits, &expected, desired, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
            return old;
        }
    }
}

}  // namespace lamina_emulation

static inline int atomicAdd(int* a, int v) { return lamina_emulation::atomic_integer_add(a, v); }
static inline unsigned int atomicAdd(unsigned int* a, unsigned int v) {
    return lamina_emulation::atomic_integer_add(a, v);
}
static inline unsigned long long atomicAdd(unsigned long long* a, unsigned long long v) {
    return lamina_emulation::atomic_integer_add(a, v);
}
static inline float atomicAdd(float* a, float v) {
    return lamina_emulation::atomic_float_update<float, uint32_t>(a, [v](float old) { return old + v; });
}
static inline double atomicAdd(double* a, double v) {
    return lamina_emulation::atomic_float_update<double, uint64_t>(a, [v](double old) { return old + v; });
}
static inline float atomicMax(float* a, float v) {
    return lamina_emulation::atomic_float_update<float, uint32_t>(a, [v](float old) { return fmaxf(old, v); });
}
template <typename T>
static inline T atomicMax(T* a, T v) {
    static_assert(std::is_integral<T>::value, "atomicMax on integers");
    lamina_emulation_used_atomics = 1;
    T old = __atomic_load_n(a, __ATOMIC_RELAXED);
    while (old < v && !__atomic_compare_exchange_n(a, &old, v, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
    return old;
}
template <typename T>
static inline T atomicMin(T* a, T v) {
    static_assert(std::is_integral<T>::value, "atomicMin on integers");
    lamina_emulation_used_atomics = 1;
    T old = __atomic_load_n(a, __ATOMIC_RELAXED);
    while (old > v && !__atomic_compare_exchange_n(a, &old, v, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
    return old;
}
template <typename T>
static inline T atomicExch(T* a, T v) {
    lamina_emulation_used_atomics = 1;
    if constexpr (std::is_same<T, float>::value) {
        uint32_t bits;
        memcpy(&bits, &v, sizeof bits);
        uint32_t old = __atomic_exchange_n(reinterpret_cast<uint32_t*>(a), bits, __ATOMIC_RELAXED);
        float result;
        memcpy(&result, &old, sizeof result);
        return result;
    } else {
        return __atomic_exchange_n(a, v, __ATOMIC_RELAXED);
    }
}
template <typename T>
static inline T atomicCAS(T* a, T compare, T v) {
    static_assert(std::is_integral<T>::value, "atomicCAS on integers");
    lamina_emulation_used_atomics = 1;
    __atomic_compare_exchange_n(a, &compare, v, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
    return compare;  // the value found, whether or not it was replaced
}

// ---- math intrinsics: the fast device forms computed with the accurate host functions ---------------------------

// glibc's math.h declares __expf, __logf, ... itself (its internal names), so these are macros, not functions.
#define __expf expf
#define __exp10f exp10f
#define __logf logf
#define __log2f log2f
#define __log10f log10f
#define __powf powf
#define __sinf sinf
#define __cosf cosf
#define __tanf tanf
#define __tanhf tanhf
static inline float __fdividef(float x, float y) { return x / y; }
static inline float __frcp_rn(float x) { return 1.0f / x; }
static inline float __fsqrt_rn(float x) { return sqrtf(x); }
static inline float __fadd_rn(float x, float y) { return x + y; }
static inline float __fmul_rn(float x, float y) { return x * y; }
static inline float __fmaf_rn(float x, float y, float z) { return fmaf(x, y, z); }
static inline float __saturatef(float x) { return x < 0.0f ? 0.0f : (x > 1.0f ? 1.0f : x); }
static inline float rsqrtf(float x) { return 1.0f / sqrtf(x); }
static inline double rsqrt(double x) { return 1.0 / sqrt(x); }
static inline float rcbrtf(float x) { return 1.0f / cbrtf(x); }
static inline int __float_as_int(float x) {
    int i;
    memcpy(&i, &x, sizeof i);
    return i;
}
static inline unsigned int __float_as_uint(float x) {
    unsigned int i;
    memcpy(&i, &x, sizeof i);
    return i;
}
static inline float __int_as_float(int i) {
    float x;
    memcpy(&x, &i, sizeof x);
    return x;
}
static inline float __uint_as_float(unsigned int i) {
    float x;
    memcpy(&x, &i, sizeof x);
    return x;
}
static inline long long __double_as_longlong(double x) {
    long long i;
    memcpy(&i, &x, sizeof i);
    return i;
}
static inline double __longlong_as_double(long long i) {
    double x;
    memcpy(&x, &i, sizeof x);
    return x;
}
static inline int __float2int_rn(float x) { return (int) nearbyintf(x); }
static inline int __float2int_rz(float x) { return (int) x; }
static inline int __float2int_rd(float x) { return (int) floorf(x); }
static inline int __float2int_ru(float x) { return (int) ceilf(x); }
static inline float __int2float_rn(int i) { return (float) i; }
static inline int __popc(unsigned int x) { return __builtin_popcount(x); }
static inline int __clz(int x) { return x == 0 ? 32 : __builtin_clz((unsigned int) x); }
static inline int __ffs(int x) { return __builtin_ffs(x); }
// CUDA's min and max overloads (one per type, so a float never passes through an int).
static inline int min(int a, int b) { return a < b ? a : b; }
static inline int max(int a, int b) { return a > b ? a : b; }
static inline unsigned int min(unsigned int a, unsigned int b) { return a < b ? a : b; }
static inline unsigned int max(unsigned int a, unsigned int b) { return a > b ? a : b; }
static inline long min(long a, long b) { return a < b ? a : b; }
static inline long max(long a, long b) { return a > b ? a : b; }
static inline long long min(long long a, long long b) { return a < b ? a : b; }
static inline long long max(long long a, long long b) { return a > b ? a : b; }
static inline float min(float a, float b) { return fminf(a, b); }
static inline float max(float a, float b) { return fmaxf(a, b); }
static inline double min(double a, double b) { return fmin(a, b); }
static inline double max(double a, double b) { return fmax(a, b); }

// ---- the kernel registry of an emulated module ------------------------------------------------------------------
//
//   #include "Net.cu"
//   LAMINA_EMULATED_KERNELS_BEGIN
//   LAMINA_EMULATED_KERNEL(add_one)
//   LAMINA_EMULATED_KERNELS_END
//
// defines lamina_emulated_kernels(), which the driver looks up after dlopen: per kernel its name, its parameters'
// sizes (cuLaunchKernel copies that many bytes from each kernelParams[i]) and an invoker that calls it.

namespace lamina_emulation {

struct KernelEntry {
    const char* name;
    int parameterCount;
    const int* parameterSizes;   // parameterCount entries
    const int* parameterAligns;  // their alignments, for the copy the driver makes at a launch
    void (*invoke)(void** parameters);
};

template <auto Kernel, typename Signature>
struct KernelInvoker;

template <auto Kernel, typename... Parameters>
struct KernelInvoker<Kernel, void (*)(Parameters...)> {
    static constexpr int count = (int) sizeof...(Parameters);
    // one more than needed so that a kernel without parameters still has an array
    static constexpr int sizes[sizeof...(Parameters) + 1] = {(int) sizeof(std::decay_t<Parameters>)..., 0};
    static constexpr int aligns[sizeof...(Parameters) + 1] = {(int) alignof(std::decay_t<Parameters>)..., 0};

    template <size_t... I>
    static void call(void** parameters, std::index_sequence<I...>) {
        Kernel(*static_cast<std::decay_t<Parameters>*>(parameters[I])...);
    }
    static void invoke(void** parameters) {
        (void) parameters;
        call(parameters, std::index_sequence_for<Parameters...>{});
    }
};

template <auto Kernel>
constexpr KernelEntry entry(const char* name) {
    using Invoker = KernelInvoker<Kernel, decltype(Kernel)>;
    return KernelEntry{name, Invoker::count, Invoker::sizes, Invoker::aligns, &Invoker::invoke};
}

}  // namespace lamina_emulation

#define LAMINA_EMULATED_KERNELS_BEGIN \
    static const ::lamina_emulation::KernelEntry lamina_emulated_kernel_table[] = {
#define LAMINA_EMULATED_KERNEL(name) ::lamina_emulation::entry<&name>(#name),
// The closing entry is a terminator, so that a module with no kernels still has a valid array.
#define LAMINA_EMULATED_KERNELS_END                                                                            \
    ::lamina_emulation::KernelEntry{nullptr, 0, nullptr, nullptr, nullptr}};                                   \
    extern "C" __attribute__((visibility("default"))) const ::lamina_emulation::KernelEntry*                  \
    lamina_emulated_kernels(int* count) {                                                                      \
        *count = (int) (sizeof lamina_emulated_kernel_table / sizeof lamina_emulated_kernel_table[0]) - 1;     \
        return lamina_emulated_kernel_table;                                                                   \
    }
