package dev.lamina.spark;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.train.EarlyStopping;
import dev.lamina.runtime.train.EpochRecord;
import dev.lamina.runtime.train.Evaluation;
import dev.lamina.runtime.train.History;
import dev.lamina.runtime.train.LearningRateSchedule;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.TrainingInternals;
import dev.lamina.runtime.train.TrainingContext;
import dev.lamina.runtime.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Trains a generated network data-parallel on Spark, driven from the driver as {@code Trainer} drives one machine:
 * the same {@link History}, listeners (progress on the driver), learning-rate schedule and early stopping, with the
 * validation set evaluated on the driver.
 *
 * <p>Synchronous (the default): each step broadcasts the parameters, every partition computes the forward and
 * backward pass on its share of the global batch, {@code treeAggregate} sums the gradients (each weighted by its
 * rows), and the driver applies one optimizer step to the mean gradient: the step single-process training takes
 * on the same global batch, up to the order of the float sums. One Spark job per step.
 *
 * <p>Local SGD ({@link #localSteps}{@code (K)}, K &gt; 1): each partition starts from the driver's parameters and
 * optimizer state, takes K steps on its own shares, and the driver sets the rows-weighted mean of the partitions'
 * parameters and optimizer states (momentum, moments): one job per K steps. At K = 1 with SGD or momentum it is
 * the synchronous step (the update is linear in the gradient); with adaptive optimizers it is not (their update is
 * not).
 *
 * <p>Faults: a failed task is retried by Spark ({@code spark.task.maxFailures}) from the same broadcast
 * parameters (and, for local SGD, optimizer state), so the step is unchanged. With {@link #checkpoints}, the driver
 * saves the parameters, the optimizer's state and the schedule's and early stopping's after each epoch, and a later
 * {@code fit} with the same folder resumes after the last saved epoch as if it had not stopped.
 */
public final class SparkTrainer {
    private final JavaSparkContext context;
    private final ModelFactory factory;
    private final Model model;
    private OptimizerFactory optimizers = () -> Optimizer.momentum(0.05, 0.9);
    private int epochs = 10;
    private long seed = 0;
    private boolean shuffle = true;
    private int localSteps = 1;
    private boolean local;
    private LearningRateSchedule schedule;
    private EarlyStopping earlyStopping;
    private int evaluationBatch = 1000;
    private int depth = 2;
    private Path checkpoints;
    private FailureInjection failure;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private long jobs;
    private Optimizer driverOptimizer;

    private SparkTrainer(JavaSparkContext context, ModelFactory factory) {
        this.context = context;
        this.factory = factory;
        this.model = factory.create();
    }

    /**
     * {@return a trainer of a network the factory builds; the driver's copy ({@link #model()}) is the one trained}
     *
     * @param context the Spark context
     * @param factory builds the network (on the driver now, on the executors later)
     */
    public static SparkTrainer of(JavaSparkContext context, ModelFactory factory) {
        if (context == null || factory == null) {
            throw new IllegalArgumentException("expected a Spark context and a model factory, found "
                    + (context == null ? "no context" : "no factory"));
        }
        return new SparkTrainer(context, factory);
    }

    /** {@return the driver's network: its parameters are the trained ones after {@link #fit}} */
    public Model model() {
        return model;
    }

    /**
     * Sets the optimizer (default: momentum, learning rate 0.05, momentum 0.9, as {@code Trainer}).
     *
     * @param factory builds it (once on the driver; once per partition for local SGD)
     * @return this trainer
     */
    public SparkTrainer optimizer(OptimizerFactory factory) {
        this.optimizers = factory;
        return this;
    }

    /**
     * Sets the number of epochs (default 10).
     *
     * @param count the epochs; at least 1
     * @return this trainer
     */
    public SparkTrainer epochs(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("expected at least 1 epoch, found " + count);
        }
        this.epochs = count;
        return this;
    }

    /**
     * Sets the seed of each epoch's order of the global batches (default 0).
     *
     * @param s the seed
     * @return this trainer
     */
    public SparkTrainer seed(long s) {
        this.seed = s;
        return this;
    }

    /**
     * Visits the global batches in a new order each epoch (true, the default) or always in their cut order.
     *
     * @param each whether to shuffle the batches' order each epoch
     * @return this trainer
     */
    public SparkTrainer shuffle(boolean each) {
        this.shuffle = each;
        return this;
    }

    /**
     * Switches to local SGD: {@code k} local steps per partition between parameter averages (k = 1 is still local
     * SGD, one job per step, for comparison with the synchronous default).
     *
     * @param k the local steps per round; at least 1
     * @return this trainer
     */
    public SparkTrainer localSteps(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("expected at least 1 local step per round, found " + k);
        }
        this.localSteps = k;
        this.local = true;
        return this;
    }

    /**
     * Sets the learning-rate schedule (default: constant).
     *
     * @param s the schedule
     * @return this trainer
     */
    public SparkTrainer schedule(LearningRateSchedule s) {
        this.schedule = s;
        return this;
    }

    /**
     * Stops early on the validation set, as {@code Trainer} does (evaluated on the driver).
     *
     * @param e the rule
     * @return this trainer
     */
    public SparkTrainer earlyStopping(EarlyStopping e) {
        this.earlyStopping = e;
        return this;
    }

    /**
     * Sets the batch size of the driver's validation passes (default 1000).
     *
     * @param size rows per pass
     * @return this trainer
     */
    public SparkTrainer evaluationBatchSize(int size) {
        this.evaluationBatch = size;
        return this;
    }

    /**
     * Sets {@code treeAggregate}'s depth (default 2).
     *
     * @param d the depth; at least 1
     * @return this trainer
     */
    public SparkTrainer aggregationDepth(int d) {
        if (d < 1) {
            throw new IllegalArgumentException("expected an aggregation depth of at least 1, found " + d);
        }
        this.depth = d;
        return this;
    }

    /**
     * Saves the driver's parameters and optimizer state after each epoch in {@code folder}, and resumes from there:
     * a {@link #fit} that finds a checkpoint starts after its epoch, with the optimizer's state and step count, the
     * schedule's and early stopping's state and the batches' order where the saved run left them. The checkpoint
     * is refused when written with another network, optimizer, seed, schedule or early stopping.
     *
     * @param folder the checkpoint folder (created when missing)
     * @return this trainer
     */
    public SparkTrainer checkpoints(Path folder) {
        this.checkpoints = folder;
        return this;
    }

    /**
     * Adds a listener, called on the driver ({@code ProgressBar}, {@code ModelCheckpoint}, ...).
     *
     * @param l the listener
     * @return this trainer
     */
    public SparkTrainer listener(TrainingListener l) {
        listeners.add(l);
        return this;
    }

    /** For the fault-tolerance test: fail the first attempt of {@code partition}'s task at step {@code step}. */
    SparkTrainer failOnce(long step, int partition) {
        this.failure = new FailureInjection(step, partition);
        return this;
    }

    /** {@return the Spark jobs the last {@link #fit} ran for its steps (validation is on the driver)} */
    public long jobs() {
        return jobs;
    }

    /**
     * Trains without a validation set.
     *
     * @param train the training set on Spark
     * @return the epochs' figures
     */
    public History fit(ShardedData train) {
        return fit(train, null);
    }

    /**
     * Trains, evaluating {@code validation} on the driver after each epoch (and for early stopping).
     *
     * @param train the training set on Spark
     * @param validation the validation set, or null
     * @return the epochs' figures (from the resumed epoch on, after a resume)
     */
    public History fit(ShardedData train, Dataset validation) {
        if (train.featureSize() != model.inputSize() || train.targetSize() != model.outputSize()) {
            throw new IllegalArgumentException("the training set has samples of " + train.featureSize()
                    + " features and targets of " + train.targetSize() + ", but " + model.name() + " expects "
                    + model.inputSize() + " inputs and " + model.outputSize() + " targets");
        }
        if (earlyStopping != null && validation == null) {
            throw new IllegalArgumentException("early stopping needs a validation set");
        }
        if (earlyStopping != null && !TrainingInternals.onLoss(earlyStopping) && !TrainingInternals.classifies(model)) {
            throw new IllegalArgumentException("early stopping on validation accuracy needs a classification loss; "
                    + model.name() + " minimises the mean squared error: use onValidationLoss()");
        }
        String run = UUID.randomUUID().toString();
        PartitionWork work = new PartitionWork(run, factory, TrainingInternals.classifies(model), failure);
        try {
            return run(train, validation, work);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write or read the checkpoint in " + checkpoints, e);
        } finally {
            if (!context.sc().isStopped()) {
                train.shards().foreachPartition(shards -> ExecutorCache.forget(run));
            }
            model.setTraining(false);
        }
    }

    private History run(ShardedData train, Dataset validation, PartitionWork work) throws IOException {
        boolean classification = TrainingInternals.classifies(model);
        Optimizer optimizer = optimizers.create();
        driverOptimizer = optimizer;
        LearningRateSchedule rates = schedule != null ? schedule : LearningRateSchedule.constant();
        History history = new History();
        TrainingInternals.declareMetrics(history, List.of());
        TrainingContext fitContext = TrainingInternals.context(model, history, epochs);
        double base = optimizer.learningRate(); // before a resume sets the saved run's last rate
        int first = 1;
        long step = 0;
        boolean stop = false;
        jobs = 0;
        var loop = new EpochCheckpoint.Loop(optimizer, rates, earlyStopping, new long[] {train.plan().seed(), seed});
        if (checkpoints != null) {
            var progress = EpochCheckpoint.resume(checkpoints, model, loop);
            if (progress.isPresent()) {
                first = progress.get().epoch() + 1;
                step = progress.get().step();
                stop = progress.get().stopped(); // a run that had stopped stays stopped
            }
        }
        for (TrainingListener l : listeners) {
            l.trainingStarted(fitContext);
        }
        int batches = train.batchesPerEpoch();
        int rows = train.globalBatch();
        for (int epoch = first; epoch <= epochs && !stop && !fitContext.stopRequested(); epoch++) {
            double rate = rates.rate(epoch - 1, base);
            optimizer.setLearningRate(rate);
            int[] blocks = blockOrder(batches, epoch);
            for (TrainingListener l : listeners) {
                l.epochStarted(epoch, epochs, batches);
            }
            long started = System.nanoTime();
            double lossSum = 0;
            double correct = 0;
            int k = local ? localSteps : 1;
            for (int b = 0; b < batches && !stop; b += k) {
                int[] round = Arrays.copyOfRange(blocks, b, Math.min(batches, b + k));
                Contribution c = local ? localRound(train, work, round, step + 1, optimizer) : syncStep(train, work,
                        round[0], step + 1, optimizer);
                jobs++;
                double loss = c.lossSum / c.rows; // summed over the round's steps
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException("training diverged: the loss is " + loss + " at step "
                            + (step + 1) + " (epoch " + epoch + ")");
                }
                lossSum += loss;
                correct += c.correct;
                for (int s = 0; s < round.length; s++) {
                    step++;
                    for (TrainingListener l : listeners) {
                        l.batchFinished(b + s + 1, batches, (b + s + 1) * rows, lossSum / (b + round.length));
                    }
                }
                if (earlyStopping != null && TrainingInternals.everySteps(earlyStopping) > 0
                        && step / TrainingInternals.everySteps(earlyStopping)
                        != (step - round.length) / TrainingInternals.everySteps(earlyStopping)) {
                    Evaluation v = Evaluation.of(model, validation, evaluationBatch);
                    stop = TrainingInternals.evaluate(earlyStopping, v.loss(), v.accuracy(), step, epoch, model);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Evaluation v = validation == null ? new Evaluation(Double.NaN, Double.NaN)
                    : Evaluation.of(model, validation, evaluationBatch);
            if (validation != null) {
                rates.observe(v.loss());
                if (earlyStopping != null && TrainingInternals.everySteps(earlyStopping) == 0) {
                    stop = TrainingInternals.evaluate(earlyStopping, v.loss(), v.accuracy(), step, epoch, model);
                }
            }
            long seen = (long) batches * rows;
            EpochRecord record = new EpochRecord(epoch, lossSum / batches,
                    classification ? correct / seen : Double.NaN, v.loss(), v.accuracy(), rate, seconds,
                    seen / seconds);
            TrainingInternals.add(history, record);
            for (TrainingListener l : listeners) {
                l.epochFinished(record, fitContext);
            }
            if (checkpoints != null) {
                EpochCheckpoint.write(checkpoints, model, loop, epoch, step,
                        stop || fitContext.stopRequested());
            }
        }
        if (earlyStopping != null) {
            TrainingInternals.finish(earlyStopping, model);
            TrainingInternals.stopped(history, earlyStopping, stop);
        }
        return history;
    }

    /** The epoch's order of the global batches: the same for an epoch whether or not the run was resumed. */
    private int[] blockOrder(int batches, int epoch) {
        int[] blocks = new int[batches];
        for (int i = 0; i < batches; i++) {
            blocks[i] = i;
        }
        if (shuffle) {
            new Rng(seed * 1_000_003L + epoch).shuffle(blocks);
        }
        return blocks;
    }

    /** One synchronous step: the partitions' gradients summed, then one optimizer step on the driver. */
    private Contribution syncStep(ShardedData train, PartitionWork work, int block, long step, Optimizer optimizer) {
        Broadcast<float[][]> state = context.broadcast(new float[][] {model.parameters().toArray(),
                model.buffers().toArray()});
        Contribution c;
        try {
            c = train.shards().treeAggregate(Contribution.zero(),
                    (sum, shard) -> sum.add(work.gradient(shard, block, step, state.value()[0], state.value()[1])),
                    Contribution::add, depth);
        } finally {
            state.destroy();
        }
        model.gradients().floats().put(0, divided(c.values, c.rows));
        model.buffers().floats().put(0, divided(c.buffers, c.rows));
        optimizer.step(model);
        return c;
    }

    /**
     * One round of local SGD: the partitions' own steps from the driver's parameters and optimizer state, then the
     * rows-weighted mean of both set on the driver.
     */
    private Contribution localRound(ShardedData train, PartitionWork work, int[] blocks, long firstStep,
            Optimizer optimizer) {
        int size = model.parameterCount();
        float[][] slots = TrainingInternals.optimizerState(optimizer, size);
        float[][] shipped = new float[2 + slots.length][];
        shipped[0] = model.parameters().toArray();
        shipped[1] = model.buffers().toArray();
        System.arraycopy(slots, 0, shipped, 2, slots.length);
        Broadcast<float[][]> state = context.broadcast(shipped);
        OptimizerFactory local = optimizers;
        int steps = optimizer.steps();
        double rate = optimizer.learningRate();
        Contribution c;
        try {
            c = train.shards().treeAggregate(Contribution.zero(),
                    (sum, shard) -> sum.add(work.localSteps(shard, blocks, firstStep, state.value(), steps, local,
                            rate)), Contribution::add, depth);
        } finally {
            state.destroy();
        }
        model.parameters().floats().put(0, divided(c.values, c.rows));
        model.buffers().floats().put(0, divided(c.buffers, c.rows));
        model.parametersChanged();
        float[] mean = divided(c.state, c.rows);
        for (int s = 0; s < slots.length; s++) {
            System.arraycopy(mean, s * size, slots[s], 0, size);
        }
        TrainingInternals.setOptimizerState(optimizer, slots, steps + blocks.length);
        return c;
    }

    /** {@return the optimizer the last {@link #fit} stepped on the driver (local SGD: the partitions' mean)} */
    Optimizer driverOptimizer() {
        return driverOptimizer;
    }

    private static float[] divided(float[] sum, long rows) {
        float[] out = new float[sum == null ? 0 : sum.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sum[i] / rows;
        }
        return out;
    }
}
