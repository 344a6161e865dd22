package dev.lamina.runtime.train;

import dev.lamina.runtime.Rng;
import dev.lamina.runtime.Tensor;
import dev.lamina.runtime.Workers;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The optimizer step alone, on a ResNet-18-sized flat array (11.2M floats), the update through fixed per-worker
 * blocks against the old one through whole per-thread copies (kept here), alternating in one JVM. Not a check:
 * {@code mvn -o -pl runtime -am test -Dtest=OptimizerStepBench -Dsurefire.failIfNoSpecifiedTests=false
 * -Dlamina.bench.optimizer=true} prints the ratios.
 */
@EnabledIfSystemProperty(named = "lamina.bench.optimizer", matches = "true")
class OptimizerStepBench {
    private static final int SIZE = 11_173_962;
    private static final int BLOCK = 2048;
    /** The old algorithm's per-thread copies of the parameters and gradients. */
    private static final ThreadLocal<float[][]> COPIES = ThreadLocal.withInitial(() -> new float[2][0]);

    @Test
    void newAgainstOld() {
        int[] counts = {1, 2};
        String[] names = {"momentum", "adam"};
        for (int threads : counts) {
            for (String name : names) {
                measure(threads, name);
            }
        }
    }

    private static Optimizer make(String name) {
        return name.equals("adam") ? Optimizer.adam(1e-3) : Optimizer.momentum(0.01, 0.9);
    }

    private static void measure(int threads, String name) {
        OptimizerMemoryTest.Flat model = new OptimizerMemoryTest.Flat(SIZE - 9_600, 9_600);
        Rng rng = new Rng(3);
        float[] g = new float[SIZE];
        for (int i = 0; i < SIZE; i++) {
            g[i] = (float) rng.nextGaussian() * 1e-3f;
        }
        model.gradients().floats().put(0, g);
        try (Workers team = Workers.create(threads)) {
            model.useWorkers(team);
            Optimizer fresh = make(name);
            fresh.step(model); // the old loop uses its rule too: Adam's bias correction needs a step count >= 1
            float[] first = new float[SIZE];
            float[] second = new float[SIZE];
            List<Tensor> tensors = model.parameterTensors();
            int steps = 5;
            int rounds = 12;
            double[] ratios = new double[rounds];
            long oldTotal = 0;
            long newTotal = 0;
            for (int r = -2; r < rounds; r++) {
                long t0 = System.nanoTime();
                for (int s = 0; s < steps; s++) {
                    oldStep(fresh, model, tensors, first, second, team);
                }
                long t1 = System.nanoTime();
                for (int s = 0; s < steps; s++) {
                    fresh.step(model);
                }
                long t2 = System.nanoTime();
                if (r >= 0) { // two warm-up rounds
                    ratios[r] = (double) (t2 - t1) / (t1 - t0);
                    oldTotal += t1 - t0;
                    newTotal += t2 - t1;
                }
            }
            Arrays.sort(ratios);
            System.out.printf("optimizer step %s, %d thread(s): old %.2f ms, new %.2f ms per step; new/old median"
                            + " %.3f (min %.3f, max %.3f)%n", name, threads, oldTotal / 1e6 / rounds / steps,
                    newTotal / 1e6 / rounds / steps, ratios[rounds / 2], ratios[0], ratios[rounds - 1]);
        }
    }

    /** The step as it was: each thread copies blocks into heap arrays as long as the parameters, at their index. */
    private static void oldStep(Optimizer o, OptimizerMemoryTest.Flat model, List<Tensor> tensors, float[] first,
                                float[] second, Workers team) {
        float lr = (float) o.learningRate();
        float[] s2 = o.stateSlots() > 1 ? second : first;
        team.run(SIZE, (worker, size, from, count) -> {
            for (Tensor t : tensors) {
                int start = Math.max(from, t.offset());
                int end = Math.min(from + count, t.offset() + t.length());
                for (int at = start; at < end; at += BLOCK) {
                    int n = Math.min(BLOCK, end - at);
                    float[][] copies = COPIES.get();
                    if (copies[0].length < first.length) {
                        copies[0] = new float[first.length];
                        copies[1] = new float[first.length];
                    }
                    float[] p = copies[0];
                    float[] gr = copies[1];
                    FloatBuffer parameters = model.parameters().floats();
                    parameters.get(at, p, at, n);
                    model.gradients().floats().get(at, gr, at, n);
                    o.update(p, gr, first, s2, at, at + n, t.kind() == Tensor.Kind.WEIGHT, lr);
                    parameters.put(at, p, at, n);
                }
            }
        });
    }
}
