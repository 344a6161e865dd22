package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.processor.nets.CorrectnessNets_NormedAndDroppedNet;
import dev.lamina.processor.nets.CorrectnessNets_NormedImagesNet;
import dev.lamina.processor.nets.FailLoudNets_SmallNet;
import dev.lamina.runtime.Layer;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.Tensor;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.io.Checkpoint;
import dev.lamina.runtime.io.LoadReport;
import dev.lamina.runtime.train.Constraint;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Regularizer;
import dev.lamina.runtime.train.Trainer;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17, item 1: frozen layers (no step changes them), with clipping, and a transfer-learning round trip. */
class FreezeTest {
    @TempDir
    Path dir;

    /** Three noisy classes in features of {@code shape}. */
    private static Dataset blobs(int n, long seed, int[] shape) {
        return blobs(n, seed, shape, 3);
    }

    /** {@code classes} noisy classes in features of {@code shape}. */
    private static Dataset blobs(int n, long seed, int[] shape, int classes) {
        Rng rng = new Rng(seed);
        int size = 1;
        for (int s : shape) {
            size *= s;
        }
        float[] x = new float[n * size];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % classes;
            for (int j = 0; j < size; j++) {
                x[i * size + j] = (float) ((j % 3 == y[i] ? 1.5 : 0) + rng.nextDouble() - 0.5);
            }
        }
        return Dataset.classification(x, shape, y, classes);
    }

    private static Layer layer(Model m, String name) {
        return m.layers().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    private static int[] bits(float[] values) {
        int[] b = new int[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = Float.floatToRawIntBits(values[i]);
        }
        return b;
    }

    /** Every parameter tensor of {@code layer}, flattened, as bits. */
    private static int[] bits(Layer layer) {
        int n = 0;
        for (Tensor t : layer.parameters()) {
            if (t.kind() != Tensor.Kind.STATISTIC) {
                n += t.length();
            }
        }
        float[] all = new float[n];
        int at = 0;
        for (Tensor t : layer.parameters()) {
            if (t.kind() != Tensor.Kind.STATISTIC) {
                System.arraycopy(t.toArray(), 0, all, at, t.length());
                at += t.length();
            }
        }
        return bits(all);
    }

    @Test
    void everyOptimizerLeavesAFrozenLayerBitForBitAndMovesTheOthers() {
        Map<String, Supplier<Optimizer>> optimizers = Map.of(
                "sgd", () -> Optimizer.sgd(0.05),
                "momentum", () -> Optimizer.momentum(0.05, 0.9),
                "nesterov", () -> Optimizer.nesterov(0.05, 0.9),
                "adagrad", () -> Optimizer.adaGrad(0.05),
                "rmsprop", () -> Optimizer.rmsProp(0.01),
                "adam", () -> Optimizer.adam(0.01),
                "adamw", () -> Optimizer.adamW(0.01, 0.1));
        Dataset data = blobs(96, 1, new int[] {4});
        for (Map.Entry<String, Supplier<Optimizer>> e : optimizers.entrySet()) {
            Model m = FailLoudNets_SmallNet.create(7);
            Layer hidden = layer(m, "hidden");
            Layer out = layer(m, "out");
            // first unfrozen, so that the optimizer's state (velocity, moments) for the layer is not zero: zeroing
            // its gradients alone would then still move it
            Optimizer o = e.getValue().get();
            Trainer.of(m).optimizer(o).batchSize(16).epochs(1).seed(1).fit(data);
            int[] frozen = bits(hidden);
            int[] head = bits(out);
            // with an L2 penalty, clipping and a max-norm bound tight enough to bind: none may touch the frozen layer
            Trainer.of(m).optimizer(o).batchSize(16).epochs(3).seed(2)
                    .regularizer(Regularizer.elasticNet(1e-3, 1e-2)).clipGradientNorm(0.5)
                    .constraint(Constraint.maxNorm(0.3)).freeze(hidden).fit(data);
            assertArrayEquals(frozen, bits(hidden), e.getKey() + ": the frozen layer moved");
            assertFalse(java.util.Arrays.equals(head, bits(out)), e.getKey() + ": the head did not train");
        }
    }

    @Test
    void aFrozenBatchNormKeepsItsParametersButUpdatesItsRunningStatistics() {
        Model m = CorrectnessNets_NormedImagesNet.create(3);
        Dataset data = blobs(48, 2, m.inputShape(), 2);
        Layer c = layer(m, "c");
        Layer bn = layer(m, "bn");
        int[] conv = bits(c);
        int[] norm = bits(bn);
        FloatBuffer b = m.buffers().floats();
        float[] before = new float[b.limit()];
        b.get(0, before);
        Trainer.of(m).optimizer(Optimizer.adam(0.01)).batchSize(8).epochs(2).freeze(c, bn).fit(data);
        assertArrayEquals(conv, bits(c));
        assertArrayEquals(norm, bits(bn));
        float[] after = new float[b.limit()];
        b.get(0, after);
        assertFalse(java.util.Arrays.equals(bits(before), bits(after)),
                "running statistics are buffers: freezing does not stop them (as in PyTorch)");
    }

    @Test
    void clippingCountsOnlyTheTrainableGradients() {
        Dataset data = blobs(24, 3, new int[] {4});
        int n = data.size();
        double c = 0.05;
        float lr = 0.1f;
        // one step over the whole set, in order
        Model m = FailLoudNets_SmallNet.create(11);
        Trainer.of(m).optimizer(Optimizer.sgd(lr)).batchSize(n).epochs(1).shuffle(false).clipGradientNorm(c)
                .freeze(layer(m, "hidden")).fit(data);

        // the same step by hand
        Model r = FailLoudNets_SmallNet.create(11);
        r.setTraining(true);
        r.reserve(n);
        for (int i = 0; i < n; i++) {
            r.setInput(i, data.features(), i * data.featureSize());
            r.setTarget(i, data.targets(), i * data.targetSize());
        }
        r.forward(n);
        r.loss(n);
        r.backward(n);
        FloatBuffer g = r.gradients().floats();
        FloatBuffer p = r.parameters().floats();
        Layer hidden = layer(r, "hidden");
        double all = 0;
        double trainable = 0;
        boolean[] frozen = new boolean[r.parameterCount()];
        for (Tensor t : hidden.parameters()) {
            for (int i = t.offset(); i < t.offset() + t.length(); i++) {
                frozen[i] = true;
            }
        }
        for (int i = 0; i < r.parameterCount(); i++) {
            double v = g.get(i);
            all += v * v;
            trainable += frozen[i] ? 0 : v * v;
        }
        double norm = Math.sqrt(trainable);
        assertTrue(norm > c && Math.sqrt(all) > 1.05 * norm, "the test needs clipping to bind and the frozen part"
                + " to matter: " + norm + " " + Math.sqrt(all));
        float scale = (float) (c / norm);
        float[] expected = new float[r.parameterCount()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = frozen[i] ? p.get(i) : p.get(i) - lr * (g.get(i) * scale);
        }
        assertArrayEquals(bits(expected), bits(m.parameterArray()));
        float wrongScale = (float) (c / Math.sqrt(all));
        int i = layer(r, "out").weights().offset();
        assertNotEquals(p.get(i) - lr * (g.get(i) * wrongScale), m.parameterArray()[i],
                "counting the frozen gradients would give another step");
    }

    @Test
    void transferLearningTrainSaveLoadPartiallyFreezeTrainTheHead() throws IOException {
        Dataset data = blobs(120, 4, new int[] {4});
        Model pretrained = FailLoudNets_SmallNet.create(1);
        Trainer.of(pretrained).optimizer(Optimizer.momentum(0.05, 0.9)).batchSize(16).epochs(3).fit(data);
        Path file = dir.resolve("pretrained.safetensors");
        Checkpoint.save(pretrained, file);

        Model fresh = FailLoudNets_SmallNet.create(2);
        // a new head: the file's own head is left out by renaming it away
        LoadReport report = Checkpoint.load(fresh, file, Checkpoint.Options.partial().rename("out.", "old_out."));
        assertEquals(List.of("hidden.weight", "hidden.bias"), report.loaded());
        assertEquals(List.of("out.weight", "out.bias"), report.kept());
        Layer hidden = layer(fresh, "hidden");
        assertArrayEquals(bits(layer(pretrained, "hidden")), bits(hidden));
        int[] loaded = bits(hidden);
        int[] head = bits(layer(fresh, "out"));
        Trainer t = Trainer.of(fresh).optimizer(Optimizer.adam(0.01)).batchSize(16).epochs(3).freeze(hidden);
        assertEquals(List.of(hidden), t.frozen());
        t.fit(data);
        assertArrayEquals(loaded, bits(hidden), "the loaded, frozen layer is bit for bit as loaded");
        assertFalse(java.util.Arrays.equals(head, bits(layer(fresh, "out"))), "the head trained");
    }

    @Test
    void freezeRefusesLayersOfAnotherModelOrWithoutParameters() {
        Model m = FailLoudNets_SmallNet.create(1);
        Model other = FailLoudNets_SmallNet.create(1);
        Trainer t = Trainer.of(m);
        assertThrows(IllegalArgumentException.class, () -> t.freeze(layer(other, "hidden")));
        assertThrows(IllegalArgumentException.class, () -> t.freeze((Layer) null));
        Model dropped = CorrectnessNets_NormedAndDroppedNet.create(1);
        String message = assertThrows(IllegalArgumentException.class,
                () -> Trainer.of(dropped).freeze(layer(dropped, "gap"))).getMessage();
        assertTrue(message.contains("has no parameters to freeze"), message);
    }

    @Test
    void theOptimizerStopsSkippingAfterTheFit() {
        Dataset data = blobs(48, 5, new int[] {4});
        Model m = FailLoudNets_SmallNet.create(3);
        Optimizer o = Optimizer.momentum(0.05, 0.9);
        Layer hidden = layer(m, "hidden");
        Trainer.of(m).optimizer(o).batchSize(16).epochs(1).freeze(hidden).fit(data);
        int[] before = bits(hidden);
        Trainer.of(m).optimizer(o).batchSize(16).epochs(1).fit(data);
        assertFalse(java.util.Arrays.equals(before, bits(hidden)), "another trainer without freeze trains it");
    }

    @Test
    void aDeviceResidentModelIsRefusedClearly() {
        Model real = FailLoudNets_SmallNet.create(1);
        // a stand-in for the GPU path: the real model, seen as device-resident
        Model device = (Model) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Model.class, Optimizer.DeviceResident.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Optimizer.DeviceResident.class) {
                        throw new AssertionError("no device step may run");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        int[] before = bits(real.parameterArray());
        Trainer t = Trainer.of(device).freeze(layer(real, "hidden"));
        String message = assertThrows(UnsupportedOperationException.class,
                () -> t.fit(blobs(32, 1, new int[] {4}))).getMessage();
        assertTrue(message.contains("frozen layers are not implemented for a device-resident model"), message);
        assertArrayEquals(before, bits(real.parameterArray()));
    }
}
