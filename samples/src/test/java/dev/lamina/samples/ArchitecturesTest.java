package dev.lamina.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.Model;
import org.junit.jupiter.api.Test;

/** The architectures of the samples compile from their short classes with the parameter counts PyTorch reports. */
class ArchitecturesTest {
    @Test
    void resNet18AdaptedTo28By28() {
        Model m = ResNet18Net.create(1);
        // torchvision's CIFAR-style ResNet-18 with a one-channel 3x3 stem and 10 classes
        assertEquals(11_172_810, m.parameterCount());
        assertTrue(m.summary().contains("layer4"), m.summary());
        assertArrayEquals(new int[] {512, 4, 4}, ((ResNet18) m).layer4.outputShape());
    }

    @Test
    void peerResNetAndLstmHavePyTorchsCounts() {
        // printed by ../shared/peers/torch_fmnist.py
        assertEquals(77_754, PeerResNetNet.create(1).parameterCount());
        assertEquals(82_186, RowLstmNet.create(1).parameterCount());
    }

    @Test
    void charLstmsHeadIsOneLinearLayerSharedByTheSteps() {
        // nn.Embedding(36, 16), nn.LSTM(16, 128) and nn.Linear(128, 36): 576 + 74,752 + 4,644
        assertEquals(79_972, CharLstmNet.create(1).parameterCount());
    }
}
