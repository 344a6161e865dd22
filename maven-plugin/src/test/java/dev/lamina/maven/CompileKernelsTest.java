package dev.lamina.maven;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two compiles of compile-kernels, where nvcc is found: the kernel library on its own, and a network's .cu that
 * includes the library's header from the scratch directory and holds only its own kernels.
 */
class CompileKernelsTest {
    private static final String NET = String.join("\n",
            "#include \"lamina_device.cuh\"",
            "extern \"C\" __global__ void drop(float* y, unsigned long long key) {",
            "    y[threadIdx.x] = lamina_uniform(key, threadIdx.x);",
            "}",
            "");

    @Test
    void theLibraryAndANetworkIncludingItsHeaderCompileApart(@TempDir Path dir) throws Exception {
        Optional<CudaToolchain> toolchain = CudaToolchain.find(null, System.getenv());
        assumeTrue(toolchain.isPresent(), "nvcc not found on PATH, in $CUDA_HOME/bin or /usr/local/cuda/bin");
        Path scratch = Files.createDirectory(dir.resolve("scratch"));
        Path library = CompileKernelsMojo.library(scratch);
        Path net = Files.writeString(dir.resolve("Net.cu"), NET);
        toolchain.get().compile(library, dir.resolve("lamina_kernels.sm_80.ptx"), "sm_80", scratch, scratch);
        toolchain.get().compile(net, dir.resolve("Net.sm_80.ptx"), "sm_80", scratch, scratch);
        assertTrue(Files.readString(dir.resolve("lamina_kernels.sm_80.ptx")).contains(".entry lamina_gemm_nt("));
        String own = Files.readString(dir.resolve("Net.sm_80.ptx"));
        assertTrue(own.contains(".entry drop("), own);
        assertFalse(own.contains("lamina_gemm_nt"), "the library's kernels are not in the network's module");
    }
}
