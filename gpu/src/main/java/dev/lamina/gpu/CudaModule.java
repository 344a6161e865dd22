package dev.lamina.gpu;

import static jcuda.driver.JCudaDriver.cuModuleGetFunction;

import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;

/**
 * Internal, not API: part of the device path behind {@link DeviceNetwork}, public for the Maven plugin and the
 * processor's tests; it may change in any release.
 *
 * <p>A loaded PTX module: the kernels of one network, or the kernel library ({@link NetworkKernels}).
 */
public final class CudaModule {
    private final CudaDevice device;
    private final CUmodule module;

    CudaModule(CudaDevice device, CUmodule module) {
        this.device = device;
        this.module = module;
    }

    /**
     * {@return the kernel {@code name} (an {@code extern "C" __global__} function of the module)}
     *
     * @param name the kernel's name
     */
    public Kernel kernel(String name) {
        CUfunction function = new CUfunction();
        cuModuleGetFunction(function, module, name);
        return new Kernel(device, name, function);
    }

    /** The driver's handle of the module. */
    CUmodule handle() {
        return module;
    }
}
