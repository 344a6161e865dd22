package dev.lamina.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.train.History;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Trainer;
import dev.lamina.runtime.train.EarlyStopping;
import dev.lamina.runtime.train.EpochRecord;
import dev.lamina.runtime.train.Evaluation;
import dev.lamina.runtime.train.TrainingContext;
import dev.lamina.runtime.train.TrainingInternals;
import dev.lamina.runtime.train.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark training against single-process training on the same global batches, on {@code local[2,2]}: two cores,
 * and a failed task tried twice (Spark's local mode tries a task once unless told otherwise). One Spark context
 * for the class: its start-up is most of the time.
 *
 * <p>Tolerance: the partitions' gradients are summed in another order than the single process sums the batch's
 * rows, so parameters agree to float rounding, compounded over the steps: within {@link #TOLERANCE} times
 * max(1, |parameter|), while training moves them by more than a hundred times that.
 */
class SparkTrainerTest {
    static final double TOLERANCE = 1e-5;
    private static final int ROWS = 96;
    private static final int BATCH = 24;
    private static final int PARTITIONS = 2;
    private static final long ROW_SEED = 5;
    private static JavaSparkContext spark;
    private static Dataset data;
    private static ShardedData sharded;

    @BeforeAll
    static void start() {
        spark = new JavaSparkContext(new SparkConf().setMaster("local[2,2]").setAppName("lamina-spark-test")
                .set("spark.ui.enabled", "false").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.driver.host", "127.0.0.1"));
        spark.setLogLevel("WARN");
        data = blobs(ROWS, 3, new Rng(11));
        sharded = ShardedData.of(spark, data, BATCH, PARTITIONS, ROW_SEED);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Three classes of 6x6 images: class {@code c} brightens rows {@code 2c, 2c + 1}, plus Gaussian noise. */
    static Dataset blobs(int n, int classes, Rng rng) {
        float[] x = new float[n * 36];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int j = 0; j < 36; j++) {
                x[i * 36 + j] = (float) (0.5 * rng.nextGaussian() + (j / 6 / 2 == labels[i] ? 1 : 0));
            }
        }
        return Dataset.classification(x, new int[] {1, 6, 6}, labels, classes);
    }

    private static ModelFactory tiny() {
        return () -> TinyCnnNet.create(7);
    }

    /** The single-process reference: Trainer on the rows in the order the global batches take them. */
    private static float[] singleProcess(Optimizer optimizer, int epochs) {
        Model reference = TinyCnnNet.create(7);
        Trainer.of(reference).optimizer(optimizer).batchSize(BATCH).shuffle(false).epochs(epochs)
                .fit(data.select(sharded.rowOrder(ROWS)));
        return reference.parameterArray();
    }

    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        float[] initial = TinyCnnNet.create(7).parameterArray();
        double moved = 0;
        for (int i = 0; i < expected.length; i++) {
            double allowed = TOLERANCE * Math.max(1, Math.abs(expected[i]));
            assertTrue(Math.abs(expected[i] - actual[i]) <= allowed, "parameter " + i + ": expected "
                    + expected[i] + ", found " + actual[i]);
            moved = Math.max(moved, Math.abs(expected[i] - initial[i]));
        }
        assertTrue(moved > 100 * TOLERANCE, "training moved the parameters by " + moved + " only");
    }

    @Test
    void synchronousStepsMatchSingleProcess() {
        SparkTrainer trainer = SparkTrainer.of(spark, tiny()).optimizer(() -> Optimizer.momentum(0.1, 0.9))
                .shuffle(false).epochs(2);
        History history = trainer.fit(sharded);
        assertClose(singleProcess(Optimizer.momentum(0.1, 0.9), 2), trainer.model().parameterArray());
        assertEquals(2 * ROWS / BATCH, trainer.jobs());
        assertEquals(2, history.epochs().size());
    }

    @Test
    void localSgdAtOneStepMatchesSingleProcess() {
        SparkTrainer trainer = SparkTrainer.of(spark, tiny()).optimizer(() -> Optimizer.momentum(0.1, 0.9))
                .shuffle(false).epochs(2).localSteps(1);
        trainer.fit(sharded);
        assertClose(singleProcess(Optimizer.momentum(0.1, 0.9), 2), trainer.model().parameterArray());
    }

    @Test
    void localSgdRunsOneJobPerRoundAndLearns() {
        SparkTrainer trainer = SparkTrainer.of(spark, tiny()).optimizer(() -> Optimizer.momentum(0.05, 0.9))
                .epochs(6).localSteps(4);
        History history = trainer.fit(sharded, data);
        assertEquals(6, trainer.jobs()); // 4 global batches per epoch: one round each
        double first = history.epochs().get(0).trainLoss();
        double last = history.last().trainLoss();
        assertTrue(last < 0.5 * first, "local SGD's loss went from " + first + " to " + last);
    }

    @Test
    void aFailedTaskIsRetriedAndTheStepIsRight() {
        FailureInjection.INJECTED.set(0);
        SparkTrainer trainer = SparkTrainer.of(spark, tiny()).optimizer(() -> Optimizer.momentum(0.1, 0.9))
                .shuffle(false).epochs(1).failOnce(3, 1);
        trainer.fit(sharded);
        assertEquals(1, FailureInjection.INJECTED.get());
        assertClose(singleProcess(Optimizer.momentum(0.1, 0.9), 1), trainer.model().parameterArray());
    }

    /**
     * A run stopped after epoch 2 and restarted for epoch 3 lands where an uninterrupted 3-epoch run does, bit for
     * bit: the checkpoint holds the optimizer's state and step count, the seeds fix the batches' order, and with two
     * partitions the sum of their contributions does not depend on which arrives first (float addition commutes).
     */
    private static void assertResumesExactly(OptimizerFactory optimizer, int localSteps, Path folder) {
        SparkTrainer whole = withSteps(SparkTrainer.of(spark, tiny()).optimizer(optimizer).seed(3).epochs(3),
                localSteps);
        whole.fit(sharded);
        withSteps(SparkTrainer.of(spark, tiny()).optimizer(optimizer).seed(3).epochs(2).checkpoints(folder),
                localSteps).fit(sharded);
        SparkTrainer restarted = withSteps(SparkTrainer.of(spark, tiny()).optimizer(optimizer).seed(3).epochs(3)
                .checkpoints(folder), localSteps);
        History history = restarted.fit(sharded);
        assertEquals(1, history.epochs().size());
        assertEquals(3, history.last().epoch());
        assertEquals(ROWS / BATCH / localSteps, restarted.jobs());
        assertClose(whole.model().parameterArray(), restarted.model().parameterArray());
        assertArrayEquals(whole.model().parameterArray(), restarted.model().parameterArray(),
                "the resumed run's parameters, bit for bit");
        assertEquals(whole.driverOptimizer().steps(), restarted.driverOptimizer().steps());
        int size = whole.model().parameterCount();
        assertArrayEquals(TrainingInternals.optimizerState(whole.driverOptimizer(), size),
                TrainingInternals.optimizerState(restarted.driverOptimizer(), size), "the optimizer's state");
    }

    private static SparkTrainer withSteps(SparkTrainer trainer, int localSteps) {
        return localSteps > 1 ? trainer.localSteps(localSteps) : trainer;
    }

    @Test
    void aFailedLocalSgdTaskIsRetriedFromTheSameState() {
        FailureInjection.INJECTED.set(0);
        SparkTrainer clean = SparkTrainer.of(spark, tiny()).optimizer(() -> Optimizer.momentum(0.1, 0.9))
                .shuffle(false).epochs(1).localSteps(2);
        clean.fit(sharded);
        // partition 1 fails after the local steps of the round that opens at step 3, its optimizer moved
        SparkTrainer failed = SparkTrainer.of(spark, tiny()).optimizer(() -> Optimizer.momentum(0.1, 0.9))
                .shuffle(false).epochs(1).localSteps(2).failOnce(3, 1);
        failed.fit(sharded);
        assertEquals(1, FailureInjection.INJECTED.get());
        assertArrayEquals(clean.model().parameterArray(), failed.model().parameterArray());
    }

    @Test
    void aRestartedMomentumRunResumesFromTheLastEpoch(@TempDir Path folder) {
        assertResumesExactly(() -> Optimizer.momentum(0.1, 0.9), 1, folder);
    }

    @Test
    void aRestartedAdamRunResumesFromTheLastEpoch(@TempDir Path folder) {
        assertResumesExactly(() -> Optimizer.adam(0.01), 1, folder);
    }

    @Test
    void aRestartedLocalSgdAdamRunResumesFromTheLastEpoch(@TempDir Path folder) {
        assertResumesExactly(() -> Optimizer.adam(0.01), 2, folder);
    }

    @Test
    void aRunThatStoppedStaysStoppedWhenRestarted(@TempDir Path folder) {
        TrainingListener stopAfterOne = new TrainingListener() {
            @Override
            public void epochFinished(EpochRecord record, TrainingContext context) {
                context.stop();
            }
        };
        SparkTrainer stopped = SparkTrainer.of(spark, tiny()).optimizer(() -> Optimizer.sgd(0.1)).epochs(3)
                .checkpoints(folder).listener(stopAfterOne);
        assertEquals(1, stopped.fit(sharded).epochs().size());
        SparkTrainer restarted = SparkTrainer.of(spark, tiny()).optimizer(() -> Optimizer.sgd(0.1)).epochs(3)
                .checkpoints(folder);
        History history = restarted.fit(sharded);
        assertEquals(0, history.epochs().size());
        assertEquals(0, restarted.jobs());
        assertArrayEquals(stopped.model().parameterArray(), restarted.model().parameterArray());
    }

    @Test
    void aCheckpointOfAnotherSeedIsRefused(@TempDir Path folder) {
        SparkTrainer.of(spark, tiny()).optimizer(() -> Optimizer.sgd(0.1)).seed(3).epochs(1).checkpoints(folder)
                .fit(sharded);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.of(spark,
                tiny()).optimizer(() -> Optimizer.sgd(0.1)).seed(4).epochs(2).checkpoints(folder).fit(sharded));
        assertTrue(e.getMessage().contains("batch order seed") && e.getMessage().contains("expected 4, found 3"),
                e.getMessage());
    }

    /**
     * Local SGD with momentum and K = 2: after each round the driver holds the rows-weighted mean of the partitions'
     * parameters and velocities, and every partition starts the next round from both. The reference runs each
     * partition's two steps with {@code Trainer} on its own rows, from the previous mean, and averages.
     */
    @Test
    void localSgdAveragesTheOptimizerState() {
        int k = 2;
        SparkTrainer trainer = SparkTrainer.of(spark, tiny()).optimizer(() -> Optimizer.momentum(0.1, 0.9))
                .shuffle(false).epochs(1).localSteps(k);
        trainer.fit(sharded);

        int[] order = sharded.rowOrder(ROWS);
        int share = BATCH / PARTITIONS;
        float[] parameters = TinyCnnNet.create(7).parameterArray();
        float[] velocity = new float[parameters.length];
        double spread = 0;
        for (int first = 0; first < ROWS / BATCH; first += k) {
            float[] nextParameters = new float[parameters.length];
            float[] nextVelocity = new float[parameters.length];
            float[][] velocities = new float[PARTITIONS][];
            for (int p = 0; p < PARTITIONS; p++) {
                int[] rows = new int[k * share];
                for (int b = 0; b < k; b++) {
                    System.arraycopy(order, (first + b) * BATCH + p * share, rows, b * share, share);
                }
                Model replica = TinyCnnNet.create(7);
                replica.parameters().floats().put(0, parameters);
                replica.parametersChanged();
                Optimizer optimizer = Optimizer.momentum(0.1, 0.9);
                TrainingInternals.setOptimizerState(optimizer, new float[][] {velocity}, first);
                Trainer.of(replica).optimizer(optimizer).batchSize(share).shuffle(false).epochs(1)
                        .fit(data.select(rows));
                velocities[p] = TrainingInternals.optimizerState(optimizer, parameters.length)[0];
                float[] reached = replica.parameterArray();
                for (int i = 0; i < parameters.length; i++) {
                    nextParameters[i] += reached[i] * share;
                    nextVelocity[i] += velocities[p][i] * share;
                }
            }
            for (int i = 0; i < parameters.length; i++) {
                parameters[i] = nextParameters[i] / BATCH;
                velocity[i] = nextVelocity[i] / BATCH;
                spread = Math.max(spread, Math.abs(velocities[0][i] - velocities[1][i]));
            }
        }
        assertTrue(spread > 100 * TOLERANCE, "the partitions' velocities differ by " + spread + " only");
        assertClose(parameters, trainer.model().parameterArray());
        float[] driver = TrainingInternals.optimizerState(trainer.driverOptimizer(), parameters.length)[0];
        for (int i = 0; i < velocity.length; i++) {
            assertEquals(velocity[i], driver[i], TOLERANCE * Math.max(1, Math.abs(velocity[i])), "velocity " + i);
        }
        assertEquals(ROWS / BATCH, trainer.driverOptimizer().steps());
    }

    @Test
    void aSetOfAnotherShapeIsRefusedBeforeAnyStep() {
        Dataset wide = Dataset.classification(new float[48 * 2], new int[] {1, 2, 24}, new int[48 * 2 / 48], 3);
        ShardedData other = ShardedData.of(spark, wide, 1, 1, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkTrainer.of(spark, tiny()).fit(other));
        assertTrue(e.getMessage().contains("samples of 48 features") && e.getMessage().contains("expects 36 inputs"),
                e.getMessage());
        other.release();
    }

    @Test
    void listenersHistoryAndEarlyStoppingWorkAsOnOneMachine() {
        List<String> calls = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void epochStarted(int epoch, int epochs, int batches) {
                calls.add("start " + epoch + "/" + epochs + " " + batches);
            }

            @Override
            public void batchFinished(int batch, int batches, int samplesSoFar, double loss) {
                calls.add("batch " + batch + " " + samplesSoFar);
            }

            @Override
            public void epochFinished(EpochRecord record, TrainingContext context) {
                calls.add("end " + record.epoch());
                if (record.epoch() == 2) {
                    context.stop();
                }
            }
        };
        EarlyStopping stopping = EarlyStopping.onValidationAccuracy().patience(10).restoreBest();
        SparkTrainer trainer = SparkTrainer.of(spark, tiny()).optimizer(() -> Optimizer.momentum(0.1, 0.9))
                .epochs(5).earlyStopping(stopping).listener(recorder);
        History history = trainer.fit(sharded, data);
        assertEquals(2, history.epochs().size(), "the listener's stop after epoch 2");
        assertEquals(List.of("start 1/5 4", "batch 1 24", "batch 2 48", "batch 3 72", "batch 4 96", "end 1",
                "start 2/5 4", "batch 1 24", "batch 2 48", "batch 3 72", "batch 4 96", "end 2"), calls);
        assertEquals(stopping.bestEpoch(), history.bestEpoch());
        double best = history.epochs().get(history.bestEpoch() - 1).validationAccuracy();
        assertEquals(best, Evaluation.of(trainer.model(), data, 1000).accuracy(), 1e-12,
                "the best epoch's parameters restored");
    }
}
