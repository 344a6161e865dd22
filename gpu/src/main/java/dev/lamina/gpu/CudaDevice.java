package dev.lamina.gpu;

import static jcuda.driver.JCudaDriver.cuCtxCreate;
import static jcuda.driver.JCudaDriver.cuCtxDestroy;
import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuStreamBeginCapture;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamEndCapture;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.nio.charset.StandardCharsets;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUgraph;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.CUstreamCaptureMode;

/**
 * One device with its context and the one stream Lamina runs on: every copy and launch of a network goes to this
 * stream in order, so a training step needs no other synchronisation, and a whole step can be captured as a
 * {@link CudaGraph}. The context is made current on the thread that opens the device; a thread that uses it later
 * calls {@link #makeCurrent()}.
 */
public final class CudaDevice implements AutoCloseable {
    private final int index;
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final String name;
    private final int major;
    private final int minor;
    private boolean closed;

    CudaDevice(int index) {
        this.index = index;
        cuDeviceGet(device, index);
        byte[] bytes = new byte[256];
        cuDeviceGetName(bytes, bytes.length, device);
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        name = new String(bytes, 0, end, StandardCharsets.US_ASCII);
        major = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        minor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        cuCtxCreate(context, 0, device);
        cuStreamCreate(stream, 0);
    }

    /** {@return the device's ordinal as the driver numbers devices, from 0} */
    public int index() {
        return index;
    }

    /** {@return the device's name as the driver reports it ("NVIDIA H100 80GB HBM3")} */
    public String name() {
        return name;
    }

    /** {@return the compute capability as an nvcc architecture: {@code sm_90} for 9.0} */
    public String architecture() {
        return "sm_" + major + minor;
    }

    /** Makes this device's context current on the calling thread. */
    public void makeCurrent() {
        cuCtxSetCurrent(context);
    }

    /**
     * {@code floats} floats of device memory, uninitialised.
     *
     * @param floats the size in floats; positive
     * @return the allocation, to be closed
     */
    public DeviceMemory allocate(long floats) {
        return new DeviceMemory(this, floats);
    }

    /**
     * {@code floats} floats of page-locked host memory, for asynchronous copies.
     *
     * @param floats the size in floats; positive
     * @return the buffer, to be closed
     */
    public PinnedBuffer pinned(int floats) {
        return new PinnedBuffer(floats);
    }

    /**
     * Loads a PTX module (the driver compiles it for this device on first load).
     *
     * @param ptx the module's PTX text
     * @return the loaded module
     */
    public CudaModule load(String ptx) {
        CUmodule module = new CUmodule();
        cuModuleLoadData(module, ptx);
        return new CudaModule(this, module);
    }

    /**
     * Records everything {@code step} sends to the stream (copies and launches, not run now) as a graph that
     * {@link CudaGraph#launch()} replays with one call.
     *
     * @param step what sends the copies and launches
     * @return the graph, to be closed
     */
    public CudaGraph capture(Runnable step) {
        CUgraph graph = new CUgraph();
        cuStreamBeginCapture(stream, CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL);
        try {
            step.run();
        } finally {
            cuStreamEndCapture(stream, graph);
        }
        return new CudaGraph(this, graph);
    }

    /** Waits until everything sent to the stream has run. */
    public void synchronize() {
        cuStreamSynchronize(stream);
    }

    CUstream stream() {
        return stream;
    }

    private int attribute(int which) {
        int[] value = new int[1];
        cuDeviceGetAttribute(value, which, device);
        return value[0];
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cuStreamDestroy(stream);
        cuCtxDestroy(context);
    }

    @Override
    public String toString() {
        return "CUDA device " + index + " (" + name + ", " + architecture() + ")";
    }
}
