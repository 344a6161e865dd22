/**
 * The GPU through JCuda's driver API: {@link dev.lamina.gpu.Cuda} finds the driver and devices,
 * {@link dev.lamina.gpu.CudaDevice} holds a context and the one stream work goes to, and PTX modules, device memory,
 * pinned host buffers, launches and captured graphs hang off it. No CUDA toolkit is needed at run time.
 *
 * <p>The API: {@link dev.lamina.gpu.Cuda}, {@link dev.lamina.gpu.CudaDevice}'s opening and closing,
 * {@link dev.lamina.gpu.DeviceNetwork} (a generated network trained on the device), {@link dev.lamina.gpu.Agreement}
 * and {@link dev.lamina.gpu.GpuUnavailableException}. The driver layer and the device program (memory, modules,
 * kernels, graphs, {@link dev.lamina.gpu.DeviceProgram}) are public for the Maven plugin and the processor's tests;
 * each says in its first sentence that it is not API.
 */
package dev.lamina.gpu;
