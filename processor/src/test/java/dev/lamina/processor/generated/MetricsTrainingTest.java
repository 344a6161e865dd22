package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.processor.nets.FailLoudNets_SmallNet;
import dev.lamina.processor.nets.GradNets_SmoothNet;
import dev.lamina.processor.nets.MetricsNets_BinaryNet;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.metrics.Metric;
import dev.lamina.runtime.metrics.Predictions;
import dev.lamina.runtime.train.EpochRecord;
import dev.lamina.runtime.train.History;
import dev.lamina.runtime.train.HistoryFile;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metrics chosen in {@link Trainer#metrics} on small generated networks: the validation figures recorded at the last
 * epoch equal those computed afterwards from {@code predict} on the same parameters, the history's CSV and JSON carry
 * them, and choosing metrics changes nothing else (same parameters, same loss and accuracy as a plain fit).
 */
class MetricsTrainingTest {

    /** Three Gaussian blobs in 4-D, one-hot targets. */
    private static Dataset blobs(int n, long seed) {
        return Fixtures.gaussianBlobs(n, seed, 1.2, 1);
    }

    /** Five features, three targets: a smooth function of them, in (-1, 1). */
    private static Dataset smooth(int n, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * 5];
        float[] t = new float[n * 3];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 5; j++) {
                x[i * 5 + j] = (float) rng.nextGaussian();
            }
            for (int k = 0; k < 3; k++) {
                t[i * 3 + k] = (float) Math.tanh(0.5 * x[i * 5 + k] - 0.3 * x[i * 5 + k + 2]);
            }
        }
        return new Dataset(x, new int[] {5}, t, 3);
    }

    private static float[] parameters(Model m) {
        java.nio.FloatBuffer p = m.parameters().floats();
        float[] a = new float[p.limit()];
        p.get(0, a);
        return a;
    }

    @Test
    void classificationMetricsAtTheLastEpochAreThoseOfPredict() {
        Dataset train = blobs(512, 1);
        Dataset validation = blobs(203, 2);
        List<Metric> chosen = List.of(Metric.f1Macro(), Metric.precisionWeighted(), Metric.recallMacro(),
                Metric.topKAccuracy(2));
        Model m = FailLoudNets_SmallNet.create(5);
        History h = Trainer.of(m).optimizer(Optimizer.momentum(0.02, 0.9)).batchSize(32).epochs(3).seed(4)
                .evaluationBatchSize(64).metrics(chosen.toArray(Metric[]::new)).fit(train, validation);
        Predictions after = Predictions.of(m, validation);
        EpochRecord last = h.last();
        for (Metric metric : chosen) {
            double recorded = last.metric("validation_" + metric.name());
            assertEquals(metric.of(after), recorded, 0, metric.name());
            assertTrue(recorded > 0.4, metric.name() + " after training: " + recorded);
            double trained = last.metric("train_" + metric.name());
            assertTrue(trained > 0.4 && trained <= 1, "train_" + metric.name() + ": " + trained);
        }
        // top-1 of the confusion matrix is the accuracy Evaluation counts
        assertEquals(last.validationAccuracy(), after.confusion().accuracy(), 0);
        assertEquals(8, last.metrics().size(), "train_ and validation_ for each of 4 metrics");
        assertHistoryCarries(h);

        // the same fit without metrics: same parameters, same figures, and the CSV's columns of today
        Model plain = FailLoudNets_SmallNet.create(5);
        History p = Trainer.of(plain).optimizer(Optimizer.momentum(0.02, 0.9)).batchSize(32).epochs(3).seed(4)
                .evaluationBatchSize(64).fit(train, validation);
        assertArrayEquals(parameters(plain), parameters(m));
        for (int e = 0; e < 3; e++) {
            EpochRecord a = p.epochs().get(e);
            EpochRecord b = h.epochs().get(e);
            assertEquals(a.trainLoss(), b.trainLoss(), 0);
            assertEquals(a.trainAccuracy(), b.trainAccuracy(), 0);
            assertEquals(a.validationLoss(), b.validationLoss(), 0);
            assertTrue(a.metrics().isEmpty());
        }
        assertEquals("epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,learning_rate,seconds,"
                + "samples_per_second", p.toCsv().lines().findFirst().orElseThrow());
        assertFalse(p.toJson().contains("validation_f1_macro"));
    }

    @Test
    void historyFileWritesTheMetricColumnsFromItsHeaderOn(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("history.csv");
        Path lines = dir.resolve("history.jsonl");
        History h = Trainer.of(FailLoudNets_SmallNet.create(5)).batchSize(32).epochs(2).seed(4)
                .metrics(Metric.f1Macro()).listener(HistoryFile.csv(file)).listener(HistoryFile.jsonLines(lines))
                .fit(blobs(128, 1), blobs(64, 2));
        assertEquals(h.toCsv(), Files.readString(file));
        List<String> json = Files.readAllLines(lines);
        assertEquals(2, json.size());
        for (String line : json) {
            assertTrue(line.contains("\"train_f1_macro\": ") && line.contains("\"validation_f1_macro\": "), line);
        }
        assertTrue(h.toCsv().startsWith("epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,"
                + "learning_rate,seconds,samples_per_second,train_f1_macro,validation_f1_macro\n"), h.toCsv());
    }

    @Test
    void rocAucOfOneSigmoidUnitAtTheLastEpochIsThatOfPredict() {
        Rng rng = new Rng(7);
        int n = 300;
        float[] x = new float[n * 4];
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = rng.nextInt(2);
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (float) ((j < 2 ? t[i] - 0.5 : 0) + rng.nextGaussian());
            }
        }
        Dataset all = new Dataset(x, new int[] {4}, t, 1);
        Dataset train = all.slice(0, 200);
        Dataset validation = all.slice(200, 300);
        Model m = MetricsNets_BinaryNet.create(3);
        History h = Trainer.of(m).optimizer(Optimizer.adam(0.01)).batchSize(16).epochs(3).seed(2)
                .metrics(Metric.rocAuc(), Metric.f1Macro()).fit(train, validation);
        Predictions after = Predictions.of(m, validation);
        assertEquals(2, after.classes());
        assertEquals(Metric.rocAuc().of(after), h.last().metric("validation_roc_auc"), 0);
        assertEquals(Metric.f1Macro().of(after), h.last().metric("validation_f1_macro"), 0);
        assertTrue(h.last().metric("validation_roc_auc") > 0.6, "trained: " + h.last().metrics());
        assertHistoryCarries(h);
    }

    @Test
    void regressionMetricsAtTheLastEpochAreThoseOfPredict() {
        Dataset train = smooth(400, 3);
        Dataset validation = smooth(150, 4);
        Model m = GradNets_SmoothNet.create(2);
        History h = Trainer.of(m).optimizer(Optimizer.adam(0.01)).batchSize(20).epochs(3).seed(1)
                .metrics(Metric.rmse(), Metric.mae(), Metric.r2()).fit(train, validation);
        Predictions after = Predictions.of(m, validation);
        for (Metric metric : List.of(Metric.rmse(), Metric.mae(), Metric.r2())) {
            double recorded = h.last().metric("validation_" + metric.name());
            // the validation pass and predict may batch the rows differently: the scores agree to float rounding
            assertEquals(metric.of(after), recorded, 1e-6, metric.name());
        }
        double rmse = h.last().metric("validation_rmse");
        double mse = 2 * h.last().validationLoss() / 3; // the loss is 1/2 sum over the 3 outputs
        assertTrue(rmse > 0 && rmse * rmse <= mse * 1.0001 + 1e-12, "mean of the columns' RMSE <= sqrt(MSE)");
        assertHistoryCarries(h);
    }

    @Test
    void refusesAMetricThatDoesNotSuitTheOutputsBeforeTheFirstStep() {
        Model m = FailLoudNets_SmallNet.create(5);
        float[] before = parameters(m);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Trainer.of(m).epochs(1).metrics(Metric.rmse()).fit(blobs(64, 1)));
        assertTrue(e.getMessage().contains("expected a regression (mean squared error) output, found "
                + "SOFTMAX_CROSS_ENTROPY"), e.getMessage());
        assertArrayEquals(before, parameters(m));
        assertThrows(IllegalArgumentException.class, () -> Trainer.of(m).metrics(Metric.r2(), Metric.r2()));
    }

    /** Every epoch's metrics are columns of the CSV and fields of the JSON, as the other figures are written. */
    private static void assertHistoryCarries(History h) {
        List<String> csv = h.toCsv().lines().toList();
        List<String> header = List.of(csv.get(0).split(","));
        assertEquals("samples_per_second", header.get(7));
        List<String> columns = List.copyOf(h.last().metrics().keySet());
        assertEquals(columns, header.subList(8, header.size()));
        String json = h.toJson();
        for (int e = 0; e < h.epochs().size(); e++) {
            EpochRecord r = h.epochs().get(e);
            String[] cells = csv.get(e + 1).split(",", -1);
            assertEquals(header.size(), cells.length, "epoch " + r.epoch());
            for (int c = 0; c < columns.size(); c++) {
                String written = String.format(Locale.ROOT, "%.6g", r.metric(columns.get(c)));
                assertEquals(written, cells[8 + c], columns.get(c) + " of epoch " + r.epoch());
                assertTrue(json.contains("\"" + columns.get(c) + "\": " + written), columns.get(c) + " in JSON");
            }
        }
    }
}
