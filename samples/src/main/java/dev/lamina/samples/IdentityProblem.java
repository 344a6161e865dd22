package dev.lamina.samples;

import dev.lamina.runtime.Layer;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Tensor;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Trainer;
import java.util.Locale;

/** Trains {@link Autoencoder838} on the 8 one-hot vectors and reads back what it learned. */
final class IdentityProblem {
    static final int SIZE = 8;

    private IdentityProblem() {
    }

    /** The 8 one-hot vectors, each its own target. */
    static Dataset data() {
        float[] identity = new float[SIZE * SIZE];
        for (int i = 0; i < SIZE; i++) {
            identity[i * SIZE + i] = 1f;
        }
        return new Dataset(identity, new int[] {SIZE}, identity.clone(), SIZE);
    }

    static Autoencoder838Net train(long seed, int epochs) {
        Autoencoder838Net net = Autoencoder838Net.create(seed);
        Trainer.of(net).optimizer(Optimizer.adam(0.05)).batchSize(SIZE).epochs(epochs).seed(seed).fit(data());
        return net;
    }

    /** The reconstruction of input {@code i}: the decoder's probabilities. */
    static float[] reconstruct(Model net, int i) {
        net.setTraining(false);
        float[] scores = net.predict(data().select(new int[] {i}).features(), 1);
        float[] out = new float[SIZE];
        for (int k = 0; k < SIZE; k++) {
            out[k] = (float) (1 / (1 + Math.exp(-scores[k])));
        }
        return out;
    }

    /** The 3 code units' activations for input {@code i}: {@code sigmoid(W[:, i] + b)}, from the parameters. */
    static float[] code(Layer code, int i) {
        Tensor w = code.weights();
        Tensor b = code.bias();
        float[] h = new float[b.length()];
        for (int u = 0; u < h.length; u++) {
            h[u] = (float) (1 / (1 + Math.exp(-(w.get(u * SIZE + i) + b.get(u)))));
        }
        return h;
    }

    static void run(int epochs) {
        Autoencoder838Net net = train(1, epochs);
        System.out.println("input    code (3 sigmoid units)   reconstructed as");
        for (int i = 0; i < SIZE; i++) {
            float[] h = code(net.code, i);
            float[] out = reconstruct(net, i);
            int best = 0;
            for (int k = 1; k < SIZE; k++) {
                best = out[k] > out[best] ? k : best;
            }
            System.out.printf(Locale.ROOT, "%d        %.2f %.2f %.2f           %d (p = %.3f)%n", i, h[0], h[1], h[2],
                    best, out[best]);
        }
    }
}
