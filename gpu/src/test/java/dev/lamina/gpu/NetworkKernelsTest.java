package dev.lamina.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void theLibrarysPtxIsFoundOnTheClassPathByTheSameRule(@TempDir Path classes) throws IOException {
        Path ptx = classes.resolve(KernelLibrary.ptx("sm_80"));
        Files.createDirectories(ptx.getParent());
        Files.writeString(ptx, "// stand-in PTX\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            assertEquals("META-INF/lamina/lamina_kernels.sm_80.ptx",
                    NetworkKernels.libraryResourceFor(loader, "sm_90"));
            GpuUnavailableException older = assertThrows(GpuUnavailableException.class,
                    () -> NetworkKernels.libraryResourceFor(loader, "sm_75"));
            assertTrue(older.getMessage().contains("library was built for [sm_80] only, and this device is sm_75"),
                    older.getMessage());
        }
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            GpuUnavailableException none = assertThrows(GpuUnavailableException.class,
                    () -> NetworkKernels.libraryResourceFor(empty, "sm_90"));
            assertTrue(none.getMessage().contains("kernel library was not built: no "
                    + "META-INF/lamina/lamina_kernels.sm_XX.ptx"), none.getMessage());
        }
    }
}
