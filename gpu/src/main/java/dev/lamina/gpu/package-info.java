/**
 * The GPU through JCuda's driver API: {@link dev.lamina.gpu.Cuda} finds the driver and devices,
 * {@link dev.lamina.gpu.CudaDevice} holds a context and the one stream work goes to, and PTX modules, device memory,
 * pinned host buffers, launches and captured graphs hang off it. No CUDA toolkit is needed at run time.
 */
package dev.lamina.gpu;
