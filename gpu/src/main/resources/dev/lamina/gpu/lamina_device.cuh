// ---------------------------------------------------------------------------------------------------------------
// The device functions of Lamina's kernel library that a network's own generated kernels call too: the CPU's
// dropout stream (a fused dropout in a layer's epilogue) and the recurrent cells (a layer's step kernels
// instantiate the templates with its sizes). Included by lamina_kernels.cu and by every generated Net.cu; the
// Maven plugin puts it on nvcc's include path (see dev.lamina.gpu.KernelLibrary).
// ---------------------------------------------------------------------------------------------------------------

#pragma once

// The dropout stream of the CPU path (dev.lamina.runtime.Rng.uniform): the same key and counter give the same
// mask on both devices.
__device__ __forceinline__ float lamina_uniform(unsigned long long key, unsigned long long counter) {
    unsigned long long z = key + 0x9E3779B97F4A7C15ULL * counter;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z = z ^ (z >> 31);
    return (float) (z >> 40) * 5.9604644775390625e-8f;  // 2^-24
}

// Recurrent cells, one step of all rows: regions are [rows][steps][width], so step t of row r is at
// (r * steps + t) * width. Gate pre-activations (input and recurrent projections with their biases) are in
// `gates` from the GEMMs before the call; the forward step leaves the activations there, the backward step the
// pre-activations' gradients, as on the CPU.
__device__ __forceinline__ float lamina_sigmoid(float u) {
    return 1.0f / (1.0f + expf(-u));
}

// LSTM, gates i, f, g, o (PyTorch's order); with COUPLED the input gate is 1 - f and the gates are f, g, o; with
// PEEPHOLE i and f also see c_{t-1} and o sees c_t, through per-unit weights `peep` ([i, f, o] or [f, o] blocks
// of H, as on the CPU). c0 is the carried cell state ([rows][H]) or null for zeros.
template <int H, int STEPS, bool PEEPHOLE, bool COUPLED>
__device__ __forceinline__ void lamina_lstm_forward(float* gates, float* cells, float* hidden, const float* c0,
                                                    const float* peep, int rows, int t) {
    const int G = COUPLED ? 3 : 4;
    const int F = COUPLED ? 0 : 1;
    long total = (long) rows * H;
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < total; e += (long) gridDim.x * blockDim.x) {
        long r = e / H;
        int j = (int) (e % H);
        float* g = gates + (r * STEPS + t) * G * H;
        float previous = t > 0 ? cells[(r * STEPS + t - 1) * H + j] : (c0 != nullptr ? c0[r * H + j] : 0.0f);
        float wi = PEEPHOLE && !COUPLED ? peep[j] : 0.0f;
        float wf = PEEPHOLE ? peep[(COUPLED ? 0 : H) + j] : 0.0f;
        float wo = PEEPHOLE ? peep[(COUPLED ? H : 2 * H) + j] : 0.0f;
        float f = lamina_sigmoid(g[F * H + j] + wf * previous);
        float i = COUPLED ? 1.0f - f : lamina_sigmoid(g[j] + wi * previous);
        float n = tanhf(g[(F + 1) * H + j]);
        float c = f * previous + i * n;
        float o = lamina_sigmoid(g[(F + 2) * H + j] + wo * c);
        if (!COUPLED) {
            g[j] = i;
        }
        g[F * H + j] = f;
        g[(F + 1) * H + j] = n;
        g[(F + 2) * H + j] = o;
        cells[(r * STEPS + t) * H + j] = c;
        hidden[(r * STEPS + t) * H + j] = o * tanhf(c);
    }
}

// dh: the gradient at h_t (from the layer above and the step after); dc: the gradient at c_t carried from the
// step after ([rows][H], updated in place to the gradient at c_{t-1}); dPeep: the peephole weights' gradient.
template <int H, int STEPS, bool PEEPHOLE, bool COUPLED>
__device__ __forceinline__ void lamina_lstm_backward(float* gates, const float* cells, const float* dh, float* dc,
                                                     const float* c0, const float* peep, float* dPeep, int rows,
                                                     int t) {
    const int G = COUPLED ? 3 : 4;
    const int F = COUPLED ? 0 : 1;
    long total = (long) rows * H;
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < total; e += (long) gridDim.x * blockDim.x) {
        long r = e / H;
        int j = (int) (e % H);
        float* g = gates + (r * STEPS + t) * G * H;
        float f = g[F * H + j];
        float i = COUPLED ? 1.0f - f : g[j];
        float n = g[(F + 1) * H + j];
        float o = g[(F + 2) * H + j];
        float c = cells[(r * STEPS + t) * H + j];
        float previous = t > 0 ? cells[(r * STEPS + t - 1) * H + j] : (c0 != nullptr ? c0[r * H + j] : 0.0f);
        float wi = PEEPHOLE && !COUPLED ? peep[j] : 0.0f;
        float wf = PEEPHOLE ? peep[(COUPLED ? 0 : H) + j] : 0.0f;
        float wo = PEEPHOLE ? peep[(COUPLED ? H : 2 * H) + j] : 0.0f;
        float tc = tanhf(c);
        float dhj = dh[(r * STEPS + t) * H + j];
        float dO = dhj * tc * o * (1.0f - o);
        float dcj = dc[r * H + j] + dhj * o * (1.0f - tc * tc) + dO * wo;
        float dN = dcj * i * (1.0f - n * n);
        // with a coupled gate, f also moves c through i = 1 - f
        float dF = dcj * (COUPLED ? previous - n : previous) * f * (1.0f - f);
        float dI = COUPLED ? 0.0f : dcj * n * i * (1.0f - i);
        if (!COUPLED) {
            g[j] = dI;
        }
        g[F * H + j] = dF;
        g[(F + 1) * H + j] = dN;
        g[(F + 2) * H + j] = dO;
        dc[r * H + j] = dcj * f + dI * wi + dF * wf;
        if (PEEPHOLE) {
            if (!COUPLED) {
                atomicAdd(dPeep + j, dI * previous);
            }
            atomicAdd(dPeep + (COUPLED ? 0 : H) + j, dF * previous);
            atomicAdd(dPeep + (COUPLED ? H : 2 * H) + j, dO * c);
        }
    }
}

