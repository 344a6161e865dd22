/**
 * Internal, not API: CUDA's execution model on the CPU, so that the GPU path's tests run where there is no GPU
 * ({@link dev.lamina.gpu.emulation.CudaEmulation}); it may change in any release.
 */
package dev.lamina.gpu.emulation;
