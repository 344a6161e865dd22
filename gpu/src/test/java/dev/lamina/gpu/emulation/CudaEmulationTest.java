package dev.lamina.gpu.emulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.gpu.GpuUnavailableException;
import org.junit.jupiter.api.Test;

/** How the emulation finds its compiler and what it compiles, apart from running kernels (EmulatorCoreTest). */
class CudaEmulationTest {
    @Test
    void aCompilerNamedThatIsNotThereIsRefusedByName() {
        String before = System.getProperty("lamina.cxx");
        System.setProperty("lamina.cxx", "/nowhere/g++");
        try {
            GpuUnavailableException e = assertThrows(GpuUnavailableException.class, CudaEmulation.Compiler::find);
            assertTrue(e.getMessage().contains("/nowhere/g++") && e.getMessage().contains("C++ compiler"),
                    e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty("lamina.cxx");
            } else {
                System.setProperty("lamina.cxx", before);
            }
        }
    }

    @Test
    void aModuleDeclaresEachOfItsKernelsOnce() {
        String source = """
                extern "C" __global__ void first(float* x, int n) {}
                template <int N> __device__ void helper() {}
                extern "C"  __global__ void second(const float* x,
                                                   float* y) {}
                extern "C" __global__ void first(float* x, int n);
                """;
        assertEquals("""
                #include "net.cu"

                LAMINA_EMULATED_KERNELS_BEGIN
                LAMINA_EMULATED_KERNEL(first)
                LAMINA_EMULATED_KERNEL(second)
                LAMINA_EMULATED_KERNELS_END
                """, CudaEmulation.wrapper("net", source));
    }
}
