package dev.lamina.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lamina.gpu.emulation.CudaEmulation;
import java.io.IOException;
import jcuda.CudaException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

class CudaTest {

    @Test
    void withoutADriverOrDeviceOpenSaysWhatWasLookedFor() {
        assumeTrue(!Cuda.available(), () -> "the GPU path runs here (" + Cuda.describe()
                + "): this test covers machines with neither a device nor the emulation");
        String reason = Cuda.unavailableReason();
        assertTrue(reason.contains("libcuda.so.1") || reason.contains("no CUDA device"), reason);
        GpuUnavailableException e = assertThrows(GpuUnavailableException.class, () -> Cuda.open(0));
        assertEquals(reason, e.getMessage());
    }

    @Test
    void aDeviceIndexOutOfRangeIsRefusedByName() {
        assumeTrue(Cuda.available(), () -> "no GPU here, so nothing to check: " + Cuda.unavailableReason());
        GpuUnavailableException e = assertThrows(GpuUnavailableException.class,
                () -> Cuda.open(Cuda.deviceCount()));
        assertTrue(e.getMessage().contains("device(s)"), e.getMessage());
    }

    @Test
    void recordsWhatRunsTheKernels() throws IOException {
        // .ci/run lists, for each module, what its GPU tests ran on
        Files.writeString(Path.of("target", "gpu-tests-ran-on.txt"), "CudaTest: " + Cuda.describe() + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        assertTrue(Cuda.describe().contains(Cuda.available() ? (Cuda.emulated() ? "emulation" : "device") : "no GPU"),
                Cuda.describe());
    }

    @Test
    void memoryRoundTripsAndAKernelRunsDirectlyAndFromAGraph() throws IOException {
        assumeTrue(Cuda.available(), () -> "no GPU here, so the device tests are skipped: " + Cuda.unavailableReason());
        try (CudaDevice device = Cuda.open(0); DeviceMemory memory = device.allocate(1000);
             PinnedBuffer pinned = device.pinned(1000)) {
            assertTrue(device.architecture().startsWith("sm_"), device.architecture());
            float[] x = new float[1000];
            for (int i = 0; i < x.length; i++) {
                x[i] = i * 0.5f;
            }
            memory.upload(x, 0, 0, 1000);
            Kernel addOne = device.load(addOneModule()).kernel("add_one");
            addOne.launch(4, 256, memory.at(0), 1000);
            float[] back = new float[1000];
            memory.download(0, back, 0, 1000);
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i] + 1f, back[i], "float " + i);
            }
            // a captured graph replays the launch; an asynchronous copy through pinned memory brings it back
            try (CudaGraph twice = device.capture(() -> {
                addOne.launch(4, 256, memory.at(100), 900);
                addOne.launch(4, 256, memory.at(100), 900);
            })) {
                twice.launch();
            }
            memory.downloadAsync(0, pinned, 0, 1000);
            device.synchronize();
            float[] after = new float[1000];
            pinned.floats().get(0, after);
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i] + (i < 100 ? 1f : 3f), after[i], "float " + i);
            }
            memory.clear(0, 10);
            memory.download(0, back, 0, 10);
            assertArrayEquals(new float[10], java.util.Arrays.copyOf(back, 10));
        }
    }

    @Test
    void anAccessOutsideEveryAllocationStopsTheKernelNamingItAndTheAddress() throws IOException {
        assumeTrue(Cuda.emulated(), "only the emulation checks every access; a device may not notice");
        try (CudaDevice device = Cuda.open(0); DeviceMemory memory = device.allocate(1000)) {
            Kernel addOne = device.load(addOneModule()).kernel("add_one");
            // 2000 floats asked of an allocation of 1000: the first write past its end stops the kernel
            CudaException e = assertThrows(CudaException.class, () -> addOne.launch(8, 256, memory.at(0), 2000));
            assertTrue(e.getMessage().contains("CUDA_ERROR_ILLEGAL_ADDRESS") && e.getMessage().contains("add_one")
                    && e.getMessage().contains("0x"), e.getMessage());
            // the emulated device goes on working after it
            float[] ones = new float[1000];
            java.util.Arrays.fill(ones, 1f);
            memory.upload(ones, 0, 0, 1000);
            addOne.launch(4, 256, memory.at(0), 1000);
            float[] back = new float[1000];
            memory.download(0, back, 0, 1000);
            assertEquals(2f, back[999]);
        }
    }

    /** The test kernel's module: PTX for a device, its source compiled for the CPU on the emulation. */
    static String addOneModule() throws IOException {
        return Cuda.emulated() ? CudaEmulation.load().moduleImage("add_one", resource("add_one.cu"))
                : resource("add_one.ptx");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = CudaTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
