package dev.lamina.runtime;

import dev.lamina.dsl.Loss;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Internal, not API: called by the code the processor generates (which lives in the user's own module, so it must be
 * public); it may change in any release.
 *
 * <p>Everything a generated network owns at run time: the flat parameter, gradient and statistics arrays, the
 * activation arena (sized for the batch at run time from the per-sample plan the processor computed), the argmax
 * index arena, the target rows, the dropout key and the train/eval flag, and one extra gradient block per extra
 * worker (see {@link #run}). A training step on a batch size seen before allocates nothing.
 *
 * <p>One thread at a time ({@link Passes}): a generated pass brackets itself with {@link #beginForward},
 * {@link #beginLoss} or {@link #beginBackward} and {@link #endPass}, which hold the model without waiting for it:
 * a pass that finds another thread in a pass (or in {@link Model#predict}, which holds the model for its whole
 * call) throws instead of computing on arrays that thread is writing. The same bookkeeping refuses a loss or
 * backward pass whose batch differs from the last forward pass's, or that follows another thread's forward pass.
 */
public final class NetworkState {
    /** Floats per block moved to heap arrays (where loops compile to vector code) to sum or clear gradients. */
    private static final int BLOCK = 2048;
    /** Per thread: two work blocks and a block of zeros. */
    private static final ThreadLocal<float[][]> BLOCKS = ThreadLocal.withInitial(() -> new float[3][BLOCK]);

    private final String name;
    private final Loss loss;
    private final int[] inputShape;
    private final int inputSize;
    private final int outputSize;
    /** One row's output shape; {@code {outputSize}} until the generated constructor says otherwise. */
    private int[] outputShape;
    private int outputSteps = 1;
    /** Stateful recurrent layers' carried states, by layer. */
    private final java.util.Map<Integer, Memory> carried = new java.util.HashMap<>();
    private boolean holdStates;
    private final int arenaPerSample;
    private final int indicesPerSample;
    private final Memory parameters;
    private final Memory gradients;
    private final Memory buffers;
    private final List<Tensor> parameterTensors = new ArrayList<>();
    private final List<Tensor> bufferTensors = new ArrayList<>();
    private final List<Float> initStds = new ArrayList<>();
    /** Per parameter tensor: drawn uniformly, with {@link #initStds} its bound. */
    private final List<Boolean> uniformInit = new ArrayList<>();
    private final List<Layer> layers = new ArrayList<>();

    private Memory arena;
    private int[] indices = new int[0];
    private float[] targets = new float[0];
    private int capacity;
    /** Networks are created in inference mode: {@code Trainer} switches training on for its steps. */
    private boolean training;
    /** The mode of the last forward pass started (what a {@link LayerOutput} of a fused dropout depends on). */
    private boolean forwardTraining;
    /** Forward passes checked so far (host and device), and the number of the last one that ran on the host. */
    private long forwardChecks;
    private long hostForward = -1;
    /** The layer whose batch statistics need two rows or more, as "bn (BatchNorm) on [6]"; null when none. */
    private String onePerRowStatistics;
    private long dropoutSeed;
    private long dropoutPass;
    private long dropoutKey;
    /** Rows of the backward pass in progress; 0 when none is. */
    private int backwardRows;
    /** Each worker's share of the last loss, summed in worker order. */
    private double[] partialLosses = new double[0];
    /** Gradient blocks of workers 1, 2, ...; worker 0 accumulates into {@link #gradients} itself. */
    private Memory[] workerGradients = new Memory[0];
    /** The team given by {@link #useWorkers}; null: the process default, {@link Workers#shared()}. */
    private volatile Workers team;
    /** Who may compute with this model now, and which forward pass a loss or backward pass follows. */
    private final Passes passes;
    /** The training backward pass's steps and the tensors each differentiates. */
    private final BackwardSteps backwardSteps = new BackwardSteps();
    /** What the next backward pass is asked for besides the loss's gradient. */
    private final BackwardRequests requests;

    /**
     * The state of one generated network, made by its constructor from the sizes the processor computed; the
     * arrays are allocated here, the arenas when a batch size is first reserved.
     *
     * @param arenaPerSample floats of activations, masks and scratch per sample (the processor's memory plan)
     * @param indicesPerSample ints of pooling argmax indices per sample
     * @param name the network's name
     * @param loss the network's declared loss
     * @param inputShape one input sample's shape, channels first
     * @param outputSize floats per output row
     * @param parameterCount trainable floats in all
     * @param bufferCount running-statistics floats in all
     */
    public NetworkState(String name, Loss loss, int[] inputShape, int outputSize, int parameterCount,
                        int bufferCount, int arenaPerSample, int indicesPerSample) {
        this.name = name;
        this.loss = loss;
        this.inputShape = inputShape.clone();
        this.inputSize = Arrays.stream(inputShape).reduce(1, Math::multiplyExact);
        this.outputSize = outputSize;
        this.outputShape = new int[] {outputSize};
        this.arenaPerSample = arenaPerSample;
        this.indicesPerSample = indicesPerSample;
        this.parameters = Memory.allocate(parameterCount);
        this.gradients = Memory.allocate(parameterCount);
        this.buffers = Memory.allocate(bufferCount);
        this.arena = Memory.allocate(0);
        this.passes = new Passes(name);
        this.requests = new BackwardRequests(name);
    }

    /**
     * Registers a trainable tensor; weights are drawn from N(0, initStd) by {@link #initialize}, 0 means zeros.
     *
     * @param tensorName the tensor's checkpoint name
     * @param kind what it is
     * @param shape its dimensions
     * @param offset where it starts in the parameter array
     * @param initStd the initial weights' standard deviation
     * @return the tensor's view
     */
    public Tensor parameter(String tensorName, Tensor.Kind kind, int[] shape, int offset, float initStd) {
        return register(tensorName, kind, shape, offset, initStd, false);
    }

    /**
     * Registers a trainable tensor that {@link #initialize} draws from U(-bound, bound) whatever its kind (weights
     * and biases both, as PyTorch initialises its Linear and Conv layers, with bound 1/sqrt(fan_in)).
     *
     * @param tensorName the tensor's checkpoint name
     * @param kind what it is
     * @param shape its dimensions
     * @param offset where it starts in the parameter array
     * @param bound the half-width of the uniform draw
     * @return the tensor's view
     */
    public Tensor uniformParameter(String tensorName, Tensor.Kind kind, int[] shape, int offset, float bound) {
        return register(tensorName, kind, shape, offset, bound, true);
    }

    private Tensor register(String tensorName, Tensor.Kind kind, int[] shape, int offset, float scale,
                            boolean uniform) {
        Tensor t = new Tensor(tensorName, kind, shape, offset, parameters.floats());
        parameterTensors.add(t);
        initStds.add(scale);
        uniformInit.add(uniform);
        return t;
    }

    /**
     * Registers a non-trainable tensor (running statistics), saved in checkpoints with the parameters.
     *
     * @param tensorName the tensor's checkpoint name
     * @param shape its dimensions
     * @param offset where it starts in the buffer array
     * @return the tensor's view
     */
    public Tensor buffer(String tensorName, int[] shape, int offset) {
        Tensor t = new Tensor(tensorName, Tensor.Kind.STATISTIC, shape, offset, buffers.floats());
        bufferTensors.add(t);
        return t;
    }

    /**
     * Declares how checkpoint files hold a registered tensor (PyTorch's name, shape and axis order, see
     * {@link Tensor.FileLayout}); called by the generated constructor before its layers are created. Memory keeps
     * the tensor's own layout.
     *
     * @param tensorName the registered tensor's name
     * @param fileName PyTorch's name for it
     * @param view the tensor's values seen with these dimensions
     * @param permutation for each file axis, the view axis it is
     * @param fileShape the file's dimensions
     */
    public void fileLayout(String tensorName, String fileName, int[] view, int[] permutation, int[] fileShape) {
        Tensor.FileLayout layout = new Tensor.FileLayout(fileName, view, permutation, fileShape);
        for (List<Tensor> tensors : List.of(parameterTensors, bufferTensors)) {
            for (int i = 0; i < tensors.size(); i++) {
                if (tensors.get(i).name().equals(tensorName)) {
                    tensors.set(i, tensors.get(i).withFileLayout(layout));
                    return;
                }
            }
        }
        throw new IllegalArgumentException(name + ": no tensor " + tensorName + " to give the file layout " + layout);
    }

    /**
     * Creates a layer handle over the tensors registered under {@code layerName}.
     *
     * @param layerName the layer's field name
     * @param kind the annotation that declared it
     * @param outputShape one row's output shape, channels first
     * @return the handle
     */
    public Layer layer(String layerName, String kind, int[] outputShape) {
        List<Tensor> own = new ArrayList<>();
        List<Tensor> grads = new ArrayList<>();
        for (Tensor t : parameterTensors) {
            if (t.name().startsWith(layerName + ".")) {
                own.add(t);
                grads.add(t.over(gradients.floats(), t.name()));
            }
        }
        for (Tensor t : bufferTensors) {
            if (t.name().startsWith(layerName + ".")) {
                own.add(t);
            }
        }
        Layer layer = new Layer(layerName, kind, outputShape, own, grads);
        layers.add(layer);
        return layer;
    }

    /**
     * Draws every weight from its Gaussian, zeroes biases and shifts, sets scales to 1, resets running statistics
     * (mean 0, variance 1), and seeds dropout, all from {@code seed}.
     *
     * @param seed any value
     */
    public void initialize(long seed) {
        Rng rng = new Rng(seed);
        FloatBuffer p = parameters.floats();
        for (int i = 0; i < parameterTensors.size(); i++) {
            Tensor t = parameterTensors.get(i);
            float std = initStds.get(i);
            if (uniformInit.get(i)) {
                for (int j = 0; j < t.length(); j++) {
                    p.put(t.offset() + j, (float) ((2 * rng.nextDouble() - 1) * std));
                }
                continue;
            }
            for (int j = 0; j < t.length(); j++) {
                float v = switch (t.kind()) {
                    case WEIGHT -> std == 0f ? 0f : (float) (rng.nextGaussian() * std);
                    case SCALE -> 1f;
                    default -> 0f;
                };
                p.put(t.offset() + j, v);
            }
        }
        for (Tensor t : bufferTensors) {
            float v = t.name().endsWith("running_var") ? 1f : 0f;
            for (int j = 0; j < t.length(); j++) {
                t.set(j, v);
            }
        }
        gradients.fill(0f);
        reseedDropout(seed ^ 0x5DEECE66DL);
    }

    /**
     * Runs a generated pass over a batch of {@code n} rows on the {@link Workers} team, after making room for the
     * batch and for one gradient block per worker.
     *
     * @param n the batch size
     * @param task the generated pass, run on each worker's slice
     */
    public void run(int n, Workers.RowTask task) {
        ensureCapacity(n);
        Workers workers = workers();
        while (true) {
            prepareWorkers(workers);
            if (workers.runIfOpen(n, task)) {
                break;
            }
            workers = replacement(workers);
        }
        passes.ran(n);
    }

    /**
     * Runs {@code task} over {@code [0, rows)} on this model's team with no batch behind it (an optimizer's
     * update of the flat parameters), as a pass: refused while another thread is in one.
     *
     * @param rows the range split among the workers
     * @param task what each worker runs on its slice
     */
    public void parallel(int rows, Workers.RowTask task) {
        passes.begin("an optimizer step");
        try {
            Workers workers = workers();
            while (!workers.runIfOpen(rows, task)) {
                workers = replacement(workers);
            }
        } finally {
            passes.end();
        }
    }

    /**
     * {@return the team this model's passes run on: the one given to {@link #useWorkers}, or the process default, taken
     * anew for every pass (so that {@link Workers#setThreads} takes effect between passes)}
     */
    public Workers workers() {
        Workers own = team;
        return own != null ? own : Workers.shared();
    }

    /**
     * Runs this model's passes on {@code workers} (null: the process default again).
     *
     * @param workers the team, or null
     */
    public void useWorkers(Workers workers) {
        this.team = workers;
    }

    /** The team to use instead of {@code closed}: the new default, unless the user gave this model that team. */
    private Workers replacement(Workers closed) {
        if (closed == team) {
            throw new IllegalStateException("the worker team given to useWorkers for " + name
                    + " was closed; give it an open one, or null for the default");
        }
        return workers();
    }

    private void prepareWorkers(Workers workers) {
        if (workerGradients.length != workers.count() - 1) {
            Memory[] blocks = new Memory[workers.count() - 1];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = i < workerGradients.length ? workerGradients[i] : Memory.allocate(parameters.size());
            }
            workerGradients = blocks;
        }
        if (partialLosses.length != workers.count()) {
            partialLosses = new double[workers.count()];
        }
    }

    // ------------------------------------------------------------ one thread at a time, one batch per step

    /**
     * Starts a forward pass over {@code n} rows: {@link #checkForward} must pass.
     *
     * @param n the pass's rows
     */
    public void beginForward(int n) {
        passes.begin("a forward pass");
        try {
            checkForward(n, capacity);
        } catch (RuntimeException e) {
            passes.unlock();
            throw e;
        }
        passes.forwardStarted();
        requests.forwardStarted();
        forwardTraining = training;
        hostForward = forwardChecks;
    }

    /**
     * Refuses a forward pass over {@code rows} of the {@code reserved} rows a model made room for (the generated
     * code's, or a device's), when the rows do not fit or when a training batch of one row would leave a layer's
     * batch statistics one value per channel.
     *
     * @param rows the pass's rows
     * @param reserved the rows room was made for
     */
    public void checkForward(int rows, int reserved) {
        if (rows < 1 || rows > reserved) {
            throw new IllegalArgumentException(name + ": forward(" + rows + ") " + (rows < 1
                    ? "asks for no rows; a batch needs at least 1"
                    : "over " + rows + " rows, but " + (reserved == 0 ? "no rows are" : "only " + reserved + " are")
                    + " reserved: call reserve(" + rows + ") and set the inputs first"));
        }
        if (training && rows == 1 && onePerRowStatistics != null) {
            throw new IllegalArgumentException(onePerRowStatistics + " in training mode needs more than one value "
                    + "per channel, but a batch of 1 row gives one: train on batches of 2 or more rows, or infer "
                    + "(setTraining(false)) with the running statistics");
        }
        forwardChecks++; // every forward pass, the host's or a device's, invalidates earlier LayerOutput views
    }

    /**
     * Starts the loss of the last forward pass: over the same rows, on the same thread.
     *
     * @param n the pass's rows
     */
    public void beginLoss(int n) {
        passes.beginFollowing("loss", n);
    }

    /**
     * Starts the backward pass of the last forward pass: over the same rows, on the same thread.
     *
     * @param n the pass's rows
     */
    public void beginBackward(int n) {
        passes.beginFollowing("backward", n);
        backwardRows = n;
        requests.backwardStarted(n, inputSize);
    }

    /**
     * Starts the generated Hessian-vector product of the last forward pass: over the same rows, on the same thread.
     *
     * @param n the pass's rows
     */
    public void beginSecondOrder(int n) {
        passes.beginFollowing("hessianVectorProduct", n);
    }

    /** Ends the pass a {@code begin} method started (call it in a finally block). */
    public void endPass() {
        if (backwardRows > 0) {
            requests.backwardEnded(backwardRows);
            backwardRows = 0;
        }
        passes.end();
    }

    // ------------------------------------------------------------ gradients a caller gives and takes

    /**
     * Tells the state whether the generated code has a backward pass to the input (it has none when the input is
     * token ids). Called by the generated constructor.
     *
     * @param has whether the backward pass reaches the input
     */
    public void inputHasGradient(boolean has) {
        requests.inputHasGradient(has);
    }

    /**
     * Tells the state that the generated backward pass adds a caller's gradient at {@code layer}'s output.
     *
     * @param layer the layer whose output takes a caller's gradient
     */
    public void gradientTarget(Layer layer) {
        requests.target(layer);
    }

    /**
     * Declares the next step of the training backward pass (from the output back) and the trainable tensors whose
     * gradients it computes. Called by the generated constructor.
     *
     * @param tensors the names of the tensors whose gradients the step computes
     */
    public void backwardStep(String... tensors) {
        backwardSteps.add(tensors);
    }

    /**
     * Tensors that training leaves as they are ({@code Trainer.freeze}); empty: none. While some are frozen, the
     * backward pass stops after the last step that computes a trainable tensor's gradient (the frozen tensors'
     * gradients are then zero, or as far as the pass went), unless a caller gives gradients or asks for the input's.
     *
     * @param tensors the frozen tensors
     */
    public void freeze(java.util.Collection<Tensor> tensors) {
        java.util.Set<String> names = new java.util.HashSet<>();
        tensors.forEach(t -> names.add(t.name()));
        backwardSteps.freeze(names);
    }

    /** {@return how many steps of the training backward pass this pass runs (the generated backward pass asks)} */
    public int backwardStepsNeeded() {
        return requests.givesGradients() || requests.computesInputGradient() ? Integer.MAX_VALUE
                : backwardSteps.needed();
    }

    /** {@return whether the network input has a gradient (it is values, not token ids)} */
    public boolean hasInputGradient() {
        return requests.hasInputGradient();
    }

    /**
     * Makes the backward passes that follow compute the gradient with respect to the input too, or stop it.
     *
     * @param on true to compute the input gradient, false to stop
     */
    public void computeInputGradient(boolean on) {
        requests.computeInputGradient(on);
    }

    /**
     * {@return whether backward passes compute the input's gradient (what the generated backward chooses its pass by)}
     */
    public boolean computesInputGradient() {
        return requests.computesInputGradient();
    }

    /**
     * Puts a caller's gradient with respect to the outputs of the last forward pass over {@code n} rows where the
     * loss would put its own (see {@link Model#backward(int, float[])}).
     *
     * @param n the rows of the last forward pass
     * @param gradient {@code n x outputSize} floats
     */
    public void setOutputGradient(int n, float[] gradient) {
        int rows = passes.forwardRows();
        if (rows != n) {
            throw new IllegalStateException(name + ": an output gradient for " + n + " rows, but " + (rows == 0
                    ? "no forward pass preceded it" : "the last forward pass was over " + rows + " rows")
                    + ": call forward(" + n + ") first");
        }
        requests.setOutputGradient(n, outputSize, gradient);
    }

    /**
     * Writes the output gradient a caller gave ({@link Model#backward(int, float[])}), rows {@code [first, first +
     * rows)}, into the output's gradient slot slice at {@code base}, replacing the loss's; nothing when none was
     * given (the generated backward pass, first).
     *
     * @param a the arena
     * @param base where the slice starts
     * @param first the first row
     * @param rows how many rows
     */
    public void putOutputGradient(FloatBuffer a, int base, int first, int rows) {
        requests.putOutput(a, base, first, rows, outputSize);
    }

    /** Keeps {@code gradient} to add at {@code layer}'s output in the next backward pass (see Layer#addGradient). */
    void addGradient(Layer layer, float[] gradient) {
        int rows = passes.forwardRows();
        if (rows == 0) {
            throw new IllegalStateException(name + ": a gradient at layer '" + layer.name() + "' needs the forward "
                    + "pass it belongs to: run forward first");
        }
        requests.add(layer, rows, gradient);
    }

    /** {@return whether a caller gave this backward pass an output gradient or gradients at layer outputs} */
    public boolean givesGradients() {
        return requests.givesGradients();
    }

    /**
     * Adds the gradient a caller gave at {@code layer}'s output, rows {@code [first, first + rows)}, into the
     * gradient slot slice starting at {@code base} (the generated backward pass, before the layer's step).
     *
     * @param layer the layer whose output takes the gradient
     * @param a the arena
     * @param base where the slice starts
     * @param first the first row
     * @param rows how many rows
     */
    public void addGradient(Layer layer, FloatBuffer a, int base, int first, int rows) {
        requests.addInto(layer, a, base, first, rows);
    }

    /**
     * {@return the gradient with respect to the input of the last backward pass (which {@link #computeInputGradient}
     * asked
     * for), row after row, channels first as inputs are given}
     */
    public float[] inputGradient() {
        return requests.inputGradient();
    }

    /**
     * Copies the input's gradient, rows {@code [first, first + rows)}, out of its gradient slot slice at
     * {@code base} (the generated backward pass to the input, last).
     *
     * @param a the arena
     * @param base where the slice starts
     * @param n the batch size
     * @param first the first row
     * @param rows how many rows
     */
    public void takeInputGradient(FloatBuffer a, int base, int n, int first, int rows) {
        requests.takeInput(a, base, n, first, rows, inputShape);
    }

    /**
     * Holds the model for a sequence of passes (what {@link Model#predict} does), waiting for another thread's
     * pass or sequence to end; {@link #unlock} releases it.
     */
    public void lock() {
        passes.lock();
    }

    /** Releases the hold {@link #lock} took. */
    public void unlock() {
        passes.unlock();
    }

    /**
     * Records {@code worker}'s share of the summed loss of a batch (from a generated loss pass).
     *
     * @param worker the worker
     * @param sum its rows' summed loss
     */
    public void partialLoss(Worker worker, double sum) {
        partialLosses[worker.index()] = sum;
    }

    /** {@return the sum of the workers' shares, in worker order} */
    public double summedLoss() {
        double total = 0;
        for (double part : partialLosses) {
            total += part;
        }
        return total;
    }

    /**
     * {@return the zeroed gradient block {@code worker} accumulates its rows' weight gradients into during a backward
     * pass: the model's own for worker 0, a private one for the others} {@link #sumGradients} adds them up.
     *
     * @param worker the worker
     */
    public Memory clearGradients(Worker worker) {
        Memory block = worker.index() == 0 ? gradients : workerGradients[worker.index() - 1];
        FloatBuffer g = block.floats();
        float[] zeros = BLOCKS.get()[2];
        for (int at = 0, size = block.size(); at < size; at += BLOCK) {
            g.put(at, zeros, 0, Math.min(BLOCK, size - at));
        }
        return block;
    }

    /**
     * Ends a backward pass: once every worker is here, each adds the others' blocks into the model's gradients
     * over its own share of the parameters, in worker order.
     *
     * @param worker the worker
     */
    public void sumGradients(Worker worker) {
        if (worker.count() == 1) {
            return;
        }
        worker.barrier();
        int size = parameters.size();
        int first = (int) ((long) size * worker.index() / worker.count());
        int last = (int) ((long) size * (worker.index() + 1) / worker.count());
        FloatBuffer total = gradients.floats();
        float[][] blocks = BLOCKS.get();
        float[] sum = blocks[0];
        float[] part = blocks[1];
        for (int at = first; at < last; at += BLOCK) {
            int count = Math.min(BLOCK, last - at);
            total.get(at, sum, 0, count);
            for (Memory block : workerGradients) {
                block.floats().get(at, part, 0, count);
                for (int i = 0; i < count; i++) {
                    sum[i] += part[i];
                }
            }
            total.put(at, sum, 0, count);
        }
    }

    /**
     * {@return the arena, grown (never shrunk) to hold {@code batch} samples}
     *
     * @param batch the batch size
     */
    public Memory arena(int batch) {
        ensureCapacity(batch);
        return arena;
    }

    /**
     * {@return the max-pool winners' index arena, grown (never shrunk) to hold {@code batch} samples}
     *
     * @param batch the batch size
     */
    public int[] indices(int batch) {
        ensureCapacity(batch);
        return indices;
    }

    /**
     * {@return the target rows, grown (never shrunk) to hold {@code batch} samples: row {@code r} at {@code r *
     * outputSize()}}
     *
     * @param batch the batch size
     */
    public float[] targets(int batch) {
        ensureCapacity(batch);
        return targets;
    }

    private void ensureCapacity(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batch);
        }
        if (batch > capacity) {
            arena = Memory.allocate(Math.multiplyExact(arenaPerSample, batch));
            indices = new int[Math.multiplyExact(indicesPerSample, batch)];
            targets = new float[Math.multiplyExact(outputSize, batch)];
            capacity = batch;
            passes.forgetForward();
        }
    }

    /**
     * Writes one sample, given as {@code inputShape} in row-major order (channels first, like PyTorch), into row
     * {@code row} of the input region. Activations are stored channels last, so multi-channel images are
     * transposed here.
     *
     * @param row the batch row
     * @param source the array holding the sample
     * @param offset where the sample starts in {@code source}
     */
    public void setInput(int row, float[] source, int offset) {
        checkRow(row);
        checkSource("an input", source, offset, inputSize);
        FloatBuffer a = arena.floats();
        int base = row * inputSize;
        if (inputShape.length == 3 && inputShape[0] > 1) {
            int c = inputShape[0];
            int hw = inputShape[1] * inputShape[2];
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < hw; i++) {
                    a.put(base + i * c + ch, source[offset + ch * hw + i]);
                }
            }
        } else {
            a.put(base, source, offset, inputSize);
        }
    }

    /**
     * Copies {@code outputSize()} floats from {@code source[offset]} into target row {@code row}; throws {@link
     * IndexOutOfBoundsException} for a row or source outside the reserved batch or array.
     *
     * @param row the batch row
     * @param source the array holding the target
     * @param offset where the target starts in {@code source}
     */
    public void setTarget(int row, float[] source, int offset) {
        checkRow(row);
        checkSource("a target", source, offset, outputSize);
        System.arraycopy(source, offset, targets, row * outputSize, outputSize);
    }

    /** Refuses a sample array that does not hold {@code size} values from {@code offset}. */
    private void checkSource(String what, float[] source, int offset, int size) {
        if (offset < 0 || offset > source.length - size) {
            throw new IllegalArgumentException(name + ": " + what + " row is " + size + " floats, read from offset "
                    + offset + " of an array of " + source.length + " (needs offset >= 0 and offset + " + size
                    + " <= " + source.length + ")");
        }
    }

    private void checkRow(int row) {
        if (row < 0 || row >= capacity) {
            throw new IndexOutOfBoundsException("row " + row + " outside the batch [0, " + capacity
                    + "); call forward's batch size through Model.reserve(batch) first");
        }
    }

    /**
     * Grows the arenas and target rows to hold {@code batch} samples ({@link Model#reserve}); a size seen before
     * allocates nothing.
     *
     * @param batch the largest batch size; at least 1
     */
    public void reserve(int batch) {
        ensureCapacity(batch);
    }

    /**
     * Restarts the dropout masks: the next forward passes draw the same masks as after the last reseed.
     *
     * @param seed the masks' seed
     */
    public void reseedDropout(long seed) {
        dropoutSeed = seed;
        dropoutPass = 0;
    }

    /**
     * {@return the dropout masks' position: the seed and the training forward passes drawn since it was set; a
     * training checkpoint keeps it, and {@link #restoreDropout} puts it back, so that a resumed run draws the masks
     * an uninterrupted one would}
     */
    public long[] dropoutState() {
        return new long[] {dropoutSeed, dropoutPass};
    }

    /**
     * Puts back the position {@link #dropoutState} gave: the next training forward pass draws the masks that would
     * have followed it.
     *
     * @param seed the masks' seed
     * @param passes the training forward passes already drawn from it
     */
    public void restoreDropout(long seed, long passes) {
        dropoutSeed = seed;
        dropoutPass = passes;
    }

    /** Moves to the next forward pass's dropout masks (called once per training forward pass). */
    public void advanceDropout() {
        dropoutKey = Rng.mix(dropoutSeed + 0x9E3779B97F4A7C15L * ++dropoutPass);
    }

    /**
     * {@return the key of this forward pass's dropout masks: element {@code i} of a dropout layer is kept by
     * {@link Rng#uniform(long, long)} of the key (plus the layer's own salt) and {@code i}, so the masks do not
     * depend on how the batch is split over workers}
     */
    public long dropoutKey() {
        return dropoutKey;
    }

    /**
     * {@return the rows of the last completed forward pass, which a loss, backward or Hessian-vector product must
     * follow; 0 when none (or when the batch room changed since)} A second-order optimizer reads it to work on the
     * batch the trainer ran.
     */
    public int forwardRows() {
        return passes.forwardRows();
    }

    /** {@return whether the passes run in training mode ({@link Model#isTraining})} */
    public boolean isTraining() {
        return training;
    }

    /**
     * Registers a layer whose batch statistics take one value per channel from each row (a batch norm on
     * vectors): a training pass over a single row would normalise by a variance of 0, so it is refused.
     *
     * @param layer the layer's field name
     */
    public void batchStatisticsNeedTwoRows(String layer) {
        onePerRowStatistics = layer;
    }

    /**
     * Sets training or inference mode ({@link Model#setTraining}).
     *
     * @param training true for training mode, false for inference
     */
    public void setTraining(boolean training) {
        this.training = training;
    }

    /** {@return the network's name ({@link Model#name})} */
    public String name() {
        return name;
    }

    /** {@return the network's declared loss ({@link Model#lossKind})} */
    public Loss loss() {
        return loss;
    }

    /** {@return one input sample's shape, channels first; a copy} */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** {@return floats per input sample} */
    public int inputSize() {
        return inputSize;
    }

    /**
     * Tells the state one row's output shape ({@code {features}}, {@code {c, h, w}} or {@code {steps, features}}).
     * Called by the generated constructor.
     *
     * @param shape one row's output shape
     */
    public void outputShape(int[] shape) {
        if (Arrays.stream(shape).reduce(1, Math::multiplyExact) != outputSize) {
            throw new IllegalArgumentException(name + ": an output shape " + Arrays.toString(shape) + " of "
                    + Arrays.stream(shape).reduce(1, Math::multiplyExact) + " values for " + outputSize + " outputs");
        }
        this.outputShape = shape.clone();
    }

    /** {@return one row's output shape, as the layers give shapes (channels first)} */
    public int[] outputShape() {
        return outputShape.clone();
    }

    /** {@return floats per output row} */
    public int outputSize() {
        return outputSize;
    }

    /**
     * Makes room for the state stateful recurrent layer {@code layer} carries between batches: {@code perSample}
     * floats for each of {@code batch} rows, zeros when new or when the batch size changed. Called by the pass's
     * thread before the workers run.
     *
     * @param layer the recurrent layer's number
     * @param batch the batch size
     * @param perSample floats of state per row
     */
    public void prepareCarried(int layer, int batch, int perSample) {
        Memory m = carried.get(layer);
        if (m == null || m.size() != batch * perSample) {
            carried.put(layer, Memory.allocate(batch * perSample));
        }
    }

    /**
     * {@return the state layer {@code layer} carries (see {@link #prepareCarried})}
     *
     * @param layer the recurrent layer's number
     */
    public Memory carried(int layer) {
        Memory m = carried.get(layer);
        if (m == null) {
            throw new IllegalStateException("no carried state for layer " + layer + ": prepareCarried first");
        }
        return m;
    }

    /** Forgets every carried state: the next training batch starts stateful layers from zeros. */
    public void resetStates() {
        carried.clear();
    }

    /**
     * Whether training passes keep the carried states as they are instead of saving the new ones (a gradient
     * check of a stateful layer evaluates one batch many times).
     *
     * @param hold true to keep the carried states
     */
    public void holdStates(boolean hold) {
        this.holdStates = hold;
    }

    /** {@return whether {@link #holdStates} is on} */
    public boolean holdsStates() {
        return holdStates;
    }

    /** {@return steps of a sequence output whose loss is taken at every step (1 otherwise)} */
    public int outputSteps() {
        return outputSteps;
    }

    /**
     * Declares the output a sequence of {@code steps} steps, each scored on its own (generated code calls it).
     *
     * @param steps the output's steps; at least 1, dividing the output size
     */
    public void stepwiseOutput(int steps) {
        if (steps < 1 || outputSize % steps != 0) {
            throw new IllegalArgumentException("an output of " + outputSize + " floats cannot have " + steps + " steps");
        }
        this.outputSteps = steps;
    }

    /** {@return the flat parameter array ({@link Model#parameters})} */
    public Memory parameters() {
        return parameters;
    }

    /** {@return the flat gradient array ({@link Model#gradients})} */
    public Memory gradients() {
        return gradients;
    }

    /** {@return the flat running-statistics array ({@link Model#buffers})} */
    public Memory buffers() {
        return buffers;
    }

    /**
     * Named views of the parameters, in registration order; a copy of the list.
     *
     * @return the parameters' views
     */
    public List<Tensor> parameterTensors() {
        return List.copyOf(parameterTensors);
    }

    /**
     * Named views of the buffers, in registration order; a copy of the list.
     *
     * @return the buffers' views
     */
    public List<Tensor> bufferTensors() {
        return List.copyOf(bufferTensors);
    }

    /** {@return the layers in declaration order; a copy of the list} */
    public List<Layer> layers() {
        return List.copyOf(layers);
    }

    // ------------------------------------------------------------ layer outputs (Layer.output)

    /**
     * Tells {@code layer} where its output lives: {@code region} floats per sample into the arena (the region of
     * the node that computes it, looking through views), {@code size} floats per sample. With
     * {@code droppedInTraining} the region holds the values after a dropout fused into the layer's epilogue, so
     * the layer's own output is refused after a training-mode pass. Called by the generated constructor.
     *
     * @param layer the layer
     * @param region where its output starts in a sample's arena
     * @param size its output's floats per sample
     * @param droppedInTraining whether a training pass leaves dropout's values there
     */
    public void layerOutput(Layer layer, int region, int size, boolean droppedInTraining) {
        layer.bindOutput(this, region, size, droppedInTraining ? "" : null, null);
    }

    /**
     * Tells {@code layer} that no output of its own is kept ({@code why}: what fusion did, and what to do).
     *
     * @param layer the layer
     * @param why what fusion did, and what to do
     */
    public void layerOutputFused(Layer layer, String why) {
        layer.bindOutput(this, -1, 0, null, why);
    }

    /** A view of {@code layer}'s output over the last forward pass's rows (see {@link Layer#output}). */
    LayerOutput output(Layer layer, int region, int size, boolean droppedInTraining) {
        int rows = passes.forwardRows();
        if (rows == 0) {
            throw new IllegalStateException(name + ": cannot read layer '" + layer.name() + "''s output: no forward "
                    + "pass has completed since the arena was last laid out (run forward or predict first)");
        }
        if (hostForward != forwardChecks) {
            throw new IllegalStateException(name + ": cannot read layer '" + layer.name() + "''s output: the last "
                    + "forward pass ran on a device, whose arena is not copied back (reading it is not built yet); "
                    + "run the pass on the host model to read its layers");
        }
        if (droppedInTraining && forwardTraining) {
            throw new IllegalStateException(name + ": cannot read layer '" + layer.name() + "''s output after a "
                    + "training-mode pass: a dropout fused into its epilogue overwrote it with the dropped values "
                    + "(read the dropout's field for those); run the pass in inference mode (where dropout is the "
                    + "identity), or declare the network @Network(fuse = false)");
        }
        return new LayerOutput(this, layer, arena, region, size, rows, forwardChecks);
    }

    /** Refuses to read a view whose forward pass is no longer the arena's last. */
    void checkOutput(Layer layer, long forward) {
        if (forwardChecks != forward || passes.forwardRows() == 0) {
            throw new IllegalStateException(name + ": layer '" + layer.name() + "''s output view is stale: another "
                    + "forward pass ran since it was taken (or the arena was laid out for another batch size); "
                    + "call output() again after the pass you want to read, or copy() the view before the next "
                    + "pass");
        }
    }
}