// GRU in PyTorch's form (gates r, z, n): n = tanh(x_n + r (W_hn h + b_hn)), h = (1 - z) n + z h_{t-1}.
// `gates` holds the input projections, `projections` the recurrent ones (both with their biases).
template <int H, int STEPS>
__device__ __forceinline__ void lamina_gru_forward(float* gates, float* projections, float* hidden, const float* h0,
                                                   int rows, int t) {
    long total = (long) rows * H;
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < total; e += (long) gridDim.x * blockDim.x) {
        long r = e / H;
        int j = (int) (e % H);
        float* g = gates + (r * STEPS + t) * 3 * H;
        const float* p = projections + (r * STEPS + t) * 3 * H;
        float reset = lamina_sigmoid(g[j] + p[j]);
        float update = lamina_sigmoid(g[H + j] + p[H + j]);
        float n = tanhf(g[2 * H + j] + reset * p[2 * H + j]);
        float previous = t > 0 ? hidden[(r * STEPS + t - 1) * H + j] : (h0 != nullptr ? h0[r * H + j] : 0.0f);
        g[j] = reset;
        g[H + j] = update;
        g[2 * H + j] = n;
        hidden[(r * STEPS + t) * H + j] = (1.0f - update) * n + update * previous;
    }
}

// Writes the gradients at the input projections into `gates`, at the recurrent ones into `projections`, and
// adds the direct path's gradient at h_{t-1} (z dh) into dhPrevious ([rows][H]); the path through the recurrent
// projections comes from the GEMM with weight_hh after the call.
template <int H, int STEPS>
__device__ __forceinline__ void lamina_gru_backward(float* gates, float* projections, const float* hidden,
                                                    const float* dh, float* dhPrevious, const float* h0, int rows,
                                                    int t) {
    long total = (long) rows * H;
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < total; e += (long) gridDim.x * blockDim.x) {
        long r = e / H;
        int j = (int) (e % H);
        float* g = gates + (r * STEPS + t) * 3 * H;
        float* p = projections + (r * STEPS + t) * 3 * H;
        float reset = g[j];
        float update = g[H + j];
        float n = g[2 * H + j];
        float hn = p[2 * H + j];
        float previous = t > 0 ? hidden[(r * STEPS + t - 1) * H + j] : (h0 != nullptr ? h0[r * H + j] : 0.0f);
        float d = dh[(r * STEPS + t) * H + j];
        float dn = d * (1.0f - update) * (1.0f - n * n);
        float dz = d * (previous - n) * update * (1.0f - update);
        float dr = dn * hn * reset * (1.0f - reset);
        g[j] = dr;
        g[H + j] = dz;
        g[2 * H + j] = dn;
        p[j] = dr;
        p[H + j] = dz;
        p[2 * H + j] = dn * reset;
        dhPrevious[r * H + j] = d * update;
    }
}

// Elman RNN: h = tanh(pre-activation); backward writes the pre-activation's gradient in place.
template <int H, int STEPS>
__device__ __forceinline__ void lamina_rnn_forward(float* gates, float* hidden, int rows, int t) {
    long total = (long) rows * H;
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < total; e += (long) gridDim.x * blockDim.x) {
        long at = ((e / H) * STEPS + t) * H + e % H;
        float h = tanhf(gates[at]);
        gates[at] = h;
        hidden[at] = h;
    }
}

template <int H, int STEPS>
__device__ __forceinline__ void lamina_rnn_backward(float* gates, const float* dh, int rows, int t) {
    long total = (long) rows * H;
    for (long e = blockIdx.x * (long) blockDim.x + threadIdx.x; e < total; e += (long) gridDim.x * blockDim.x) {
        long at = ((e / H) * STEPS + t) * H + e % H;
        float h = gates[at];
        gates[at] = dh[at] * (1.0f - h * h);
    }
}
