package dev.lamina.processor.threads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.processor.nets.GradNets_NormedNet;
import dev.lamina.processor.nets.LeNet5Net;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.Workers;
import dev.lamina.runtime.train.Optimizer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 4: {@code Workers.setThreads} while another thread trains used to hang it in a barrier. A new
 * count takes effect between passes; a model given a team of its own does not notice at all.
 */
class ThreadCountChangeTest {
    private final int original = Workers.threads();

    @AfterEach
    void restore() {
        Workers.setThreads(original);
    }

    @Test
    void trainingGoesOnWhileTheDefaultThreadCountChanges() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Model model = GradNets_NormedNet.create(2);
            float[] p = trainWhileChanging(model, 300);
            for (float v : p) {
                assertTrue(Float.isFinite(v), "a parameter is " + v);
            }
        });
    }

    @Test
    void aModelsOwnTeamIsUndisturbedAndDeterministic() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Supplier<Model> make = () -> LeNet5Net.create(5);
            float[] alone;
            try (Workers team = Workers.create(2)) {
                Model model = make.get();
                model.useWorkers(team);
                alone = train(model, 40);
            }
            try (Workers team = Workers.create(2)) {
                Model model = make.get();
                model.useWorkers(team);
                assertArrayEquals(alone, trainWhileChanging(model, 40));
            }
        });
    }

    /** Trains {@code model} for {@code steps} steps while another thread keeps changing the default count. */
    private static float[] trainWhileChanging(Model model, int steps) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        Thread changer = new Thread(() -> {
            int[] counts = {1, 2, 3, 2};
            for (int i = 0; !stop.get(); i++) {
                Workers.setThreads(counts[i % counts.length]);
                Thread.onSpinWait();
            }
        }, "thread-count-changer");
        changer.setDaemon(true);
        changer.start();
        try {
            return train(model, steps);
        } finally {
            stop.set(true);
            changer.join(30_000);
        }
    }

    private static float[] train(Model model, int steps) {
        int batch = 6;
        int in = model.inputSize();
        int out = model.outputSize();
        Rng rng = new Rng(11);
        float[] x = new float[batch * in];
        float[] t = new float[batch * out];
        Optimizer optimizer = Optimizer.momentum(0.01, 0.9);
        model.setTraining(true);
        model.reserve(batch);
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.nextGaussian();
            }
            java.util.Arrays.fill(t, 0f);
            for (int r = 0; r < batch; r++) {
                t[r * out + rng.nextInt(out)] = 1f;
                model.setInput(r, x, r * in);
                model.setTarget(r, t, r * out);
            }
            model.forward(batch);
            model.loss(batch);
            model.backward(batch);
            optimizer.step(model);
        }
        return model.parameterArray();
    }
}
