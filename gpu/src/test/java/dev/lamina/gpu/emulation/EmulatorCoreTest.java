package dev.lamina.gpu.emulation;

import static jcuda.driver.JCudaDriver.cuCtxCreate;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuGetErrorString;
import static jcuda.driver.JCudaDriver.cuGraphDestroy;
import static jcuda.driver.JCudaDriver.cuGraphExecDestroy;
import static jcuda.driver.JCudaDriver.cuGraphInstantiate;
import static jcuda.driver.JCudaDriver.cuGraphLaunch;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemAllocManaged;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD32;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuStreamBeginCapture;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamEndCapture;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstreamCaptureMode;
import jcuda.driver.JCudaDriver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CUDA emulation's core (driver.cpp, cuda_emulation.h, include/mma.h) through JCuda, as the GPU path uses it:
 * barriers and shared memory, atomics across parallel blocks, graph capture and replay, bounds, guards between
 * regions, the JVM's own faults beside the emulation's handler, the race check, wmma in TF32. Loads the emulation
 * as the GPU path does ({@link CudaEmulation#load()}, before JCuda's native library), so it needs a JVM in which
 * JCuda has not been loaded on a real driver, and a C++ compiler.
 */
class EmulatorCoreTest {

    private static final String TEST_KERNELS = "/dev/lamina/gpu/emulation/emulator_core_test.cu";
    private static final int ILLEGAL_ADDRESS = CUresult.CUDA_ERROR_ILLEGAL_ADDRESS;
    /** What every 4-byte word of a guard holds while no kernel has written it. */
    private static final int CANARY = 0x7FA5A5A5;

    private static CUstream stream;
    private static CUmodule module;
    private static CUmodule library;  // lamina_kernels.cu, unchanged

    @BeforeAll
    static void loadTheEmulation() throws IOException {
        CudaEmulation emulation = CudaEmulation.load();
        String moduleImage = emulation.moduleImage("emulator_core_test", resourceText(TEST_KERNELS));
        String libraryImage = emulation.libraryImage();
        JCudaDriver.setExceptionsEnabled(false);
        ok(cuInit(0));
        CUdevice device = new CUdevice();
        ok(cuDeviceGet(device, 0));
        assertEquals("Lamina CUDA emulation (CPU)", deviceName(device), "JCuda runs on the emulated driver (it "
                + "must be loaded before JCuda's native library, in a JVM where JCuda was not loaded yet)");
        ok(cuCtxCreate(new CUcontext(), 0, device));
        stream = new CUstream();
        ok(cuStreamCreate(stream, 0));
        module = new CUmodule();
        ok(cuModuleLoadData(module, moduleImage));
        library = new CUmodule();
        ok(cuModuleLoadData(library, libraryImage));
    }

    private static String deviceName(CUdevice device) {
        byte[] name = new byte[64];
        ok(cuDeviceGetName(name, name.length, device));
        int end = 0;
        while (end < name.length && name[end] != 0) {
            end++;
        }
        return new String(name, 0, end, StandardCharsets.US_ASCII);
    }

    @Test
    void jcudaRunsOnTheEmulatedDriverAnSm90Device() {
        CUdevice device = new CUdevice();
        ok(cuDeviceGet(device, 0));
        assertEquals("Lamina CUDA emulation (CPU)", deviceName(device));
        int[] major = new int[1];
        ok(cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device));
        assertEquals(9, major[0]);
    }

    @Test
    void aBarrierMakesEveryThreadsSharedStoreVisibleAndWithoutItTheReversalIsWrong() {
        int n = 8 * 256;
        float[] x = ramp(n);
        float[] reversed = new float[n];
        for (int i = 0; i < n; i++) {
            reversed[i] = x[(i / 256) * 256 + 255 - i % 256];
        }
        try (Buffer in = Buffer.of(x); Buffer out = new Buffer(n)) {
            launch("reverse_tiles", 8, 256, in.pointer, out.pointer);
            assertArrayEquals(reversed, out.read());
            launch("reverse_tiles_without_barrier", 8, 256, in.pointer, out.pointer);
            assertFalse(Arrays.equals(reversed, out.read()), "without the barrier some reads come early");
        }
    }

    @Test
    void everyThreadOrderGivesACorrectKernelTheSameResult() {
        int n = 4 * 256;
        float[] x = ramp(n);
        try (Buffer in = Buffer.of(x); Buffer out = new Buffer(n)) {
            float[] first = null;
            for (int order = 0; order <= 2; order++) {
                EmulatorControl.setThreadOrder(order, 17L);
                launch("reverse_tiles", 4, 256, in.pointer, out.pointer);
                float[] result = out.read();
                if (first == null) {
                    first = result;
                }
                assertArrayEquals(first, result, "order " + order);
            }
        } finally {
            EmulatorControl.setThreadOrder(0, 0L);  // the other tests expect index order
        }
    }

    @Test
    void sharedArraysOfATemplateAreOnePerInstantiationAndPerBlock() {
        int blocks = 6;
        int n = blocks * 256;
        float[] x = ramp(n);
        double[] xd = new double[n];
        for (int i = 0; i < n; i++) {
            xd[i] = 0.25 * i;
        }
        try (Buffer in = Buffer.of(x); Buffer inDouble = new Buffer(2 * n); Buffer out = new Buffer(blocks);
             Buffer outDouble = new Buffer(2 * blocks)) {
            ok(cuMemcpyHtoD(inDouble.pointer, Pointer.to(xd), (long) n * Sizeof.DOUBLE));
            launch("block_sums", blocks, 256, in.pointer, inDouble.pointer, out.pointer, outDouble.pointer);
            float[] sums = out.read();
            double[] sumsDouble = new double[blocks];
            ok(cuMemcpyDtoH(Pointer.to(sumsDouble), outDouble.pointer, (long) blocks * Sizeof.DOUBLE));
            for (int b = 0; b < blocks; b++) {
                double expected = 0;
                for (int i = b * 256; i < (b + 1) * 256; i++) {
                    expected += i;
                }
                // integers below 2^24: exact in float whatever the order of the sums
                assertEquals((float) expected, sums[b], "block " + b);
                assertEquals(0.25 * expected, sumsDouble[b], "block " + b + " (double)");
            }
        }
    }

    @Test
    void atomicsCountEveryThreadOfBlocksRunningInParallel() {
        EmulatorControl.setWorkers(4);
        try (Buffer counters = new Buffer(8)) {
            ok(cuMemsetD32(counters.pointer, 0, 8));
            launch("count_everyone", 1000, 128, counters.pointer, counters.pointer.withByteOffset(4),
                    counters.pointer.withByteOffset(8), counters.pointer.withByteOffset(16));
            ByteBuffer bytes = counters.bytes();
            assertEquals(128_000, bytes.getInt(0));
            assertEquals(128_000f, bytes.getFloat(4));
            assertEquals(64_000.0, bytes.getDouble(8));
            assertEquals(128_000L, bytes.getLong(16));
        } finally {
            EmulatorControl.setWorkers(Runtime.getRuntime().availableProcessors());
        }
    }

    @Test
    void aCapturedGraphRunsNothingUntilLaunchedAndReplaysItsOwnParameters() {
        int n = 1000;
        Pointer pinned = new Pointer();
        ok(cuMemAllocHost(pinned, (long) n * Sizeof.FLOAT));
        try (Buffer x = new Buffer(n)) {
            ByteBuffer staged = pinned.getByteBuffer(0, (long) n * Sizeof.FLOAT).order(ByteOrder.nativeOrder());
            for (int i = 0; i < n; i++) {
                staged.putFloat(4 * i, i);
            }
            float[] value = {1f};
            CUgraph graph = new CUgraph();
            ok(cuStreamBeginCapture(stream, CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL));
            ok(cuMemcpyHtoDAsync(x.pointer, pinned, (long) n * Sizeof.FLOAT, stream));
            ok(launchOn(stream, "add_value", 4, 256, x.pointer, n, value));
            value[0] = 10f;  // a captured launch keeps the value it was given
            ok(launchOn(stream, "add_value", 4, 256, x.pointer, n, new float[] {2f}));
            // what a device refuses during a capture, the emulation refuses too
            assertEquals(CUresult.CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, cuStreamSynchronize(stream));
            assertEquals(CUresult.CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, cuMemAlloc(new CUdeviceptr(), 64));
            assertEquals(CUresult.CUDA_ERROR_STREAM_CAPTURE_IMPLICIT,
                    cuMemcpyHtoD(x.pointer, Pointer.to(new float[1]), Sizeof.FLOAT));
            ok(cuStreamEndCapture(stream, graph));
            float[] untouched = x.read();
            assertTrue(Float.isNaN(untouched[0]), "nothing ran while capturing (memory keeps its NaN fill)");
            CUgraphExec exec = new CUgraphExec();
            ok(cuGraphInstantiate(exec, graph, 0));
            long before = EmulatorControl.launches();
            staged.putFloat(0, 100f);  // the copy reads the host memory when it runs
            ok(cuGraphLaunch(exec, stream));
            ok(cuStreamSynchronize(stream));
            float[] once = x.read();
            assertEquals(103f, once[0]);
            for (int i = 1; i < n; i++) {
                assertEquals(i + 3f, once[i], "element " + i);
            }
            assertEquals(before + 2, EmulatorControl.launches());
            ok(cuGraphExecDestroy(exec));
            ok(cuGraphDestroy(graph));
        } finally {
            cuMemFreeHost(pinned);
        }
    }

    @Test
    void aReadPastTheEndStopsTheLaunchNamingKernelThreadAndAddress() {
        try (Buffer in = new Buffer(256); Buffer out = new Buffer(256)) {
            int result = launchOn(null, "read_at", 1, 256, in.pointer, out.pointer, 256, 1);
            assertEquals(ILLEGAL_ADDRESS, result);
            String detail = errorString(result);
            assertTrue(detail.contains("kernel read_at (block (0,0), thread (255,0)) read address 0x"), detail);
            assertTrue(detail.contains("0 bytes after the end of the allocation at 0x"), detail);
            assertTrue(detail.contains(" of 1024 bytes"), detail);
            assertTrue(EmulatorControl.lastError().startsWith("CUDA_ERROR_ILLEGAL_ADDRESS: kernel read_at"));
            // the emulation goes on (a device's context would be lost)
            launch("add_value", 1, 256, out.pointer, 256, new float[] {1f});
        }
    }

    @Test
    void writesOutsideTheAllocationStopTheLaunchBeforeOrAfterIt() {
        try (Buffer out = new Buffer(256)) {
            int after = launchOn(null, "write_at", 1, 256, out.pointer, 256, 8);
            assertEquals(ILLEGAL_ADDRESS, after);
            String detail = errorString(after);
            assertTrue(detail.contains("kernel write_at (block (0,0), thread (248,0)) wrote address 0x"), detail);
            assertTrue(detail.contains("0 bytes after the end of the allocation"), detail);
            // before the start: inside the allocation's first page, so found by its fill after the launch
            int before = launchOn(null, "write_at", 1, 256, out.pointer, 256, -1);
            assertEquals(ILLEGAL_ADDRESS, before);
            detail = errorString(before);
            assertTrue(detail.contains("kernel write_at wrote 4 bytes before the start of the allocation"), detail);
            launch("write_at", 1, 256, out.pointer, 256, 0);  // in bounds again: no error left behind
        }
    }

    @Test
    void aKernelWritingOneFloatPastItsRegionFailsInTheGuardNamingTheKernelDirectOrReplayed() {
        // two regions of 256 floats with a guard of 64 between them, as DeviceNetwork lays them out
        try (Buffer x = new Buffer(256 + 64 + 256)) {
            long regionEnd = EmulatorControl.address(x.pointer) + 256 * Sizeof.FLOAT;
            EmulatorControl.guard(regionEnd, 64 * Sizeof.FLOAT);
            launch("write_at", 1, 256, x.pointer, 256, 0);  // up to the region's end: no error
            int direct = launchOn(null, "write_at", 1, 256, x.pointer, 256, 1);
            assertEquals(ILLEGAL_ADDRESS, direct);
            String detail = errorString(direct);
            assertTrue(detail.contains("kernel write_at wrote 4 bytes into the guard between regions at 0x"
                    + Long.toHexString(regionEnd) + " (0 bytes after the region that ends at 0x"
                    + Long.toHexString(regionEnd) + ", byte 1024 of the allocation at 0x"), detail);
            assertEquals(CANARY, x.bytes().getInt(256 * Sizeof.FLOAT), "the canary is restored after the failure");
            launch("write_at", 1, 256, x.pointer, 256, 0);  // judged on its own: nothing left behind
            // x[256] += 1 turns the signalling-NaN canary into a quiet NaN: one byte differs, the float is counted
            int added = launchOn(null, "add_value", 2, 256, x.pointer, 257, new float[] {1f});
            assertEquals(ILLEGAL_ADDRESS, added);
            detail = errorString(added);
            assertTrue(detail.contains("kernel add_value wrote 4 bytes into the guard between regions at 0x"
                    + Long.toHexString(regionEnd) + " (0 bytes after"), detail);

            // the far end of the guard, and from a replayed graph
            CUgraph graph = new CUgraph();
            ok(cuStreamBeginCapture(stream, CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL));
            ok(launchOn(stream, "write_at", 1, 2, x.pointer.withByteOffset(318 * Sizeof.FLOAT), 2, 0));
            ok(cuStreamEndCapture(stream, graph));
            CUgraphExec exec = new CUgraphExec();
            ok(cuGraphInstantiate(exec, graph, 0));
            int replayed = cuGraphLaunch(exec, stream);
            assertEquals(ILLEGAL_ADDRESS, replayed);
            detail = errorString(replayed);
            assertTrue(detail.contains("kernel write_at wrote 8 bytes into the guard between regions at 0x"
                    + Long.toHexString(regionEnd) + " (248 bytes after the region that ends at"), detail);
            ok(cuGraphExecDestroy(exec));
            ok(cuGraphDestroy(graph));
        }
    }

    @Test
    void copiesAndMemsetsOverAGuardRefillItAndAFreedAllocationsGuardsGoWithIt() {
        long guard;
        try (Buffer x = new Buffer(256 + 64 + 256)) {
            guard = EmulatorControl.address(x.pointer.withByteOffset(256 * Sizeof.FLOAT));
            EmulatorControl.guard(guard, 64 * Sizeof.FLOAT);
            ok(cuMemsetD32(x.pointer, 0, 256 + 64 + 256));  // a whole allocation cleared, guard included
            launch("write_at", 1, 256, x.pointer, 256, 0);
            assertEquals(CANARY, x.bytes().getInt(256 * Sizeof.FLOAT), "the memset re-filled the canary");
            assertEquals(0f, x.read()[320], "the memset cleared the region after the guard");
            ok(cuMemcpyHtoD(x.pointer, Pointer.to(new float[256 + 64 + 256]), (long) x.floats * Sizeof.FLOAT));
            launch("write_at", 1, 256, x.pointer, 256, 0);
            assertEquals(CANARY, x.bytes().getInt(300 * Sizeof.FLOAT), "the copy re-filled the canary");
            // what cannot be a guard
            IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                    () -> EmulatorControl.guard(guard + 256 * Sizeof.FLOAT, 1024));
            assertTrue(outside.getMessage().contains("expected a guard inside one allocation"), outside.getMessage());
            IllegalArgumentException overlapping = assertThrows(IllegalArgumentException.class,
                    () -> EmulatorControl.guard(guard + 4, 4));
            assertTrue(overlapping.getMessage().contains("overlaps the guard 0x" + Long.toHexString(guard)),
                    overlapping.getMessage());
            assertThrows(IllegalArgumentException.class, () -> EmulatorControl.guard(guard + 2, 4));
        }
        IllegalArgumentException gone = assertThrows(IllegalArgumentException.class,
                () -> EmulatorControl.unguard(guard));
        assertTrue(gone.getMessage().contains("expected the start of a guard"), gone.getMessage());
    }

    @Test
    void copiesAreCheckedAgainstTheAllocation() {
        try (Buffer x = new Buffer(256)) {
            int result = cuMemcpyHtoD(x.pointer, Pointer.to(new float[257]), 257L * Sizeof.FLOAT);
            assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, result);
            String detail = errorString(result);
            assertTrue(detail.contains("cuMemcpyHtoD: destination 0x"), detail);
            assertTrue(detail.contains("+ 1028 bytes is not inside one allocation"), detail);
        }
    }

    @Test
    void theJvmStillHandlesItsOwnFaultsAfterTheHandlerIsInstalled() {
        try (Buffer x = new Buffer(256)) {
            launch("add_value", 1, 256, x.pointer, 256, new float[] {1f});  // the handler is in place from here
        }
        // compiled code's implicit null checks and stack banging both fault on purpose; the JVM must see them
        int nulls = 0;
        for (int i = 0; i < 200_000; i++) {
            try {
                nulls += lengthOf(i % 1000 == 0 ? null : "x");
            } catch (NullPointerException expected) {
                nulls += 1_000_000;
            }
        }
        assertEquals(199_800 + 200 * 1_000_000, nulls);
        assertThrows(StackOverflowError.class, () -> recurse(0));
    }

    @Test
    void theRaceCheckFlagsAMissingBarrierAndListsAtomicKernelsAsUnchecked() {
        EmulatorControl.clearRaceReport();
        EmulatorControl.setRaceCheck(true);
        EmulatorControl.setWorkers(1);  // one worker: which block writes last is then certain in each run
        float[] x = ramp(512);
        try (Buffer in = Buffer.of(x); Buffer out = new Buffer(512); Buffer counters = new Buffer(8)) {
            launch("reverse_tiles", 2, 256, in.pointer, out.pointer);
            assertEquals(x[255], out.read()[0], "the checked launch's result is the kernel's");
            launch("reverse_tiles_without_barrier", 2, 256, in.pointer, out.pointer);
            launch("count_everyone", 4, 32, counters.pointer, counters.pointer.withByteOffset(4),
                    counters.pointer.withByteOffset(8), counters.pointer.withByteOffset(16));
            launch("every_block_writes_one_place", 64, 32, out.pointer);
        } finally {
            EmulatorControl.setRaceCheck(false);
            EmulatorControl.setWorkers(Runtime.getRuntime().availableProcessors());
        }
        String report = EmulatorControl.raceReport();
        assertTrue(report.contains("kernel reverse_tiles_without_barrier: the result depends on the order of its "
                + "threads or blocks; first difference at 0x"), report);
        assertFalse(report.contains("kernel reverse_tiles:"), report);
        assertTrue(report.contains("kernel count_everyone: not checked (atomics)"), report);
        assertTrue(report.contains("kernel every_block_writes_one_place: the result depends on the order"), report);
        EmulatorControl.clearRaceReport();
        assertEquals("", EmulatorControl.raceReport());
    }

    @Test
    void aBarrierThatOnlySomeThreadsReachIsAnErrorNotAHang() {
        try (Buffer x = new Buffer(64)) {
            int result = launchOn(null, "half_barrier", 2, 64, x.pointer);
            assertEquals(CUresult.CUDA_ERROR_LAUNCH_FAILED, result);
            String detail = errorString(result);
            // whichever block the workers reach first
            assertTrue(detail.matches(".*kernel half_barrier \\(block \\([01],0\\)\\): 32 of its 64 threads wait at "
                    + "__syncthreads\\(\\) \\(barrier 1\\) while the others returned.*"), detail);
        }
    }

    @Test
    void wmmaMultipliesTf32OperandsAsTheTensorCoresDo() {
        float[] a = new float[16 * 8];
        float[] b = new float[8 * 16];
        Random random = new Random(3);
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextFloat() * 2 - 1;
            b[i] = random.nextFloat() * 2 - 1;
        }
        try (Buffer da = Buffer.of(a); Buffer db = Buffer.of(b); Buffer d = new Buffer(256)) {
            launch("wmma_tf32", 1, 256, da.pointer, db.pointer, da.pointer, d.pointer);
            float[] got = d.read();
            for (int i = 0; i < 16; i++) {
                for (int j = 0; j < 16; j++) {
                    float sum = 0f;  // TF32 products are exact in float; the sum in k order, as the emulation does
                    for (int k = 0; k < 8; k++) {
                        sum += tf32(a[i * 8 + k]) * tf32(b[k * 16 + j]);
                    }
                    assertEquals(sum, got[i * 16 + j], "d[" + i + "][" + j + "]");
                }
            }
        }
    }

    @Test
    void floatToTf32RoundsToNearestWithTiesAwayFromZero() {
        float ulp10 = (float) Math.pow(2, -10);
        float ulp11 = (float) Math.pow(2, -11);
        float[] in = {1f + ulp11, -(1f + ulp11), 1f + ulp11 - (float) Math.pow(2, -23), 1f + 3 * ulp11,
            Float.NaN, Float.POSITIVE_INFINITY, 0f, Float.MIN_VALUE};
        float[] expected = {1f + ulp10, -(1f + ulp10), 1f, 1f + 2 * ulp10, Float.NaN, Float.POSITIVE_INFINITY, 0f,
            0f};
        try (Buffer x = Buffer.of(in); Buffer y = new Buffer(in.length)) {
            launch("to_tf32", 1, 32, x.pointer, y.pointer, in.length);
            assertArrayEquals(expected, y.read());
        }
    }

    @Test
    void theLibrarysGemmsInFp32AndTf32AgreeWithAPlainProductAndHaveNoRace() {
        int m = 70;
        int n = 45;
        int k = 37;  // none a multiple of a tile: the edges are exercised
        Random random = new Random(5);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        float[] c = new float[m * n];
        for (float[] x : List.of(a, b, c)) {
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextFloat() * 2 - 1;
            }
        }
        EmulatorControl.clearRaceReport();
        EmulatorControl.setRaceCheck(true);
        try (Buffer da = Buffer.of(a); Buffer db = Buffer.of(b); Buffer dc = new Buffer(m * n)) {
            for (String kernel : List.of("lamina_gemm_nn", "lamina_gemm_nt", "lamina_gemm_tn", "lamina_gemm_tf32_nn",
                    "lamina_gemm_tf32_nt", "lamina_gemm_tf32_tn")) {
                boolean ta = kernel.endsWith("_tn");
                boolean tb = kernel.endsWith("_nt");
                // the same matrices, stored transposed where the kernel reads them so
                ok(cuMemcpyHtoD(da.pointer, Pointer.to(ta ? transpose(a, m, k) : a), (long) a.length * Sizeof.FLOAT));
                ok(cuMemcpyHtoD(db.pointer, Pointer.to(tb ? transpose(b, k, n) : b), (long) b.length * Sizeof.FLOAT));
                ok(cuMemcpyHtoD(dc.pointer, Pointer.to(c), (long) c.length * Sizeof.FLOAT));
                CUfunction gemm = new CUfunction();
                ok(cuModuleGetFunction(gemm, library, kernel));
                Pointer params = Pointer.to(Pointer.to(new int[] {m}), Pointer.to(new int[] {n}),
                        Pointer.to(new int[] {k}), Pointer.to(new float[] {1.5f}), Pointer.to(da.pointer),
                        Pointer.to(new int[] {ta ? m : k}), Pointer.to(db.pointer), Pointer.to(new int[] {tb ? k : n}),
                        Pointer.to(new float[] {0.5f}), Pointer.to(dc.pointer), Pointer.to(new int[] {n}));
                ok(cuLaunchKernel(gemm, (m + 63) / 64, (n + 63) / 64, 1, 256, 1, 1, 0, null, params, null));
                float[] got = dc.read();
                // TF32 keeps 11 significant bits of each operand: about 1e-3 relative per product
                double tolerance = kernel.contains("tf32") ? 2e-2 : 1e-5;
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = 0;
                        for (int p = 0; p < k; p++) {
                            sum += (double) a[i * k + p] * b[p * n + j];
                        }
                        double expected = 1.5 * sum + 0.5 * c[i * n + j];
                        assertEquals(expected, got[i * n + j], tolerance, kernel + " C[" + i + "][" + j + "]");
                    }
                }
            }
        } finally {
            EmulatorControl.setRaceCheck(false);
        }
        assertEquals("", EmulatorControl.raceReport());
    }

    @Test
    void aPtxImageIsRefusedWithWhatToLoadInstead() {
        int result = cuModuleLoadData(new CUmodule(), ".version 8.0\n.target sm_90\n");
        assertEquals(CUresult.CUDA_ERROR_INVALID_IMAGE, result);
        assertTrue(errorString(result).contains("PTX cannot run on the emulation; load the module built for it"));
    }

    @Test
    void aDriverCallThatIsNotEmulatedSaysSo() {
        int result = cuMemAllocManaged(new CUdeviceptr(), 16, 1);
        assertEquals(CUresult.CUDA_ERROR_NOT_SUPPORTED, result);
        assertTrue(errorString(result).contains("cuMemAllocManaged is not emulated"), errorString(result));
    }

    @Test
    void aKernelWithoutParametersAndOneWithManyBarriersRun() {
        try (Buffer phases = new Buffer(3)) {
            launch("nothing", 1, 1);
            launch("many_barriers", 3, 1024, phases.pointer);
            ByteBuffer bytes = phases.bytes();
            for (int b = 0; b < 3; b++) {
                assertEquals(100, bytes.getInt(4 * b), "block " + b);
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private static int lengthOf(String s) {
        return s.length();
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    private static float tf32(float x) {
        int bits = Float.floatToRawIntBits(x);
        return Float.intBitsToFloat((bits + 0x1000) & 0xFFFFE000);
    }

    private static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = x[r * cols + c];
            }
        }
        return t;
    }

    private static float[] ramp(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }

    private static void launch(String kernel, int blocks, int threads, Object... args) {
        ok(launchOn(null, kernel, blocks, threads, args));
    }

    private static int launchOn(CUstream on, String kernel, int blocks, int threads, Object... args) {
        CUfunction function = new CUfunction();
        ok(cuModuleGetFunction(function, module, kernel));
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof CUdeviceptr) {
                params[i] = Pointer.to((CUdeviceptr) a);
            } else if (a instanceof Integer) {
                params[i] = Pointer.to(new int[] {(Integer) a});
            } else if (a instanceof float[]) {
                params[i] = Pointer.to((float[]) a);
            } else {
                throw new IllegalArgumentException("expected a device pointer, an int or a float[1], found " + a);
            }
        }
        return cuLaunchKernel(function, blocks, 1, 1, threads, 1, 1, 0, on, Pointer.to(params), null);
    }

    private static String errorString(int result) {
        String[] text = new String[1];
        ok(cuGetErrorString(result, text));
        return text[0];
    }

    private static void ok(int result) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new AssertionError(CUresult.stringFor(result) + ": " + errorString(result));
        }
    }

    private static String resourceText(String name) throws IOException {
        try (InputStream in = EmulatorCoreTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("expected the resource " + name + " on the class path, found none");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Device memory of n floats (the emulation fills it with NaN bytes). */
    private static final class Buffer implements AutoCloseable {
        final CUdeviceptr pointer = new CUdeviceptr();
        final int floats;

        Buffer(int floats) {
            this.floats = floats;
            ok(cuMemAlloc(pointer, (long) floats * Sizeof.FLOAT));
        }

        static Buffer of(float[] values) {
            Buffer b = new Buffer(values.length);
            ok(cuMemcpyHtoD(b.pointer, Pointer.to(values), (long) values.length * Sizeof.FLOAT));
            return b;
        }

        float[] read() {
            float[] values = new float[floats];
            ok(cuMemcpyDtoH(Pointer.to(values), pointer, (long) floats * Sizeof.FLOAT));
            return values;
        }

        ByteBuffer bytes() {
            byte[] raw = new byte[floats * Sizeof.FLOAT];
            ok(cuMemcpyDtoH(Pointer.to(raw), pointer, raw.length));
            return ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        }

        @Override
        public void close() {
            ok(cuMemFree(pointer));
        }
    }
}
