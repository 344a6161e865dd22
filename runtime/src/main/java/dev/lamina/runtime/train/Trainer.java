package dev.lamina.runtime.train;

import dev.lamina.runtime.Layer;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.Tensor;
import dev.lamina.runtime.data.Augmentation;
import dev.lamina.runtime.data.BatchLoader;
import dev.lamina.runtime.data.DataSource;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.metrics.Metric;
import dev.lamina.runtime.metrics.Predictions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mini-batch training loop: shuffle every epoch (seeded), forward, loss, backward, regularize, clip, step,
 * constrain;
 * evaluate on the validation set every epoch (or every n steps for early stopping); record the history.
 *
 * <pre>{@code
 * History h = Trainer.of(net).optimizer(Optimizer.momentum(0.05, 0.9)).batchSize(128).epochs(10)
 *         .earlyStopping(EarlyStopping.onValidationLoss().patience(3).restoreBest())
 *         .listener(new ProgressBar()).fit(train, validation);
 * }</pre>
 * The network's fused loss trains unless {@link #loss(LossFunction)} gives a loss written in Java;
 * {@link #activityL1} adds L1 penalties on layers' activations to either.
 * A last batch smaller than the batch size is dropped, as the peers do. The same seed, data and thread count
 * give bitwise the same parameters. Training mode is on for the steps only: {@code fit} leaves the model in
 * inference mode, whether it returns or throws.
 *
 * <p>Training fails loudly: a batch whose loss or gradient norm is NaN or infinite stops {@code fit} with a
 * {@link NonFiniteException} naming the step, the epoch and the batch's rows, before its step is applied (see
 * {@link Divergence} for what is checked where). Data sets cannot hold non-finite values ({@link Dataset} refuses
 * them), so such a batch means the training itself diverged.
 */
public final class Trainer {
    private final Model model;
    private Optimizer optimizer = Optimizer.momentum(0.05, 0.9);
    private int batchSize = 128;
    private int epochs = 10;
    private long seed = 0;
    private boolean shuffleEachEpoch = true;
    private Regularizer regularizer;
    private final List<Constraint> constraints = new ArrayList<>();
    private double clipNorm;
    private LearningRateSchedule schedule = LearningRateSchedule.constant();
    private EarlyStopping earlyStopping;
    private int evaluationBatch = 1000;
    private final List<TrainingListener> listeners = new ArrayList<>();
    /** The layers {@link #freeze} was given, in order, each once. */
    private final List<Layer> frozenLayers = new ArrayList<>();
    /** A loss written in Java, or null: the network's fused built-in. */
    private LossFunction lossFunction;
    /** L1 penalties on layers' activations, in the order given. */
    private final List<ActivityL1> activityPenalties = new ArrayList<>();
    /** The metrics recorded per epoch, in the order given; empty: none, and no work for them. */
    private final List<Metric> metrics = new ArrayList<>();
    /** The folder of a {@link TrainingCheckpoint} the next fit resumes from, or null. */
    private java.nio.file.Path resumeFolder;
    /** Applied to each training sample as its batch is prepared, or null. */
    private Augmentation augmentation;
    /** Batches prepared ahead and the threads preparing them; -1: chosen by {@link #fit} (see {@link #prefetch}). */
    private int prefetch = -1;
    private int dataWorkers = 1;

    private Trainer(Model model) {
        this.model = model;
    }

    /**
     * {@return a trainer for {@code model} with the defaults: momentum 0.9 at learning rate 0.05, batches of 128, 10
     * epochs,
     * shuffled each epoch with seed 0}
     *
     * @param model the model to train
     */
    public static Trainer of(Model model) {
        return new Trainer(model);
    }

    /**
     * The optimizer the steps use (default {@code Optimizer.momentum(0.05, 0.9)}); it keeps its state between
     * fits.
     *
     * @param o the optimizer
     * @return this trainer
     */
    public Trainer optimizer(Optimizer o) {
        this.optimizer = o;
        return this;
    }

