package dev.lamina.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kernels a program may launch: the library's, read from its source, and the network's own. */
class KernelSignaturesTest {
    private static final String NET = "extern \"C\" __global__ void fc_epilogue(float* out, const float* bias, "
            + "int rows, float* mask, unsigned long long key, int training) {}";

    @Test
    void theLibrarysKernelsComeWithEveryNetworks() {
        Map<String, List<String>> kernels = KernelSignatures.of(NET);
        assertEquals(List.of("f*", "f*", "i", "f*", "l", "i"), kernels.get("fc_epilogue"));
        assertEquals(List.of("i", "i", "i", "f", "f*", "i", "f*", "i", "f", "f*", "i"), kernels.get("lamina_gemm_nt"));
        assertEquals(List.of("f*", "f*", "f*", "l", "f", "f"), kernels.get("lamina_sgd_momentum"));
        // every __global__ of the library, and none of its __device__ functions
        String source = KernelLibrary.source();
        int globals = source.split("__global__", -1).length - 1;
        assertEquals(globals, KernelSignatures.library().size());
        assertEquals(globals + 1, kernels.size());
        assertTrue(!kernels.containsKey("lamina_uniform") && !kernels.containsKey("lamina_gemm_tile"));
        assertTrue(KernelLibrary.header().contains("lamina_uniform("));
    }

    @Test
    void aNetworkKernelMayNotRedefineALibraryKernel() {
        // the same kernel again (a .cu from before the library was compiled on its own) is no conflict
        String again = "extern \"C\" __global__ void lamina_scale(float* x, long count, float factor) {}";
        assertEquals(List.of("f*", "l", "f"), KernelSignatures.of(again).get("lamina_scale"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelSignatures.of(
                "extern \"C\" __global__ void lamina_scale(float* x, int count) {}"));
        assertTrue(e.getMessage().contains("has the name of the library's kernel lamina_scale"), e.getMessage());
    }
}
