package dev.lamina.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lamina.gpu.Agreement;
import dev.lamina.gpu.Cuda;
import dev.lamina.gpu.CudaDevice;
import dev.lamina.gpu.DeviceNetwork;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.io.Checkpoint;
import dev.lamina.runtime.train.GradientClipping;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Regularizer;
import dev.lamina.runtime.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The GPU path against the CPU path, on a device or on the CUDA emulation: every sample network's
 * forward pass, loss, gradients and one momentum step agree within float tolerances (the GPU sums in another
 * order), in training and in inference mode, and a checkpoint written on one device loads on the other.
 */
class DeviceNetworkTest {
    private static CudaDevice device;

    @BeforeAll
    static void open() throws java.io.IOException {
        if (Cuda.available()) {
            device = Cuda.open(0);
        }
        recordWhatRunsTheKernels();
    }

    /** Appends to target/gpu-tests-ran-on.txt what these tests ran on, which .ci/run lists. */
    static void recordWhatRunsTheKernels() throws java.io.IOException {
        java.nio.file.Files.writeString(Path.of("target", "gpu-tests-ran-on.txt"),
                DeviceNetworkTest.class.getSimpleName() + ": " + Cuda.describe() + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
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

    /** Every sample network: each generated class with a device program beside it. */
    static List<Class<?>> sampleNetworks() throws Exception {
        Path dir = Path.of(MlpNet.class.getResource("MlpNet.class").toURI()).getParent();  // main, not test, classes
        List<Class<?>> found = new ArrayList<>();
        try (var files = java.nio.file.Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".program")) {
                    found.add(Class.forName(MlpNet.class.getPackageName() + "."
                            + name.substring(0, name.length() - ".program".length())));
                }
            }
        }
        assertTrue(found.size() >= 17, "found only " + found);
        return found;
    }

    @ParameterizedTest
    @MethodSource("sampleNetworks")
    void agreesWithTheCpu(Class<?> network) {
        requireDevice();
        List<String> problems = Agreement.check(seed -> create(network, seed), device, 16, tolerance(network));
        assertTrue(problems.isEmpty(), network.getSimpleName() + ":\n" + String.join("\n", problems));
    }

    /**
     * The agreement asked of a network: 2e-3 of each quantity's largest magnitude, but 1e-2 for ResNet-18, whose
     * first layer's gradient passes seventeen convolutions and batch norms: on the CPU alone, one thread against
     * two (only the order of the sums changes) moves it by 3.4e-3 of the largest gradient.
     */
    private static double tolerance(Class<?> network) {
        return network == ResNet18Net.class ? 1e-2 : 2e-3;
    }

    @Test
    void everyOptimizerRegularizerAndClippingAgreesWithTheCpu() {
        requireDevice();
        List<Supplier<Optimizer>> optimizers = List.of(() -> Optimizer.sgd(0.1), () -> Optimizer.momentum(0.05, 0.9),
                () -> Optimizer.nesterov(0.05, 0.9), () -> Optimizer.adaGrad(0.01), () -> Optimizer.rmsProp(0.001),
                () -> Optimizer.adam(0.001), () -> Optimizer.adamW(0.001, 0.01));
        for (Supplier<Optimizer> make : optimizers) {
            Model cpu = LeNet5Net.create(3);
            try (DeviceNetwork gpu = new DeviceNetwork(LeNet5Net.create(3), device)) {
                Optimizer onCpu = make.get();
                Optimizer onGpu = make.get();
                for (int step = 0; step < 3; step++) {
                    for (Model m : List.of(cpu, gpu)) {
                        int n = 8;
                        fill(m, n);
                        m.setTraining(true);
                        m.forward(n);
                        m.loss(n);
                        m.backward(n);
                        Regularizer.elasticNet(1e-4, 1e-3).apply(m);
                        GradientClipping.clipByGlobalNorm(m, 0.5);
                    }
                    onCpu.step(cpu);
                    onGpu.step(gpu);
                }
                assertClose(cpu.parameterArray(), gpu.parameterArray(), 2e-3,
                        onCpu.rule().name() + ": parameters after three steps");
            }
        }
    }

    @Test
    void aHeldTrainingSetGivesTheSameStepsAsRowsFedFromTheHost() {
        requireDevice();
        // the digits, their rows gathered on the device, against the same steps fed row by row on the CPU
        Dataset train = SampleData.digits(7).train();
        Model cpu = DigitsCnnNet.create(4);
        try (DeviceNetwork gpu = new DeviceNetwork(DigitsCnnNet.create(4), device)) {
            for (Model m : List.of(cpu, gpu)) {
                Trainer.of(m).optimizer(Optimizer.momentum(0.05, 0.9)).batchSize(32).epochs(1).seed(3).fit(train);
            }
            assertClose(cpu.parameterArray(), gpu.parameterArray(), 5e-3, "parameters after an epoch");
        }
    }

    @Test
    void tensorCoreGemmsAgreeWithinTf32Precision() {
        requireDevice();
        // TF32 keeps 10 mantissa bits of each factor: agreement to about 1e-2 relative, not float rounding
        Model cpu = LeNet5Net.create(3);
        try (DeviceNetwork gpu = new DeviceNetwork(LeNet5Net.create(3), device, true)) {
            assertSameInference(cpu, gpu, 16, 2e-2, "TF32 inference outputs");
        }
    }

    /** A generated network's {@code create(seed)}. */
    static Model create(Class<?> network, long seed) {
        try {
            return (Model) network.getMethod("create", long.class).invoke(null, seed);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(network + " has no create(long)", e);
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
            assertSameInference(cpu, gpu, 8, 1e-3, "CPU -> GPU: the loaded network's outputs");
        }
    }

    private static void fill(Model model, int n) {
        Agreement.fill(model, n);
    }

    private static float[] outputs(Model model, int n) {
        return Agreement.outputs(model, n);
    }

    /** The same seeded batch through both in inference mode: the outputs agree within {@code tolerance}. */
    private static void assertSameInference(Model cpu, Model gpu, int n, double tolerance, String what) {
        for (Model m : List.of(cpu, gpu)) {
            fill(m, n);
            m.setTraining(false);
            m.forward(n);
        }
        assertClose(outputs(cpu, n), outputs(gpu, n), tolerance, what);
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        List<String> problems = new ArrayList<>();
        Agreement.compare(expected, actual, tolerance, what, problems);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
