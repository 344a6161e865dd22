package dev.lamina.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lamina.gpu.Cuda;
import dev.lamina.gpu.CudaDevice;
import dev.lamina.gpu.DeviceNetwork;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.io.Checkpoint;
import dev.lamina.runtime.train.Optimizer;
import java.nio.file.Path;
import java.util.function.LongFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU path against the CPU path, on a device (skipped, with the reason, without one): the four bench models'
 * forward pass, loss, gradients and one momentum step agree within float tolerances (the GPU sums in another
 * order), in training and in inference mode, and a checkpoint written on one device loads on the other.
 */
class DeviceNetworkTest {
    private static CudaDevice device;

    @BeforeAll
    static void open() {
        if (Cuda.available()) {
            device = Cuda.open(0);
        }
    }

    @AfterAll
    static void close() {
        if (device != null) {
            device.close();
        }
    }

    private static void requireDevice() {
        assumeTrue(device != null, () -> "no GPU here, so the GPU path is not run: " + Cuda.unavailableReason());
    }

    @Test
    void mlpAgreesWithTheCpu() {
        agrees(MlpNet::create);
    }

    @Test
    void lenetAgreesWithTheCpu() {
        agrees(LeNet5Net::create);
    }

    @Test
    void rowLstmAgreesWithTheCpu() {
        agrees(RowLstmNet::create);
    }

    @Test
    void peerResNetAgreesWithTheCpu() {
        agrees(PeerResNetNet::create);
    }

    private static void agrees(LongFunction<Model> create) {
        requireDevice();
        Model cpu = create.apply(3);
        try (DeviceNetwork gpu = new DeviceNetwork(create.apply(3), device)) {
            int n = 16;
            fill(cpu, n);
            fill(gpu, n);
            cpu.setTraining(true);
            gpu.setTraining(true);
            cpu.forward(n);
            gpu.forward(n);
            assertClose(outputs(cpu, n), outputs(gpu, n), 1e-3, "training outputs");
            assertEquals(cpu.loss(n), gpu.loss(n), 1e-4 * Math.max(1, Math.abs(cpu.loss(n))), "loss");
            cpu.backward(n);
            gpu.backward(n);
            assertClose(cpu.gradients().toArray(), gpu.gradients().toArray(), 2e-3, "gradients");
            Optimizer.momentum(0.05, 0.9).step(cpu);
            Optimizer.momentum(0.05, 0.9).step(gpu);
            assertClose(cpu.parameterArray(), gpu.parameterArray(), 1e-4, "parameters after a step");
            assertClose(cpu.buffers().toArray(), gpu.buffers().toArray(), 1e-4, "running statistics");
            cpu.setTraining(false);
            gpu.setTraining(false);
            cpu.forward(n);
            gpu.forward(n);
            assertClose(outputs(cpu, n), outputs(gpu, n), 1e-3, "inference outputs");
        }
    }

    @Test
    void checkpointsMoveBetweenDevices(@TempDir Path dir) throws Exception {
        requireDevice();
        Path file = dir.resolve("resnet.safetensors");
        try (DeviceNetwork gpu = new DeviceNetwork(PeerResNetNet.create(5), device)) {
            int n = 8;
            fill(gpu, n);
            gpu.setTraining(true);
            gpu.forward(n);
            gpu.loss(n);
            gpu.backward(n);
            Optimizer.momentum(0.05, 0.9).step(gpu);
            Checkpoint.save(gpu, file);
            Model cpu = PeerResNetNet.create(6);
            Checkpoint.load(cpu, file);
            assertArrayEquals(gpu.parameterArray(), cpu.parameterArray(), "GPU -> CPU parameters");
            assertArrayEquals(gpu.buffers().toArray(), cpu.buffers().toArray(), "GPU -> CPU running statistics");
        }
        try (DeviceNetwork gpu = new DeviceNetwork(PeerResNetNet.create(7), device)) {
            Checkpoint.load(gpu, file);
            Model cpu = PeerResNetNet.create(8);
            Checkpoint.load(cpu, file);
            int n = 8;
            fill(cpu, n);
            fill(gpu, n);
            cpu.setTraining(false);
            gpu.setTraining(false);
            cpu.forward(n);
            gpu.forward(n);
            assertClose(outputs(cpu, n), outputs(gpu, n), 1e-3, "CPU -> GPU: the loaded network's outputs");
        }
    }

    /** The same random inputs and one-hot targets for every model (seeded). */
    private static void fill(Model model, int n) {
        Rng rng = new Rng(11);
        model.reserve(n);
        float[] x = new float[model.inputSize()];
        float[] t = new float[model.outputSize()];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.nextFloat();
            }
            java.util.Arrays.fill(t, 0f);
            t[r % t.length] = 1f;
            model.setInput(r, x, 0);
            model.setTarget(r, t, 0);
        }
    }

    private static float[] outputs(Model model, int n) {
        float[] y = new float[n * model.outputSize()];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < model.outputSize(); k++) {
                y[r * model.outputSize() + k] = model.output(r, k);
            }
        }
        return y;
    }

    /** Agreement relative to the largest magnitude: float sums in another order differ in the last bits. */
    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": lengths");
        double scale = 1e-6;
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            double d = Math.abs(expected[i] - actual[i]);
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        if (worst > tolerance * scale) {
            throw new AssertionError(what + ": differ by " + worst + " at " + at + " (CPU " + expected[at] + ", GPU "
                    + actual[at] + "), more than " + tolerance + " x " + scale);
        }
    }
}
