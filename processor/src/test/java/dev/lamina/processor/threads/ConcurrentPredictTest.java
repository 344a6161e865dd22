package dev.lamina.processor.threads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.processor.nets.GradNets_NormedNet;
import dev.lamina.processor.nets.LeNet5Net;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 3: one model used from several threads. {@code predict} from many threads gives every caller the
 * answer a lone call gives; passes of a training step driven from two threads at once are refused.
 */
class ConcurrentPredictTest {

    @Test
    void predictFromManyThreadsMatchesASingleThreadedReference() throws Exception {
        assertConcurrentPredictions(LeNet5Net.create(3));
        assertConcurrentPredictions(GradNets_NormedNet.create(4));
    }

    private static void assertConcurrentPredictions(Model model) throws Exception {
        int inputs = 24;
        float[][] x = new float[inputs][];
        float[][] expected = new float[inputs][];
        Rng rng = new Rng(7);
        for (int i = 0; i < inputs; i++) {
            int rows = 1 + i % 5; // different batch sizes: calls also grow and reuse the batch room
            x[i] = new float[rows * model.inputSize()];
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] = (float) rng.nextGaussian();
            }
            expected[i] = model.predict(x[i], rows);
        }
        int threads = 8;
        int calls = 150;
        AtomicInteger wrong = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    for (int c = 0; c < calls; c++) {
                        int i = (seed * 7 + c * 5) % inputs;
                        float[] y = model.predict(x[i], x[i].length / model.inputSize());
                        if (!java.util.Arrays.equals(expected[i], y)) {
                            wrong.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, wrong.get(), model.name() + ": wrong answers among " + threads * calls + " concurrent calls");
        // and the model still answers as before
        assertArrayEquals(expected[3], model.predict(x[3], 4));
    }

    @Test
    void aPassWhileAnotherThreadHoldsTheModelIsRefused() throws Exception {
        Model model = GradNets_NormedNet.create(1);
        model.reserve(4);
        model.state().lock(); // what a predict on this thread holds for its whole call
        try {
            Throwable[] thrown = new Throwable[1];
            Thread other = new Thread(() -> {
                try {
                    model.forward(4);
                } catch (Throwable e) {
                    thrown[0] = e;
                }
            }, "other-trainer");
            other.start();
            other.join(30_000);
            assertTrue(thrown[0] instanceof IllegalStateException, String.valueOf(thrown[0]));
            assertTrue(thrown[0].getMessage().contains("another thread"), thrown[0].getMessage());
        } finally {
            model.state().unlock();
        }
        model.forward(4); // free again
    }

    @Test
    void aLossAfterAnotherThreadsForwardPassIsRefused() throws Exception {
        Model model = GradNets_NormedNet.create(1);
        model.reserve(4);
        model.setTraining(true);
        Thread other = new Thread(() -> model.forward(4), "other-forward");
        other.start();
        other.join(30_000);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.loss(4));
        assertTrue(e.getMessage().contains("other-forward"), e.getMessage());
        // a predict between this thread's forward and loss is another thread's forward pass as well
        model.forward(4);
        Thread predicting = new Thread(() -> model.predict(new float[model.inputSize() * 2], 2), "predicting");
        predicting.start();
        predicting.join(30_000);
        assertThrows(IllegalStateException.class, () -> model.loss(4));
        model.forward(4);
        double loss = model.loss(4);
        model.backward(4);
        assertTrue(Double.isFinite(loss));
    }
}
