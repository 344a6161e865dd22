package dev.lamina.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CudaTest {

    @Test
    void withoutADriverOrDeviceOpenSaysWhatWasLookedFor() {
        assumeTrue(!Cuda.available(), "a CUDA device is present: this test covers machines without one");
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
            Kernel addOne = device.load(resource("add_one.ptx")).kernel("add_one");
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

    private static String resource(String name) throws IOException {
        try (InputStream in = CudaTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
