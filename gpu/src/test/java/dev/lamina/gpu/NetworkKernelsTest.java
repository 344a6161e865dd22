package dev.lamina.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NetworkKernelsTest {
    /** Has BuiltNet.sm_80.ptx and BuiltNet.sm_90.ptx beside it (test resources). */
    static final class BuiltNet {
    }

    /** Has no PTX: a network built without nvcc. */
    static final class UnbuiltNet {
    }

    @Test
    void theNewestPtxNotNewerThanTheDeviceIsTaken() {
        assertEquals("BuiltNet.sm_90.ptx", NetworkKernels.resourceFor(BuiltNet.class, "sm_90"));
        assertEquals("BuiltNet.sm_90.ptx", NetworkKernels.resourceFor(BuiltNet.class, "sm_100"));
        assertEquals("BuiltNet.sm_80.ptx", NetworkKernels.resourceFor(BuiltNet.class, "sm_86"));
    }

    @Test
    void aNetworkBuiltWithoutKernelsSaysSo() {
        GpuUnavailableException e = assertThrows(GpuUnavailableException.class,
                () -> NetworkKernels.resourceFor(UnbuiltNet.class, "sm_90"));
        assertTrue(e.getMessage().contains("was built without CUDA kernels: no UnbuiltNet.sm_XX.ptx"), e.getMessage());
    }

    @Test
    void kernelsOnlyForNewerDevicesAreNamed() {
        GpuUnavailableException e = assertThrows(GpuUnavailableException.class,
                () -> NetworkKernels.resourceFor(BuiltNet.class, "sm_75"));
        assertTrue(e.getMessage().contains("has kernels for [sm_90, sm_80] only, and this device is sm_75"),
                e.getMessage());
    }
}
