package dev.lamina.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The seed's 8-3-8 identity problem: 3 hidden units learn a code that reconstructs all 8 inputs. */
class AutoencoderTest {
    @Test
    void reconstructsAllEightInputsThroughThreeUnits() {
        Autoencoder838Net net = IdentityProblem.train(1, 3000);
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < IdentityProblem.SIZE; i++) {
            float[] out = IdentityProblem.reconstruct(net, i);
            for (int k = 0; k < IdentityProblem.SIZE; k++) {
                if (k == i) {
                    assertTrue(out[k] > 0.5f, "input " + i + " reconstructed with p = " + out[k]);
                } else {
                    assertTrue(out[k] < 0.5f, "input " + i + " lights output " + k + " with p = " + out[k]);
                }
            }
            // each input's code, rounded to bits, is its own
            float[] h = IdentityProblem.code(net.code, i);
            codes.add((h[0] > 0.5f ? "1" : "0") + (h[1] > 0.5f ? "1" : "0") + (h[2] > 0.5f ? "1" : "0"));
        }
        assertEquals(IdentityProblem.SIZE, codes.size(), "codes " + codes);
    }
}
