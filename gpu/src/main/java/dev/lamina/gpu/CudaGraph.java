package dev.lamina.gpu;

import static jcuda.driver.JCudaDriver.cuGraphDestroy;
import static jcuda.driver.JCudaDriver.cuGraphExecDestroy;
import static jcuda.driver.JCudaDriver.cuGraphInstantiate;
import static jcuda.driver.JCudaDriver.cuGraphLaunch;

import jcuda.CudaException;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;

/**
 * Internal, not API: part of the device path behind {@link DeviceNetwork}, public for the Maven plugin and the
 * processor's tests; it may change in any release.
 *
 * <p>A captured sequence of copies and launches ({@link CudaDevice#capture}), replayed with one driver call: a
 * training step of a few dozen small kernels costs one launch's overhead instead of one per kernel. The kernels'
 * arguments are fixed at capture, so a network captures a step per batch size.
 */
public final class CudaGraph implements AutoCloseable {
    private final CudaDevice device;
    private final CUgraph graph;
    private final CUgraphExec exec = new CUgraphExec();
    private boolean destroyed;

    CudaGraph(CudaDevice device, CUgraph graph) {
        this.device = device;
        this.graph = graph;
        cuGraphInstantiate(exec, graph, 0);
    }

    /** Queues the whole captured sequence on the device's stream. */
    public void launch() {
        if (destroyed) {
            throw new IllegalStateException("graph launched after close()");
        }
        try {
            cuGraphLaunch(exec, device.stream());
        } catch (CudaException e) {
            throw Cuda.explained(e);
        }
    }

    @Override
    public void close() {
        if (!destroyed) {
            destroyed = true;
            cuGraphExecDestroy(exec);
            cuGraphDestroy(graph);
        }
    }
}
