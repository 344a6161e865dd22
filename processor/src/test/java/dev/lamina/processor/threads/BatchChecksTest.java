package dev.lamina.processor.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.processor.nets.GradNets_NormedNet;
import dev.lamina.processor.nets.LeNet5Net;
import dev.lamina.runtime.Model;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 5: a batch larger than the reserved room, short sample arrays, and loss or backward over another
 * number of rows than the forward pass are refused with a message that says what was expected.
 */
class BatchChecksTest {

    @Test
    void forwardOverMoreRowsThanReservedNamesBothSizes() {
        Model model = LeNet5Net.create(1);
        model.reserve(4);
        float[] x = new float[model.inputSize()];
        java.util.Arrays.fill(x, 0.5f);
        for (int i = 0; i < 4; i++) {
            model.setInput(i, x, 0);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.forward(8));
        assertTrue(e.getMessage().contains("forward(8)") && e.getMessage().contains("only 4 are reserved"),
                e.getMessage());
        // the reserved rows are intact: the refused call grew nothing and cleared nothing
        model.forward(4);
        assertTrue(model.output(3, 0) != 0f, "outputs of the reserved rows");
        assertThrows(IllegalArgumentException.class, () -> LeNet5Net.create(1).forward(1), "nothing reserved");
    }

    @Test
    void shortSampleArraysSayWhatWasExpected() {
        Model model = GradNets_NormedNet.create(1);
        model.reserve(2);
        IllegalArgumentException target = assertThrows(IllegalArgumentException.class,
                () -> model.setTarget(0, new float[2], 0));
        assertEquals(model.name() + ": a target row is 3 floats, read from offset 0 of an array of 2 (needs offset"
                + " >= 0 and offset + 3 <= 2)", target.getMessage());
        IllegalArgumentException offset = assertThrows(IllegalArgumentException.class,
                () -> model.setTarget(1, new float[6], 4));
        assertTrue(offset.getMessage().contains("offset 4 of an array of 6"), offset.getMessage());
        IllegalArgumentException input = assertThrows(IllegalArgumentException.class,
                () -> model.setInput(0, new float[model.inputSize() - 1], 0));
        assertTrue(input.getMessage().contains("an input row is " + model.inputSize() + " floats"),
                input.getMessage());
    }

    @Test
    void lossAndBackwardOverAnotherBatchThanTheForwardPassAreRefused() {
        Model model = GradNets_NormedNet.create(1);
        model.reserve(6);
        model.setTraining(true);
        model.forward(4);
        IllegalStateException loss = assertThrows(IllegalStateException.class, () -> model.loss(6));
        assertTrue(loss.getMessage().contains("loss(6)") && loss.getMessage().contains("over 4 rows"),
                loss.getMessage());
        model.loss(4);
        IllegalStateException backward = assertThrows(IllegalStateException.class, () -> model.backward(2));
        assertTrue(backward.getMessage().contains("backward(2)") && backward.getMessage().contains("over 4 rows"),
                backward.getMessage());
        model.backward(4);
        Model fresh = GradNets_NormedNet.create(1);
        fresh.reserve(2);
        assertThrows(IllegalStateException.class, () -> fresh.loss(2), "no forward pass yet");
    }
}
