package dev.lamina.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.train.History;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Trainer;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The character model learns the shipped text well past chance, and writes text in its alphabet. */
class CharRnnTest {
    @Test
    void learnsTheSonnetsAndWritesInItsAlphabet() throws IOException {
        String text = CharRnn.text();
        Dataset windows = CharRnn.windows(text, 3);
        assertEquals(CharRnn.STEPS * CharRnn.ALPHABET.length(), windows.targetSize());
        CharLstmNet model = CharLstmNet.create(3);
        History h = Trainer.of(model).optimizer(Optimizer.adam(0.005)).batchSize(32).epochs(8).seed(5)
                .fit(windows);
        // chance is ln 36 = 3.58 nats a character
        assertTrue(h.last().trainLoss() < 1.5, "loss per character " + h.last().trainLoss());
        String sample = CharRnn.sample(model, "shall i", 60, 0.6, 1);
        assertEquals(67, sample.length());
        for (char c : sample.toCharArray()) {
            assertTrue(CharRnn.ALPHABET.indexOf(c) >= 0, "character '" + c + "' outside the alphabet");
        }
    }
}