    /**
     * Samples per step (default 128; the last batch of an epoch may be smaller); throws {@link
     * IllegalArgumentException} below 1.
     *
     * @param size samples per step; at least 1
     * @return this trainer
     */
    public Trainer batchSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + size);
        }
        this.batchSize = size;
        return this;
    }

    /**
     * Passes over the training set (default 10); early stopping may end training sooner.
     *
     * @param count the number of epochs
     * @return this trainer
     */
    public Trainer epochs(int count) {
        this.epochs = count;
        return this;
    }

    /**
     * Whether to shuffle the samples every epoch (the default). Turn it off to feed stateful recurrent layers
     * consecutive chunks of their sequences: their carried states are then reset at the start of every epoch.
     *
     * @param each true to shuffle every epoch, false to keep the data set's order
     * @return this trainer
     */
    public Trainer shuffle(boolean each) {
        this.shuffleEachEpoch = each;
        return this;
    }

    /**
     * Seed of the per-epoch shuffle.
     *
     * @param s any value
     * @return this trainer
     */
    public Trainer seed(long s) {
        this.seed = s;
        return this;
    }

    /**
     * A penalty on the weights added to the gradients before each step (default none).
     *
     * @param r the penalty, or null for none
     * @return this trainer
     */
    public Trainer regularizer(Regularizer r) {
        this.regularizer = r;
        return this;
    }

    /**
     * Adds a constraint on the weights ({@link Constraint#maxNorm}), applied after every optimizer step, in the
     * order given: unlike {@link #regularizer}, each call adds one, so that layers can have bounds of their own.
     * A device-resident model (the GPU path) cannot be trained with one yet: {@link #fit} then throws
     * {@link UnsupportedOperationException} before the first step.
     *
     * @param c the constraint
     * @return this trainer
     */
    public Trainer constraint(Constraint c) {
        if (c == null) {
            throw new IllegalArgumentException("constraint is null");
        }
        constraints.add(c);
        return this;
    }

    /**
     * Freezes {@code layers} for the fits that follow: no step changes their parameters (weights, biases, scales,
     * shifts), bit for bit, whatever the optimizer, regularizer, clipping or constraints. The optimizer skips their
     * tensors in its update (parameters and state untouched: momentum or Adam moments gathered before cannot move
     * them, and they do not move either); their gradients are set to zero after the backward pass (and after the
     * regularizer), so gradient clipping's global norm counts only the trainable parameters, as PyTorch's
     * {@code clip_grad_norm_} over the parameters given to it; a constraint's changes to them are undone. The
     * backward pass still runs through them (layers before them may be trainable).
     *
     * <p>Running statistics are not parameters: a frozen batch-norm layer still updates its running mean and
     * variance in the training forward pass, as in PyTorch, where {@code requires_grad = False} does not stop them
     * either (PyTorch users put such a layer in eval mode; there is no per-layer mode here yet).
     *
     * <p>Freezing belongs to the trainer, not the model: like {@link #constraint} and {@link #regularizer} it says how
     * the steps treat the parameters, and a model used by two trainers (or for inference) is not changed by it.
     * Calls add to the frozen set. A device-resident model (the GPU path) is refused by {@link #fit} with an
     * {@link UnsupportedOperationException}: its update runs on the device and cannot skip layers yet.
     *
     * @param layers layers of this trainer's model that have parameters
     * @return this trainer
     * @throws IllegalArgumentException for a null layer, one not of this model, or one without parameters
     */
    public Trainer freeze(Layer... layers) {
        List<Layer> own = model.layers();
        for (Layer layer : layers) {
            if (layer == null) {
                throw new IllegalArgumentException("freeze was given a null layer");
            }
            if (!own.contains(layer)) {
                throw new IllegalArgumentException("layer '" + layer.name() + "' is not a layer of " + model.name());
            }
            if (trainable(layer).isEmpty()) {
                throw new IllegalArgumentException("layer '" + layer.name() + "' (" + layer.kind()
                        + ") has no parameters to freeze");
            }
        }
        for (Layer layer : layers) {
            if (!frozenLayers.contains(layer)) {
                frozenLayers.add(layer);
            }
        }
        return this;
    }

    /** {@return the layers frozen by {@link #freeze}, in the order given} */
    public List<Layer> frozen() {
        return List.copyOf(frozenLayers);
    }

    /** A layer's parameter tensors (not its running statistics), as the model registered them. */
    private List<Tensor> trainable(Layer layer) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : layer.parameters()) {
            for (Tensor p : model.parameterTensors()) {
                if (p == t) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /**
     * Trains with a loss written in Java instead of the network's fused built-in: every step runs the forward pass,
     * reads the outputs, takes the mean loss and its gradient from {@code function} and runs the backward pass
     * from that gradient ({@link Model#backward(int, float[])}). The recorded training loss and the validation loss
     * ({@link Evaluation}) are its value; the accuracy is counted by the function
     * ({@link LossFunction#correct}; NaN for a loss that does not classify, and early stopping then needs
     * {@code onValidationLoss()}). Without this call the fused loss trains, exactly as before.
     *
     * @param function the loss
     * @return this trainer
     * @throws IllegalArgumentException for null
     */
    public Trainer loss(LossFunction function) {
        if (function == null) {
            throw new IllegalArgumentException("the loss function is null (train with the network's fused loss by not"
                    + " setting one)");
        }
        this.lossFunction = function;
        return this;
    }

    /** {@return the loss {@link #loss(LossFunction)} set, or null: the network's fused built-in} */
    public LossFunction lossFunction() {
        return lossFunction;
    }

    /**
     * Adds an L1 penalty on the activations of the layer named {@code layerName} (Keras' {@code
     * activity_regularizer}): {@code lambda * mean over rows of sum |h|} is added to the loss (training and
     * validation, as Keras counts its regularisation losses in both), its gradient {@code lambda * sign(h) / n}
     * added at the layer's output before each backward pass ({@link Layer#addGradient}). Works with the fused
     * losses and with a {@link #loss(LossFunction)}. Calls add up.
     *
     * @param layerName the layer's field name
     * @param lambda the penalty's strength; at least 0
     * @return this trainer
     * @throws IllegalArgumentException when the model has no layer of that name, or {@code lambda} is negative or
     *         not finite; {@link #fit} refuses, before any step, a layer whose output cannot be read (fusion kept
     *         none) or takes no gradient (a dropout folded into it, a view of the input), with the layer's reason
     */
    public Trainer activityL1(String layerName, double lambda) {
        for (Layer layer : model.layers()) {
            if (layer.name().equals(layerName)) {
                return activityL1(layer, lambda);
            }
        }
        throw new IllegalArgumentException(model.name() + " has no layer named '" + layerName + "'; its layers are "
                + model.layers().stream().map(Layer::name).toList());
    }

    /**
     * {@link #activityL1(String, double)} on a layer of this trainer's model.
     *
     * @param layer a layer of this trainer's model
     * @param lambda the penalty's strength; at least 0
     * @return this trainer
     * @throws IllegalArgumentException for null, a layer of another model, or a negative or non-finite lambda
     */
    public Trainer activityL1(Layer layer, double lambda) {
        if (layer == null) {
            throw new IllegalArgumentException("activityL1 was given a null layer");
        }
        if (!model.layers().contains(layer)) {
            throw new IllegalArgumentException("layer '" + layer.name() + "' is not a layer of " + model.name());
        }
        activityPenalties.add(new ActivityL1(layer, lambda));
        return this;
    }

    /**
     * Clip gradients to this global norm (0: no clipping).
     *
     * @param maxNorm the largest global norm of the gradients; 0 for no clipping
     * @return this trainer
     */
    public Trainer clipGradientNorm(double maxNorm) {
        this.clipNorm = maxNorm;
        return this;
    }

    /**
     * The learning rate per epoch (default: the optimizer's rate throughout).
     *
     * @param s the schedule
     * @return this trainer
     */
    public Trainer schedule(LearningRateSchedule s) {
        this.schedule = s;
        return this;
    }

    /**
     * Stops when the validation result stops improving (default: never); {@link #fit(DataSource, Dataset)} then
     * needs a validation set.
     *
     * @param e the early stopping, or null for none
     * @return this trainer
     */
    public Trainer earlyStopping(EarlyStopping e) {
        this.earlyStopping = e;
        return this;
    }

    /**
     * Samples per forward pass when the validation set is evaluated (default 1000); changes memory use, not
     * the
     * figures.
     *
     * @param size samples per evaluation pass
     * @return this trainer
     */
    public Trainer evaluationBatchSize(int size) {
        this.evaluationBatch = size;
        return this;
    }

    /**
     * Adds metrics recorded in the history every epoch ({@link EpochRecord#metrics}, extra columns of
     * {@link History#toCsv} and {@link History#toJson}): {@code validation_<name>} from the validation pass the
     * trainer runs anyway (its outputs are kept, no second pass), and {@code train_<name>} from the outputs of the
     * epoch's training steps, as the training accuracy is (in training mode, while the parameters move; the samples
     * of the dropped last batch are not counted). Calls add up. {@link #fit} refuses, before the first step, a metric
     * that does not suit the network's outputs (regression errors of class scores, ROC AUC of three classes).
     * Without this call nothing is computed or kept for metrics.
     *
     * @param chosen the metrics, e.g. {@code Metric.f1Macro(), Metric.topKAccuracy(5)}
     * @return this trainer
     * @throws IllegalArgumentException for a null metric, or one whose name is already chosen
     */
    public Trainer metrics(Metric... chosen) {
        for (Metric m : chosen) {
            if (m == null) {
                throw new IllegalArgumentException("metrics was given a null metric");
            }
            for (Metric other : metrics) {
                if (other.name().equals(m.name())) {
                    throw new IllegalArgumentException("expected metrics of distinct names, found '" + m.name()
                            + "' twice");
                }
            }
            metrics.add(m);
        }
        return this;
    }

    /** {@return the metrics {@link #metrics(Metric...)} chose, in order} */
    public List<Metric> metrics() {
        return List.copyOf(metrics);
    }

    // read-only views of the settings, for a run report (dev.lamina.runtime.report.RunReport)

    /** {@return the model this trainer trains} */
    public Model model() {
        return model;
    }

    /** {@return the optimizer: its rule and base learning rate} */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** {@return the batch size} */
    public int batchSize() {
        return batchSize;
    }

    /** {@return the epochs a fit runs unless stopped} */
    public int epochs() {
        return epochs;
    }

    /** {@return the seed of the shuffle} */
    public long seed() {
        return seed;
    }

    /** {@return the learning-rate schedule} */
    public LearningRateSchedule schedule() {
        return schedule;
    }

    /** {@return the weight regularizer, or null when there is none} */
    public Regularizer regularizer() {
        return regularizer;
    }

    /** {@return the samples per forward pass of an evaluation} */
    public int evaluationBatchSize() {
        return evaluationBatch;
    }

    /**
     * Augments each training sample as its batch is prepared (default none): the sample of row {@code i} in epoch
     * {@code e} gets the generator of ({@link #seed}, e, i), so the same seed gives the same batches whatever the
     * threads. The validation set is not augmented.
     *
     * @param a the augmentation, or null for none
     * @return this trainer
     */
    public Trainer augmentation(Augmentation a) {
        this.augmentation = a;
        return this;
    }

    /**
     * Prepares the next {@code batches} batches (read and augmented) on {@code workers} background threads while
     * the current step runs ({@link BatchLoader}); 0 prepares each batch on the training thread. By default an
     * in-memory {@link Dataset} without augmentation is read in place, with no copy and no thread, and any other
     * source or an augmented set is prefetched 2 batches ahead on 1 thread. The figures do not depend on this.
     *
     * @param batches batches prepared ahead; at least 0
     * @param workers threads preparing them; at least 1
     * @return this trainer
     */
    public Trainer prefetch(int batches, int workers) {
        if (batches < 0 || workers < 1) {
            throw new IllegalArgumentException("expected prefetch >= 0 batches on >= 1 workers, found " + batches
                    + " batches on " + workers + " workers");
        }
        this.prefetch = batches;
        this.dataWorkers = workers;
        return this;
    }

    /**
     * Adds a listener that hears each epoch and batch (a {@link ProgressBar}, a logger); listeners are called in the
     * order added.
     *
     * @param l the listener
     * @return this trainer
     */
    public Trainer listener(TrainingListener l) {
        listeners.add(l);
        return this;
    }

    /**
     * Makes the next {@link #fit} go on from the latest checkpoint a {@link TrainingCheckpoint} saved in
     * {@code folder}: the parameters, the optimizer's state, the epoch and step, the schedule, the shuffle, the
     * dropout masks, the early stopping and the history so far are put back before the first step, and training
     * runs the epochs after the saved one up to {@link #epochs} (none when the saved run had been stopped). With the same data and settings as the interrupted
     * run, the parameters end bit for bit as an uninterrupted run's. The fit throws {@link java.io.UncheckedIOException}
     * when the folder holds no checkpoint, or one of another network, optimizer, training set size, schedule or
     * early stopping, before the first step; a device-resident model (the GPU path) is refused with an
     * {@link UnsupportedOperationException}. Applies to the next fit only.
     *
     * @param folder the folder given to {@link TrainingCheckpoint#in}
     * @return this trainer
     */
    public Trainer resumeFrom(java.nio.file.Path folder) {
        if (folder == null) {
            throw new IllegalArgumentException("expected the folder of a training checkpoint, found null");
        }
        this.resumeFolder = folder;
        return this;
    }

    /**
     * Trains on {@code train} with no validation set; see {@link #fit(DataSource, Dataset)}.
     *
     * @param train the training set: in memory ({@link Dataset}) or streamed (an
     *        {@link dev.lamina.runtime.data.IdxSource}, a {@link dev.lamina.runtime.data.ImageFolder}, ...)
     * @return each epoch's figures
     */
    public History fit(DataSource train) {
        return fit(train, null);
    }

    /**
     * Trains on {@code train}, evaluating on {@code validation} after each epoch when it is not null, and leaves the
     * model in inference mode. Throws {@link IllegalArgumentException} when a set's shapes do not fit the model or
     * early stopping lacks a validation set, and {@link NonFiniteException} when training diverges.
     *
     * @param train the training set: in memory ({@link Dataset}) or streamed (an
     *        {@link dev.lamina.runtime.data.IdxSource}, a {@link dev.lamina.runtime.data.ImageFolder}, ...), its
     *        batches prepared as {@link #prefetch} says
     * @param validation the validation set, or null
     * @return each epoch's figures, with the early-stopping outcome
     */
    public History fit(DataSource train, Dataset validation) {
        if (!activityPenalties.isEmpty() && model instanceof Optimizer.DeviceResident) {
            throw new UnsupportedOperationException("activity penalties are not implemented for a device-resident "
                    + "model (" + model.getClass().getSimpleName() + " " + model.name() + "): its layers' outputs "
                    + "stay on the device; train on the CPU to penalise activations");
        }
        if (!frozenLayers.isEmpty() && model instanceof Optimizer.DeviceResident) {
            throw new UnsupportedOperationException("frozen layers are not implemented for a device-resident model ("
                    + model.getClass().getSimpleName() + " " + model.name() + "): its update runs on the device"
                    + " and cannot skip layers yet; train on the CPU to freeze layers");
        }
        java.util.Set<Tensor> frozenTensors = new java.util.LinkedHashSet<>();
        for (Layer layer : frozenLayers) {
            frozenTensors.addAll(trainable(layer));
        }
        frozenRanges = new int[frozenTensors.size() * 2];
        int k = 0;
        for (Tensor t : frozenTensors) {
            frozenRanges[k++] = t.offset();
            frozenRanges[k++] = t.length();
        }
        frozenCopy = new float[frozenTensors.stream().mapToInt(Tensor::length).sum()];
        optimizer.freeze(frozenTensors);
        model.state().freeze(frozenTensors);
        // an in-memory set without augmentation is read in place, as it always was; anything else through a loader
        boolean inPlace = train instanceof Dataset && augmentation == null && prefetch <= 0;
        feed = inPlace ? null : new BatchLoader(train, Math.max(1, Math.min(batchSize, train.size())), augmentation,
                seed, dataWorkers, prefetch < 0 ? 2 : prefetch);
        try {
            return run(train, validation);
        } finally {
            if (feed != null) {
                feed.close();
                feed = null;
            }
            optimizer.freeze(java.util.Set.of());
            model.state().freeze(java.util.Set.of());
            model.setTraining(false);
        }
    }

    /** Prepares the training batches during a fit, or null: an in-memory set read in place. */
    private BatchLoader feed;

    /** Offset and length of each frozen tensor in the flat parameter and gradient arrays, during a fit. */
    private int[] frozenRanges = new int[0];
    /** Room for the frozen parameters while constraints run. */
    private float[] frozenCopy = new float[0];

    /** Zeroes the frozen tensors' gradients. */
    private void zeroFrozenGradients() {
        java.nio.FloatBuffer g = model.gradients().floats();
        for (int r = 0; r < frozenRanges.length; r += 2) {
            for (int i = frozenRanges[r], end = i + frozenRanges[r + 1]; i < end; i++) {
                g.put(i, 0f);
            }
        }
    }

    /** Copies the frozen parameters to {@link #frozenCopy} ({@code save}) or back. */
    private void frozenParameters(boolean save) {
        java.nio.FloatBuffer p = model.parameters().floats();
        for (int r = 0, at = 0; r < frozenRanges.length; r += 2) {
            if (save) {
                p.get(frozenRanges[r], frozenCopy, at, frozenRanges[r + 1]);
            } else {
                p.put(frozenRanges[r], frozenCopy, at, frozenRanges[r + 1]);
            }
            at += frozenRanges[r + 1];
        }
    }

    private History run(DataSource train, Dataset validation) {
        checkFits(train, "training");
        if (validation != null) {
            checkFits(validation, "validation");
        }
        if (earlyStopping != null && validation == null) {
            throw new IllegalArgumentException("early stopping needs a validation set");
        }
        boolean classification = ExtendedLoss.classifies(model, lossFunction);
        if (earlyStopping != null && !earlyStopping.onLoss() && !classification) {
            // a regression has no accuracy: every evaluation would be NaN and none the best
            throw new IllegalArgumentException("early stopping on validation accuracy needs a classification loss;"
                    + " " + model.name() + (lossFunction == null ? " minimises the mean squared error"
                    : " is trained with " + lossFunction + ", which counts no accuracy") + ": use onValidationLoss()");
        }
        checkPenalties(train);
        int outputs = model.outputSize();
        int steps = model.state().outputSteps();
        for (Metric m : metrics) {
            m.check(model.lossKind(), outputs / steps);
        }
        // null: the fused loss alone, exactly the path without a Java loss or penalties
        ExtendedLoss extended = lossFunction == null && activityPenalties.isEmpty() ? null
                : new ExtendedLoss(model, lossFunction, activityPenalties);
        for (Constraint c : constraints) {
            c.checkSupported(model);
        }
        int n = train.size();
        int batch = Math.min(batchSize, n);
        int batches = n / batch;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Rng shuffle = new Rng(seed);
        Divergence divergence = new Divergence(model);
        // a model that holds the training set itself (on a GPU) takes each batch as row indices
        DatasetResident resident = feed == null && model instanceof DatasetResident r && r.hold((Dataset) train) ? r
                : null;
        // the rows' source in the loop: the set itself, or the loader's batch (row r of the batch at r)
        float[] inputs = feed == null ? ((Dataset) train).features() : null;
        float[] targets = feed == null ? ((Dataset) train).targets() : null;
        History history = new History();
        // the epoch's training outputs and targets, in step order, for the metrics; null without metrics
        float[] trainScores = metrics.isEmpty() ? null : new float[batches * batch * outputs];
        float[] trainTargets = metrics.isEmpty() ? null : new float[batches * batch * outputs];
        float[] validationScores = metrics.isEmpty() || validation == null ? null
                : new float[validation.size() * outputs];
        List<String> columns = new ArrayList<>();
        for (String set : List.of("train_", "validation_")) {
            for (Metric m : metrics) {
                columns.add(set + m.name());
            }
        }
        history.declareMetrics(columns);
        TrainingState state = new TrainingState(model, optimizer, schedule, earlyStopping, history, order, shuffle);
        TrainingContext context = new TrainingContext(model, history, epochs, state);
        if (resumeFolder != null) {
            resume(state);
        }
        for (TrainingListener l : listeners) {
            l.trainingStarted(context);
        }
        double base = state.baseRate;
        long step = state.step;
        boolean stop = state.stopped;
        for (int epoch = state.epoch + 1; epoch <= epochs && !stop && !context.stopRequested(); epoch++) {
            double rate = schedule.rate(epoch - 1, base);
            optimizer.setLearningRate(rate);
            if (shuffleEachEpoch) {
                shuffle.shuffle(order);
            }
            if (feed != null) {
                feed.startEpoch(epoch, order, batches);
            }
            model.resetStates();
            model.setTraining(true);
            model.reserve(batch);
            for (TrainingListener l : listeners) {
                l.epochStarted(epoch, epochs, batches);
            }
            long started = System.nanoTime();
            double lossSum = 0;
            double correct = 0;
            for (int b = 0; b < batches && !stop; b++) {
                if (resident != null) {
                    resident.selectRows((Dataset) train, order, b * batch, batch);
                }
                if (feed != null) {
                    BatchLoader.Batch prepared = feed.next();
                    inputs = prepared.features();
                    targets = prepared.targets();
                }
                for (int r = 0; r < batch; r++) {
                    int i = feed == null ? order[b * batch + r] : r;
                    if (resident == null) {
                        model.setInput(r, inputs, i * train.featureSize());
                    }
                    // the host keeps the batch's targets either way: the running accuracy reads them
                    model.setTarget(r, targets, i * train.targetSize());
                }
                model.forward(batch);
                double loss = extended == null ? model.loss(batch) : extended.evaluate(batch, null, 0, true);
                if (!Double.isFinite(loss)) {
                    throw diverged("loss", loss, step + 1, epoch, b, batches, order, batch);
                }
                if (classification) {
                    correct += extended == null ? Evaluation.correct(model, model.state().targets(batch), 0, batch)
                            : extended.correct(batch, null, 0);
                }
                if (trainScores != null) {
                    Evaluation.copyOutputs(model, trainScores, b * batch, batch);
                    for (int r = 0; r < batch; r++) {
                        System.arraycopy(targets, (feed == null ? order[b * batch + r] : r) * outputs, trainTargets,
                                (b * batch + r) * outputs, outputs);
                    }
                }
                if (extended == null) {
                    model.backward(batch);
                } else {
                    extended.backward(batch);
                }
                if (regularizer != null) {
                    regularizer.apply(model);
                }
                if (frozenRanges.length > 0) {
                    zeroFrozenGradients();
                }
                // clipping measures the norm anyway; without it, one parallel scan of the gradients
                if (clipNorm > 0) {
                    double norm = GradientClipping.clipByGlobalNorm(model, clipNorm);
                    if (!Double.isFinite(norm)) {
                        throw diverged("gradient norm", norm, step + 1, epoch, b, batches, order, batch);
                    }
                } else if (!divergence.gradientsFinite()) {
                    double norm = GradientClipping.globalNorm(model); // for the message only
                    throw diverged("gradient norm", norm, step + 1, epoch, b, batches, order, batch);
                }
                optimizer.step(model);
                boolean guard = frozenRanges.length > 0 && !constraints.isEmpty();
                if (guard) {
                    frozenParameters(true);
                }
                for (int c = 0; c < constraints.size(); c++) {
                    constraints.get(c).apply(model);
                }
                if (guard) {
                    frozenParameters(false);
                }
                step++;
                lossSum += loss;
                for (TrainingListener l : listeners) {
                    l.batchFinished(b + 1, batches, (b + 1) * batch, lossSum / (b + 1));
                }
                if (earlyStopping != null && earlyStopping.everySteps() > 0
                        && step % earlyStopping.everySteps() == 0) {
                    Evaluation v = validate(validation, null);
                    stop = earlyStopping.evaluate(v.loss(), v.accuracy(), step, epoch, model);
                    model.setTraining(true);
                    model.reserve(batch);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Evaluation v = validation == null ? new Evaluation(Double.NaN, Double.NaN)
                    : validate(validation, validationScores);
            if (validation != null) {
                schedule.observe(v.loss());
                if (earlyStopping != null && earlyStopping.everySteps() == 0) {
                    stop = earlyStopping.evaluate(v.loss(), v.accuracy(), step, epoch, model);
                }
            }
            int seen = batches * batch;
            Map<String, Double> figures = new LinkedHashMap<>();
            if (!metrics.isEmpty()) {
                Predictions trained = Predictions.of(model.lossKind(), steps, trainScores, trainTargets, seen);
                Predictions validated = validation == null ? null
                        : Predictions.of(model.lossKind(), steps, validationScores, validation.targets(),
                        validation.size());
                for (Metric m : metrics) {
                    figures.put("train_" + m.name(), m.of(trained));
                }
                for (Metric m : metrics) {
                    figures.put("validation_" + m.name(), validated == null ? Double.NaN : m.of(validated));
                }
            }
            EpochRecord record = new EpochRecord(epoch, lossSum / batches,
                    classification ? correct / (double) seen : Double.NaN, v.loss(), v.accuracy(), rate, seconds,
                    seen / seconds, figures);
            history.add(record);
            state.finished(epoch, step, stop);
            for (TrainingListener l : listeners) {
                l.epochFinished(record, context);
            }
        }
        if (earlyStopping != null) {
            earlyStopping.finish(model);
            history.stopped(earlyStopping.bestStep(), earlyStopping.bestEpoch(), stop || context.stopRequested());
        } else if (stop || context.stopRequested()) {
            history.stopped(-1, -1, true);
        }
        return history;
    }

    /** Puts back the state of the checkpoint {@link #resumeFrom} named, once. */
    private void resume(TrainingState state) {
        java.nio.file.Path folder = resumeFolder;
        resumeFolder = null;
        if (model instanceof Optimizer.DeviceResident) {
            throw new UnsupportedOperationException("resuming is not implemented for a device-resident model ("
                    + model.name() + "): its optimizer state stays on the device");
        }
        try {
            state.restore(TrainingCheckpoint.latest(folder));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot resume from the training checkpoint in " + folder + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The validation loss and accuracy, with the loss this trainer trains with; the outputs copied to {@code scores}
     * when it is not null.
     */
    private Evaluation validate(Dataset validation, float[] scores) {
        return Evaluation.of(model, validation, evaluationBatch, lossFunction, activityPenalties, scores);
    }

    /**
     * Refuses, before any step, a penalised layer whose output cannot be read or takes no gradient: one forward
     * pass over the first training sample in inference mode (no dropout mask drawn, no running statistic moved),
     * then each penalty reads its layer and adds a zero gradient, which the next forward pass forgets.
     */
    private void checkPenalties(DataSource train) {
        if (activityPenalties.isEmpty()) {
            return;
        }
        model.setTraining(false);
        model.reserve(1);
        float[] first = new float[train.featureSize()];
        train.read(0, first, 0, new float[train.targetSize()], 0);
        model.setInput(0, first, 0);
        model.forward(1);
        for (ActivityL1 p : activityPenalties) {
            p.check();
        }
    }

    private static NonFiniteException diverged(String quantity, double value, long step, int epoch, int b,
            int batches, int[] order, int batch) {
        int[] rows = java.util.Arrays.copyOfRange(order, b * batch, (b + 1) * batch);
        return new NonFiniteException(quantity, value, step, epoch, b + 1, batches, rows);
    }

    private void checkFits(DataSource data, String which) {
        if (data.featureSize() != model.inputSize() || data.targetSize() != model.outputSize()) {
            throw new IllegalArgumentException("the " + which + " set has samples of " + data.featureSize()
                    + " features and targets of " + data.targetSize() + ", but " + model.name() + " expects "
                    + model.inputSize() + " inputs " + java.util.Arrays.toString(model.inputShape()) + " and "
                    + model.outputSize() + " targets");
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException("the " + which + " set is empty");
        }
    }
}
