package dev.lamina.samples;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.train.EpochRecord;
import dev.lamina.runtime.train.History;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.ProgressBar;
import dev.lamina.runtime.train.Trainer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Trains {@link CharLstm} on five of Shakespeare's sonnets shipped in the jar, then writes text one character at a
 * time: the model reads the last 32 characters and the next is drawn from its distribution at the last step.
 */
final class CharRnn {
    /** The characters the model knows (the text is lower-cased; anything else becomes a space). */
    static final String ALPHABET = "\n !',.:;?-abcdefghijklmnopqrstuvwxyz";
    static final int STEPS = 32;

    private CharRnn() {
    }

    static String text() throws IOException {
        try (InputStream in = CharRnn.class.getResourceAsStream("sonnets.txt")) {
            if (in == null) {
                throw new IOException("sonnets.txt is missing from the samples jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        }
    }

    static int id(char c) {
        int id = ALPHABET.indexOf(c);
        return id < 0 ? ALPHABET.indexOf(' ') : id;
    }

    /** Windows of {@code STEPS} characters every {@code stride}, each step's target the character after it. */
    static Dataset windows(String text, int stride) {
        int tokens = ALPHABET.length();
        int count = (text.length() - STEPS - 1) / stride + 1;
        float[] ids = new float[count * STEPS];
        float[] next = new float[count * STEPS * tokens];
        for (int w = 0; w < count; w++) {
            for (int t = 0; t < STEPS; t++) {
                int at = w * stride + t;
                ids[w * STEPS + t] = id(text.charAt(at));
                next[(w * STEPS + t) * tokens + id(text.charAt(at + 1))] = 1f;
            }
        }
        return new Dataset(ids, new int[] {STEPS, 1}, next, STEPS * tokens);
    }

    /** {@code length} characters after {@code prompt}, drawn at {@code temperature}. */
    static String sample(Model model, String prompt, int length, double temperature, long seed) {
        Rng rng = new Rng(seed);
        int tokens = ALPHABET.length();
        StringBuilder text = new StringBuilder(prompt.toLowerCase(Locale.ROOT));
        model.setTraining(false);
        float[] window = new float[STEPS];
        for (int i = 0; i < length; i++) {
            for (int t = 0; t < STEPS; t++) {
                int at = text.length() - STEPS + t;
                window[t] = id(at < 0 ? ' ' : text.charAt(at));
            }
            float[] scores = model.predict(window, 1);
            double[] p = new double[tokens];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < tokens; k++) {
                max = Math.max(max, scores[(STEPS - 1) * tokens + k] / temperature);
            }
            double sum = 0;
            for (int k = 0; k < tokens; k++) {
                p[k] = Math.exp(scores[(STEPS - 1) * tokens + k] / temperature - max);
                sum += p[k];
            }
            double u = rng.nextDouble() * sum;
            int pick = 0;
            while (pick < tokens - 1 && (u -= p[pick]) > 0) {
                pick++;
            }
            text.append(ALPHABET.charAt(pick));
        }
        return text.toString();
    }

    static void run(int epochs) throws IOException {
        String text = text();
        CharLstmNet model = CharLstmNet.create(3);
        System.out.println(model.summary());
        History history = Trainer.of(model).optimizer(Optimizer.adam(0.005)).batchSize(32).epochs(epochs).seed(5)
                .listener(new ProgressBar()).fit(windows(text, 3));
        EpochRecord last = history.last();
        System.out.printf(Locale.ROOT, "%s: loss %.3f per character after %d epochs; sampled text:%n%n",
                model.name(), last.trainLoss(), history.epochs().size());
        System.out.println(sample(model, "shall i compare thee", 400, 0.6, 11));
    }
}
