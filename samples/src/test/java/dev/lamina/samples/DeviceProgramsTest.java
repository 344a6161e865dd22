package dev.lamina.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.gpu.DeviceProgram;
import dev.lamina.gpu.DeviceProgramCheck;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every sample network's device program, checked without a GPU against the kernels of its own .cu: names,
 * argument counts and kinds, GEMM grids, and every address inside its area for a few batch sizes.
 */
class DeviceProgramsTest {
    @ParameterizedTest
    @ValueSource(classes = {MlpNet.class, LeNet5Net.class, PeerResNetNet.class, ResNet18Net.class, DigitsCnnNet.class,
            Autoencoder838Net.class, InceptionNetNet.class, RowLstmNet.class, CharLstmNet.class})
    void launchesMatchTheKernels(Class<?> network) throws IOException {
        DeviceProgram program = DeviceProgram.of(network);
        String cuda;
        try (InputStream in = network.getResourceAsStream(network.getSimpleName() + ".cu")) {
            cuda = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> problems = DeviceProgramCheck.problems(program, cuda, 1, 7, 128);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(program.steps().stream().anyMatch(s -> s.pass().equals("loss")), "no loss step");
    }

    @ParameterizedTest
    @ValueSource(classes = {MlpNet.class, LeNet5Net.class, PeerResNetNet.class, ResNet18Net.class, DigitsCnnNet.class,
            Autoencoder838Net.class, InceptionNetNet.class, RowLstmNet.class, CharLstmNet.class})
    void everySampleRunsWhollyOnTheDevice(Class<?> network) {
        assertEquals(List.of(), DeviceProgram.of(network).unsupported());
    }
}
