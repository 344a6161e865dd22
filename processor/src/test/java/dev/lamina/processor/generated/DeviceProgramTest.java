package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lamina.gpu.Agreement;
import dev.lamina.gpu.Cuda;
import dev.lamina.gpu.CudaDevice;
import dev.lamina.gpu.DeviceProgram;
import dev.lamina.gpu.DeviceProgramCheck;
import dev.lamina.gpu.emulation.EmulatorControl;
import dev.lamina.processor.nets.GradNets;
import dev.lamina.processor.nets.GradNets_LstmVariantsNet;
import dev.lamina.runtime.Model;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The device programs of every test network: checked against their own kernels here, and run against the CPU
 * path on a GPU, or on the CUDA emulation where there is none (then with the race check on). The test networks
 * cover every layer kind, so this is where each kind's GPU path is compared with its CPU path.
 */
class DeviceProgramTest {
    /** The test networks' generated classes that have a device program beside them. */
    private static List<Class<?>> networks() throws IOException, URISyntaxException {
        Path dir = Path.of(GradNets.class.getResource("").toURI());
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".program")) {
                    String simple = name.substring(0, name.length() - ".program".length());
                    try {
                        found.add(Class.forName(GradNets.class.getPackageName() + "." + simple));
                    } catch (ClassNotFoundException e) {
                        throw new IllegalStateException(name + " has no class beside it", e);
                    }
                }
            }
        }
        return found;
    }

    @Test
    void everyProgramMatchesItsKernels() throws Exception {
        List<Class<?>> networks = networks();
        assertTrue(networks.size() >= 30, "found only " + networks);
        List<String> problems = new ArrayList<>();
        for (Class<?> network : networks) {
            String cuda = Files.readString(Path.of(network.getResource(network.getSimpleName() + ".cu").toURI()));
            for (DeviceProgram.Step step : DeviceProgram.of(network).steps()) {
                // every step but the loss and the clearing of the gradients is a layer's
                boolean wholeNetwork = step.pass().equals("loss") || step.action().equals("zero")
                        && step.args().get(0).equals("G:0");
                if (step.layer().equals("-") != wholeNetwork) {
                    problems.add(network.getSimpleName() + ": " + step + " names layer " + step.layer());
                }
            }
            for (String problem : DeviceProgramCheck.problems(DeviceProgram.of(network), cuda, 1, 5, 64)) {
                problems.add(network.getSimpleName() + ": " + problem);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyLayerKindHasADevicePath() throws Exception {
        for (Class<?> network : networks()) {
            assertEquals(List.of(), DeviceProgram.of(network).unsupported(), network.getSimpleName());
        }
        // a stateful layer keeps its carried state on the device, between batches
        assertEquals(1, DeviceProgram.of(GradNets_LstmVariantsNet.class).carried().size());
    }

    @Test
    void everyCoveredNetworkAgreesWithTheCpu() throws Exception {
        Files.writeString(Path.of("target", "gpu-tests-ran-on.txt"), "DeviceProgramTest: " + Cuda.describe() + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);  // .ci/run lists it
        assumeTrue(Cuda.available(), () -> "no GPU here, so the GPU path is not run: " + Cuda.unavailableReason());
        List<String> problems = new ArrayList<>();
        // on the emulation every launch also runs in a second thread and block order, which must give the same
        // bytes unless the kernel uses atomics: a kernel that races (a missing barrier) fails here
        boolean raceCheck = Cuda.emulated();
        if (raceCheck) {
            EmulatorControl.clearRaceReport();
            EmulatorControl.setRaceCheck(true);
        }
        try (CudaDevice device = Cuda.open(0)) {
            for (Class<?> network : networks()) {
                if (!DeviceProgram.of(network).unsupported().isEmpty()) {
                    continue;
                }
                for (String problem : Agreement.check(seed -> create(network, seed), device, 5, 2e-3)) {
                    problems.add(network.getSimpleName() + ": " + problem);
                }
            }
        } finally {
            if (raceCheck) {
                EmulatorControl.setRaceCheck(false);
            }
        }
        if (raceCheck) {
            String report = EmulatorControl.raceReport();
            report.lines().filter(line -> !line.endsWith("not checked (atomics)")).forEach(problems::add);
            System.out.println("Race check on the emulation, kernels whose sums depend on the atomics' order:\n"
                    + report.lines().filter(line -> line.endsWith("not checked (atomics)"))
                            .collect(java.util.stream.Collectors.joining("\n")));
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private static Model create(Class<?> network, long seed) {
        try {
            return (Model) network.getMethod("create", long.class).invoke(null, seed);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(network + " has no create(long)", e);
        }
    }
}
