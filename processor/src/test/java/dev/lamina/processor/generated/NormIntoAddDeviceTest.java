package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.gpu.DeviceProgram;
import dev.lamina.gpu.DeviceProgramCheck;
import dev.lamina.processor.nets.GradNets_CustomBlocksNet;
import dev.lamina.processor.nets.GradNets_ResidualsNet;
import dev.lamina.processor.pytorch.DiffNets_ResidualBasicIdentityInferNet;
import dev.lamina.processor.pytorch.DiffNets_ResidualBasicIdentityTrainNet;
import dev.lamina.processor.pytorch.DiffNets_ResidualBasicProjectionInferNet;
import dev.lamina.processor.pytorch.DiffNets_ResidualBasicProjectionTrainNet;
import dev.lamina.processor.pytorch.DiffNets_ResidualBottleneckInferNet;
import dev.lamina.processor.pytorch.DiffNets_ResidualBottleneckTrainNet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A batch norm that fusion left to the residual add reading it ({@code fuse/NormIntoAdd}) on the device, as on the
 * CPU: the norm computes its statistics and writes no output; the add reads the norm's input and the scale and
 * shift the statistics wrote, and applies them first in its sum.
 */
class NormIntoAddDeviceTest {
    @Test
    void anAppliedNormKeepsItsStatisticsAndWritesNothing() throws Exception {
        DeviceProgram program = DeviceProgram.of(GradNets_ResidualsNet.class);
        for (String norm : List.of("same.bn2", "down.bn2", "down.shortcut.bn")) {
            assertEquals(List.of("lamina_bn_moments", "lamina_bn_statistics", "lamina_bn_inference"),
                    actions(program, "forward", norm), norm);
        }
        // a norm with an activation of its own still applies it
        assertEquals(List.of("lamina_bn_moments", "lamina_bn_statistics", "lamina_bn_inference", "same_bn1_apply"),
                actions(program, "forward", "same.bn1"));
        String cuda = cuda(GradNets_ResidualsNet.class);
        assertFalse(cuda.contains("void same_bn2_apply("));
        assertTrue(cuda.contains("void same_bn1_apply("));
    }

    @Test
    void theAddReadsTheNormsInputWithItsScaleAndShift() throws Exception {
        DeviceProgram program = DeviceProgram.of(GradNets_ResidualsNet.class);
        DeviceProgram.Step same = only(program, "forward", "same.add");
        assertEquals(List.of("x0", "scale0", "shift0", "x1", "y", "rows"), same.names());
        assertReadsNorm(program, same, 0, "same.bn2");
        DeviceProgram.Step down = only(program, "forward", "down.add");
        assertEquals(List.of("x0", "scale0", "shift0", "x1", "scale1", "shift1", "y", "rows"), down.names());
        assertReadsNorm(program, down, 0, "down.bn2");
        assertReadsNorm(program, down, 1, "down.shortcut.bn");
        String cuda = cuda(GradNets_ResidualsNet.class);
        assertTrue(cuda.contains("float u = scale0[ch] * x0[i] + shift0[ch] + x1[i];"), cuda);
        assertTrue(cuda.contains("float u = scale0[ch] * x0[i] + shift0[ch] + (scale1[ch] * x1[i] + shift1[ch]);"));
    }

    @Test
    void anAppliedSecondOperandComesFirstInTheSumAsOnTheCpu() throws Exception {
        DeviceProgram program = DeviceProgram.of(GradNets_CustomBlocksNet.class);
        DeviceProgram.Step down = only(program, "forward", "down.add");
        assertEquals(List.of("x0", "x1", "scale1", "shift1", "y", "rows"), down.names());
        assertReadsNorm(program, down, 1, "down.shortcut.bn");
        assertTrue(cuda(GradNets_CustomBlocksNet.class).contains("float u = scale1[ch] * x1[i] + shift1[ch] + x0[i];"));
    }

    /** The differential networks are not among those {@link DeviceProgramTest} checks. */
    @Test
    void theResidualDifferentialNetworksProgramsMatchTheirKernels() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Class<?> network : List.of(DiffNets_ResidualBasicIdentityTrainNet.class,
                DiffNets_ResidualBasicIdentityInferNet.class, DiffNets_ResidualBasicProjectionTrainNet.class,
                DiffNets_ResidualBasicProjectionInferNet.class, DiffNets_ResidualBottleneckTrainNet.class,
                DiffNets_ResidualBottleneckInferNet.class)) {
            DeviceProgram program = DeviceProgram.of(network);
            assertEquals(List.of(), program.unsupported(), network.getSimpleName());
            for (String problem : DeviceProgramCheck.problems(program, cuda(network), 1, 5, 64)) {
                problems.add(network.getSimpleName() + ": " + problem);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** Operand {@code k} of an add step is {@code norm}'s input, transformed with the scale and shift it wrote. */
    private static void assertReadsNorm(DeviceProgram program, DeviceProgram.Step add, int k, String norm) {
        DeviceProgram.Step moments = step(program, "forward", norm, "lamina_bn_moments");
        DeviceProgram.Step statistics = step(program, "forward", norm, "lamina_bn_statistics");
        assertEquals(arg(moments, "x"), arg(add, "x" + k), norm);
        assertEquals(arg(statistics, "scale"), arg(add, "scale" + k), norm);
        assertEquals(arg(statistics, "shift"), arg(add, "shift" + k), norm);
    }

    private static List<String> actions(DeviceProgram program, String pass, String layer) {
        return program.pass(pass).stream().filter(s -> s.layer().equals(layer)).map(DeviceProgram.Step::action)
                .toList();
    }

    private static DeviceProgram.Step only(DeviceProgram program, String pass, String layer) {
        List<DeviceProgram.Step> steps = program.pass(pass).stream().filter(s -> s.layer().equals(layer)).toList();
        assertEquals(1, steps.size(), layer + ": " + steps);
        return steps.get(0);
    }

    private static DeviceProgram.Step step(DeviceProgram program, String pass, String layer, String action) {
        return program.pass(pass).stream().filter(s -> s.layer().equals(layer) && s.action().equals(action))
                .findFirst().orElseThrow(() -> new AssertionError(layer + " has no step " + action));
    }

    private static String arg(DeviceProgram.Step step, String name) {
        int at = step.names().indexOf(name);
        assertTrue(at >= 0, step + " has no argument " + name);
        return step.args().get(at);
    }

    private static String cuda(Class<?> network) throws Exception {
        return Files.readString(Path.of(network.getResource(network.getSimpleName() + ".cu").toURI()));
    }
}
