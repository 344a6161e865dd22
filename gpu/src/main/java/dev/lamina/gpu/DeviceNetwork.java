package dev.lamina.gpu;

import dev.lamina.runtime.Memory;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.NetworkState;
import dev.lamina.runtime.Tensor;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.train.DatasetResident;
import dev.lamina.runtime.train.Optimizer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jcuda.CudaException;
import jcuda.driver.CUdeviceptr;

/**
 * A generated network trained on a CUDA device: the same {@link Model} as the CPU's, its passes replayed from the
 * network's {@link DeviceProgram} through JCuda, its optimizer step run by a kernel over the flat parameter
 * array. The host network stays the reference for everything else: shapes, names, the layout of inputs and
 * targets (its {@code setInput} still turns channels-first samples into channels-last rows, which a forward pass
 * then uploads), and the tensors a checkpoint writes, which are brought back from the device first; a checkpoint
 * loaded into the host copy goes back up through {@link #parametersChanged()}. So a checkpoint written on one
 * device loads on the other: the file is the same.
 *
 * <p>Each pass is captured as a CUDA graph the first time it runs for a batch size and mode, then replayed with one
 * driver call ({@code -Dlamina.cuda.noGraphs=true} launches kernel by kernel instead).
 *
 * <p>Device memory is one allocation: first what does not depend on the batch (parameters, gradients, two
 * optimizer-state arrays, running statistics, the per-channel work area), then what grows with it (activation
 * arena, max-pool winners, targets, per-row losses). A larger batch takes a new allocation, and the first part
 * moves over on the device. On the CUDA emulation each region is followed by a guard of {@value #GAP} floats
 * that no kernel may write, so that one running past its region fails there instead of changing the next one; on
 * a device there are no gaps. Inputs and targets go up from page-locked buffers, asynchronously: the host lays out
 * the next batch while the device is still busy with this one's backward pass and update. A training set the
 * {@code Trainer} hands over ({@link #hold}) stays on the device in an allocation of its own, and each batch is
 * gathered there from its row indices.
 */
public final class DeviceNetwork implements Model, Optimizer.DeviceResident, DatasetResident, AutoCloseable {
    /** The null device pointer: a kernel's optional argument left out (no initial state, no peepholes). */
    private static final CUdeviceptr NULL = new CUdeviceptr();
    /** Floats of the guard after each region on the emulation: 256 bytes, which keeps every region's alignment. */
    private static final long GAP = 64;

    private final Model host;
    private final CudaDevice device;
    private final DeviceProgram program;
    private final Map<String, Kernel> kernels = new HashMap<>();
    /** The program's steps by pass, split once. */
    private final Map<String, List<DeviceProgram.Step>> passes = new HashMap<>();
    private final Map<String, Boolean> capturable = new HashMap<>();
    private final int targetSize;

    /** Floats of the part of the allocation that does not depend on the batch. */
    private final long fixedSize;
    /** The guard after each region: {@link #GAP} floats on the emulation, none on a device. */
    private final long gap;
    private final Regions fixed;
    private DeviceMemory memory;
    private final long parametersAt;
    private final long gradientsAt;
    private final long firstStateAt;
    private final long secondStateAt;
    private final long buffersAt;
    private final long workAt;
    private final long doublesAt;
    private final long normAt;

    private int capacity;
    private long arenaAt;
    /** Captured passes by pass, batch size and mode: they hold addresses, so they go when the allocation grows. */
    private final Map<String, CudaGraph> graphs = new HashMap<>();
    private boolean graphsWork = !Boolean.getBoolean("lamina.cuda.noGraphs");
    private long indicesAt;
    private long targetsAt;
    private long lossesAt;

    private PinnedBuffer inputStaging;
    private PinnedBuffer targetStaging;
    private PinnedBuffer rowStaging;
    /** Where the batch's row indices go on the device, after the losses. */
    private long rowsAt;
    /** The training set held on the device, its features then its targets; null when none is. */
    private DeviceMemory data;
    private Dataset held;
    /** Whether the next pass's inputs (targets) were gathered on the device already. */
    private boolean inputsGathered;
    private boolean targetsGathered;
    /** Whether an asynchronous upload may still read the page-locked buffers. */
    private boolean uploading;

    private int lastBatch;
    /** The batch size the carried states were laid out for; -1 when they start from zeros. */
    private int carriedRows = -1;
    private float[] outputs = new float[0];
    private boolean outputsCurrent;
    private boolean hostCurrent = true;
    private float[] staging = new float[0];

    /**
     * Puts {@code host}'s parameters and running statistics on {@code device}.
     *
     * @param host the generated network, which stays the reference for shapes, names and checkpoints
     * @param device the device to train on
     * @throws GpuUnavailableException when the network was built without kernels, or has layers the device
     *                                 program does not cover yet (named)
     */
    public DeviceNetwork(Model host, CudaDevice device) {
        this(host, device, Boolean.getBoolean("lamina.cuda.tf32"));
    }

    /**
     * Puts {@code host}'s parameters and running statistics on {@code device}; with {@code tensorCores} its GEMMs
     * run on tensor cores in TF32 (sm_80 and newer: faster, products to about three decimal digits, as
     * PyTorch's {@code allow_tf32}); without, in FP32, which is what agrees with the CPU to float rounding.
     *
     * @param host the generated network, which stays the reference for shapes, names and checkpoints
     * @param device the device to train on
     * @param tensorCores whether the GEMMs may run on tensor cores in TF32
     */
    public DeviceNetwork(Model host, CudaDevice device, boolean tensorCores) {
        this.host = host;
        this.device = device;
        this.program = DeviceProgram.of(host.getClass());
        if (!program.unsupported().isEmpty()) {
            throw new GpuUnavailableException(host.name() + " has layers without a GPU path yet: "
                    + String.join(", ", program.unsupported()) + ". Train it on the CPU.");
        }
        for (String pass : List.of("forward", "loss", "backward")) {
            passes.put(pass, program.pass(pass));
        }
        NetworkKernels modules = NetworkKernels.load(host.getClass(), device);
        for (DeviceProgram.Step step : program.steps()) {
            if (step.isLaunch()) {
                // the tensor-core GEMMs take the same arguments and grid as the FP32 ones
                String gemm = tensorCores && step.action().startsWith("lamina_gemm_")
                        ? "lamina_gemm_tf32_" + step.action().substring("lamina_gemm_".length()) : step.action();
                kernels.computeIfAbsent(step.action(), name -> modules.kernel(gemm));
            }
        }
        for (String name : List.of("lamina_sgd_momentum", "lamina_nesterov", "lamina_adagrad", "lamina_rmsprop",
                "lamina_adam", "lamina_regularize", "lamina_sum_squares", "lamina_scale", "lamina_gather_rows")) {
            kernels.put(name, modules.kernel(name));
        }
        this.targetSize = host.outputSize();
        long p = program.parameters();
        gap = Cuda.emulated() ? GAP : 0;
        fixed = new Regions(0, gap);
        parametersAt = fixed.place(p, 1);
        gradientsAt = fixed.place(p, 1);
        firstStateAt = fixed.place(p, 1);
        secondStateAt = fixed.place(p, 1);
        buffersAt = fixed.place(program.buffers(), 1);
        workAt = fixed.place(program.work(), 1);
        // doubles take two floats each, at an even float offset (8-byte aligned)
        doublesAt = fixed.place(2L * program.doubles(), 2);
        // one more double: the gradient's squared norm, for clipping
        normAt = fixed.place(2, 2);
        // the batch part starts on a 256-byte boundary
        fixedSize = fixed.end(64);
        memory = device.allocate(Math.max(1, fixedSize));
        fixed.guard(memory);
        memory.clear(0, memory.floats());
        parametersChanged();
    }

    /** {@return the device this network trains on} */
    public CudaDevice device() {
        return device;
    }

    @Override
    public NetworkState state() {
        return host.state();
    }

    @Override
    public void reserve(int rows) {
        host.reserve(rows);
        if (rows <= capacity) {
            return;
        }
        closeGraphs();
        Regions batch = new Regions(fixedSize, gap);
        arenaAt = batch.place((long) program.arena() * rows, 1);
        indicesAt = batch.place((long) program.indices() * rows, 1);
        targetsAt = batch.place((long) targetSize * rows, 1);
        lossesAt = batch.place(program.lossRows().at(rows), 1);
        rowsAt = batch.place(rows, 1);
        DeviceMemory grown = device.allocate(batch.end(1));
        fixed.guard(grown);
        batch.guard(grown);
        grown.clear(0, grown.floats());
        memory.copyTo(0, grown, 0, fixedSize);
        device.synchronize();
        memory.close();
        memory = grown;
        if (inputStaging != null) {
            inputStaging.close();
            targetStaging.close();
        }
        inputStaging = device.pinned(Math.max(1, rows * program.inputSize()));
        targetStaging = device.pinned(Math.max(1, rows * targetSize));
        if (rowStaging != null) {
            rowStaging.close();
        }
        rowStaging = device.pinned(rows);
        capacity = rows;
    }

    @Override
    public void forward(int rows) {
        // as on the CPU: a batch over the reserved room would run on rows nobody set
        host.state().checkForward(rows, capacity);
        if (inputsGathered) {
            inputsGathered = false;
        } else {
            FloatBuffer arena = host.state().arena(rows).floats();
            int count = rows * program.inputSize();
            awaitUploads();
            inputStaging.floats().put(0, arena, program.inputRegion() * rows, count);
            memory.uploadAsync(inputStaging, 0, arenaAt + (long) program.inputRegion() * rows, count);
            uploading = true;
        }
        if (program.dropout() && host.isTraining()) {
            // the next masks, as the CPU's forward draws them
            host.state().advanceDropout();
        }
        if (host.isTraining() && rows != carriedRows) {
            // a new batch size lays the regions out anew: the stateful layers start from zeros, as on the CPU
            clearCarried(rows);
            carriedRows = rows;
        }
        run("forward", rows);
        lastBatch = rows;
        outputsCurrent = false;
        hostCurrent = false;
    }

    @Override
    public double loss(int rows) {
        if (targetsGathered) {
            targetsGathered = false;
        } else {
            float[] targets = host.state().targets(rows);
            awaitUploads();
            targetStaging.floats().put(0, targets, 0, rows * targetSize);
            memory.uploadAsync(targetStaging, 0, targetsAt, rows * targetSize);
            uploading = true;
        }
        run("loss", rows);
        int count = (int) program.lossRows().at(rows);
        float[] losses = staging(count);
        download(lossesAt, losses, count);
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += losses[i];
        }
        return sum / count;
    }

    @Override
    public void backward(int rows) {
        if (host.state().givesGradients()) {
            throw notBuilt("a gradient added at a layer's output (Layer.addGradient)");
        }
        run("backward", rows);
    }

    @Override
    public void backward(int rows, float[] outputGradient) {
        throw notBuilt("a backward pass from a caller's output gradient");
    }

    @Override
    public void computeInputGradient(boolean on) {
        if (on) {
            throw notBuilt("the gradient with respect to the input");
        }
    }

    @Override
    public float[] inputGradient() {
        throw notBuilt("the gradient with respect to the input");
    }

    @Override
    public void hessianVectorProduct(int n, double[] v, double[] out) {
        throw notBuilt("the Hessian-vector product (the R-passes)");
    }

    /** What the device programs do not have yet: the host model computes it (the same methods on the CPU). */
    private UnsupportedOperationException notBuilt(String what) {
        return new UnsupportedOperationException(host.name() + " on " + device + ": " + what + " is not built on "
                + "the GPU path yet; run it on the host model (" + host.getClass().getSimpleName() + "), which has "
                + "the same parameters after parametersChanged()");
    }

    @Override
    public float output(int row, int k) {
        if (!outputsCurrent) {
            int count = lastBatch * program.outputSize();
            if (outputs.length < count) {
                outputs = new float[count];
            }
            download(arenaAt + (long) program.outputRegion() * lastBatch, outputs, count);
            outputsCurrent = true;
        }
        return outputs[row * program.outputSize() + k];
    }

    /** One optimizer step on the device, each rule in the CPU's form (AdamW decays weights only, as there). */
    @Override
    public void update(Optimizer.Rule rule, double learningRate, int step) {
        long count = program.parameters();
        if (step == 1) {
            // both state arrays (and the guard between them on the emulation)
            memory.clear(firstStateAt, secondStateAt + count - firstStateAt);
        }
        float lr = (float) learningRate;
        switch (rule.name()) {
            case "sgd" -> launch("lamina_sgd_momentum", count, memory.at(parametersAt), memory.at(gradientsAt),
                    memory.at(firstStateAt), count, lr, (float) rule.momentum());
            case "nesterov" -> launch("lamina_nesterov", count, memory.at(parametersAt), memory.at(gradientsAt),
                    memory.at(firstStateAt), count, lr, (float) rule.momentum());
            case "adagrad" -> launch("lamina_adagrad", count, memory.at(parametersAt), memory.at(gradientsAt),
                    memory.at(firstStateAt), count, lr, (float) rule.delta());
            case "rmsprop" -> launch("lamina_rmsprop", count, memory.at(parametersAt), memory.at(gradientsAt),
                    memory.at(firstStateAt), count, lr, (float) rule.rho1(), (float) rule.delta());
            case "adam" -> {
                float correct1 = (float) (1 / (1 - Math.pow(rule.rho1(), step)));
                float correct2 = (float) (1 / (1 - Math.pow(rule.rho2(), step)));
                // tensor by tensor: the decoupled weight decay applies to weights only
                for (Tensor t : host.parameterTensors()) {
                    float decay = t.kind() == Tensor.Kind.WEIGHT ? 1f - lr * (float) rule.weightDecay() : 1f;
                    long at = t.offset();
                    launch("lamina_adam", t.length(), memory.at(parametersAt + at), memory.at(gradientsAt + at),
                            memory.at(firstStateAt + at), memory.at(secondStateAt + at), (long) t.length(), lr,
                            (float) rule.rho1(), (float) rule.rho2(), (float) rule.delta(), correct1, correct2,
                            decay);
                }
            }
            default -> throw new UnsupportedOperationException("no GPU kernel for the " + rule.name() + " update");
        }
        hostCurrent = false;
    }

    @Override
    public void regularize(double l1, double l2) {
        for (Tensor t : host.parameterTensors()) {
            if (t.kind() == Tensor.Kind.WEIGHT) {
                launch("lamina_regularize", t.length(), memory.at(parametersAt + t.offset()),
                        memory.at(gradientsAt + t.offset()), (long) t.length(), (float) l1, (float) l2);
            }
        }
    }

    @Override
    public double clipByGlobalNorm(double maxNorm) {
        long count = program.parameters();
        memory.clear(normAt, 2);
        // a few blocks, each adding its part to one double
        kernels.get("lamina_sum_squares").launch(Math.min(blocks(count), 1024), DeviceProgram.THREADS,
                memory.at(gradientsAt), count, memory.at(normAt));
        float[] bits = new float[2];
        download(normAt, bits, 2);
        long raw = (Float.floatToRawIntBits(bits[0]) & 0xFFFFFFFFL) | ((long) Float.floatToRawIntBits(bits[1]) << 32);
        double norm = Math.sqrt(Double.longBitsToDouble(raw));
        if (norm > maxNorm) {
            launch("lamina_scale", count, memory.at(gradientsAt), count, (float) (maxNorm / norm));
        }
        return norm;
    }

    /** One launch of a generic kernel over {@code count} values, one thread each. */
    private void launch(String kernel, long count, Object... args) {
        kernels.get(kernel).launch(blocks(count), DeviceProgram.THREADS, args);
    }

    /**
     * Keeps {@code train}'s features and targets on the device (as the PyTorch peer keeps its data set), so that
     * a training step moves only its row indices; false, and rows are fed as usual, when the set would take more
     * than {@code lamina.cuda.datasetMiB} (default 4096) MiB.
     */
    @Override
    public boolean hold(Dataset train) {
        if (train == held) {
            return true;
        }
        long floats = (long) train.size() * (train.featureSize() + train.targetSize());
        if (floats * Float.BYTES > Long.getLong("lamina.cuda.datasetMiB", 4096) << 20
                || train.featureSize() != program.inputSize() || train.targetSize() != targetSize) {
            return false;
        }
        if (data != null) {
            data.close();
        }
        data = device.allocate(Math.max(1, floats));
        data.upload(train.features(), 0, 0, train.size() * train.featureSize());
        data.upload(train.targets(), 0, (long) train.size() * train.featureSize(), train.size() * train.targetSize());
        held = train;
        return true;
    }

    /** Gathers the batch's inputs and targets from the held set on the device, in the layout the CPU lays out. */
    @Override
    public void selectRows(Dataset train, int[] order, int from, int rows) {
        if (train != held) {
            throw new IllegalStateException("rows selected from a data set this network does not hold: hold it first");
        }
        reserve(rows);
        awaitUploads();
        FloatBuffer indices = rowStaging.floats();
        for (int r = 0; r < rows; r++) {
            // the kernel reads ints: their bits travel in the float buffer
            indices.put(r, Float.intBitsToFloat(order[from + r]));
        }
        memory.uploadAsync(rowStaging, 0, rowsAt, rows);
        uploading = true;
        int[] shape = host.inputShape();
        int channels = shape.length == 3 && shape[0] > 1 ? shape[0] : 1;
        launch("lamina_gather_rows", (long) rows * train.featureSize(), data.at(0), memory.at(rowsAt), (long) rows,
                train.featureSize(), channels, memory.at(arenaAt + (long) program.inputRegion() * rows));
        launch("lamina_gather_rows", (long) rows * targetSize, data.at((long) train.size() * train.featureSize()),
                memory.at(rowsAt), (long) rows, targetSize, 1, memory.at(targetsAt));
        inputsGathered = true;
        targetsGathered = true;
    }

    /** Forgets the states stateful layers carry: the next training batch starts them from zeros. */
    @Override
    public void resetStates() {
        host.resetStates();
        carriedRows = -1;
    }

    private void clearCarried(int rows) {
        for (DeviceProgram.Carried c : program.carried()) {
            memory.clear(address(c.region(), rows), (long) c.perRow() * rows);
        }
    }

    // ---------------------------------------------------------------- the host copy

    @Override
    public Memory parameters() {
        pull();
        return host.parameters();
    }

    @Override
    public Memory gradients() {
        Memory gradients = host.gradients();
        copyDown(gradientsAt, gradients, program.parameters());
        return gradients;
    }

    @Override
    public Memory buffers() {
        pull();
        return host.buffers();
    }

    @Override
    public List<Tensor> parameterTensors() {
        pull();
        return host.parameterTensors();
    }

    @Override
    public List<Tensor> bufferTensors() {
        pull();
        return host.bufferTensors();
    }

    @Override
    public float[] parameterArray() {
        return parameters().toArray();
    }

    @Override
    public void initialize(long seed) {
        host.initialize(seed);
        parametersChanged();
    }

    /** Uploads the host copy's parameters and running statistics. */
    @Override
    public void parametersChanged() {
        copyUp(host.state().parameters(), parametersAt, program.parameters());
        copyUp(host.state().buffers(), buffersAt, program.buffers());
        hostCurrent = true;
    }

    /** Brings the device's parameters and running statistics into the host copy, when they moved. */
    private void pull() {
        if (!hostCurrent) {
            copyDown(parametersAt, host.state().parameters(), program.parameters());
            copyDown(buffersAt, host.state().buffers(), program.buffers());
            hostCurrent = true;
        }
    }

    // Each copies the region's floats, not the host block's size: an empty host block still holds one float
    // (Memory's least), which has no place here; copying it went one float past the region.
    private void copyUp(Memory from, long to, int count) {
        if (count > 0) {
            float[] values = from.toArray();
            awaitUploads();
            memory.upload(values, 0, to, count);
        }
    }

    private void copyDown(long from, Memory to, int count) {
        if (count > 0) {
            float[] values = staging(count);
            download(from, values, count);
            to.floats().put(0, values, 0, count);
        }
    }

    // ---------------------------------------------------------------- replaying the program

    /**
     * Replays a pass: captured once per batch size and mode as a CUDA graph and launched with one call, unless
     * a step's arguments change from one batch to the next (a dropout key) or it reads a flag back (a token
     * check); those passes, and every pass once a capture has failed, run launch by launch.
     */
    private void run(String pass, int rows) {
        boolean training = host.isTraining();
        boolean carrying = !host.state().holdsStates();
        if (!graphsWork || !capturable(pass, training, carrying)) {
            launchAll(pass, rows, training, carrying);
            return;
        }
        String key = pass + " " + rows + " " + training + " " + carrying;
        CudaGraph graph = graphs.get(key);
        if (graph == null) {
            try {
                graph = device.capture(() -> launchAll(pass, rows, training, carrying));
            } catch (CudaException e) {
                graphsWork = false;
                System.getLogger(DeviceNetwork.class.getName()).log(System.Logger.Level.WARNING,
                        "CUDA graph capture failed ({0}); launching kernels one by one from now on", e.getMessage());
                launchAll(pass, rows, training, carrying);
                return;
            }
            graphs.put(key, graph);
        }
        graph.launch();
    }

    /** Whether a pass in this mode may be captured; worked out once per pass and mode, not every step. */
    private boolean capturable(String pass, boolean training, boolean carrying) {
        return capturable.computeIfAbsent(pass + " " + training + " " + carrying, key -> {
            for (DeviceProgram.Step step : passes.get(pass)) {
                if (step.runsWhen(training, carrying) && (step.action().equals("check")
                        || step.args().stream().anyMatch(a -> a.startsWith("K:")))) {
                    return false;
                }
            }
            return true;
        });
    }

    private void launchAll(String pass, int rows, boolean training, boolean carrying) {
        for (DeviceProgram.Step step : passes.get(pass)) {
            if (!step.runsWhen(training, carrying)) {
                continue;
            }
            List<String> args = step.args();
            switch (step.action()) {
                case "zero" -> memory.clear(address(args.get(0), rows), Linear.parse(value(args.get(1))).at(rows));
                case "copy" -> memory.copy(address(args.get(1), rows), address(args.get(0), rows),
                        Linear.parse(value(args.get(2))).at(rows));
                case "check" -> checkTokens(args.get(0), value(args.get(1)), rows);
                default -> {
                    Object[] values = new Object[args.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = argument(args.get(i), rows);
                    }
                    long[] blocks = step.blocks(rows);
                    kernels.get(step.action()).launch(Math.toIntExact(blocks[0]), Math.toIntExact(blocks[1]),
                            DeviceProgram.THREADS, 1, 0, values);
                }
            }
        }
    }

    private Object argument(String arg, int rows) {
        String kind = arg.substring(0, arg.indexOf(':'));
        String text = value(arg);
        return switch (kind) {
            case "i" -> Math.toIntExact(Linear.parse(text).at(rows));
            case "l" -> Linear.parse(text).at(rows);
            case "f" -> Float.parseFloat(text);
            case "N" -> NULL;
            case "K" -> host.state().dropoutKey() + Long.parseLong(text);
            case "R" -> host.isTraining() ? 1 : 0;
            default -> memory.at(address(arg, rows));
        };
    }

    /** Where an area argument ({@code A:784n}, {@code P:150}, ...) points: a float offset in the allocation. */
    private long address(String arg, int rows) {
        long at = Linear.parse(value(arg)).at(rows);
        return switch (arg.charAt(0)) {
            case 'A' -> arenaAt + at;
            case 'I' -> indicesAt + at;
            case 'T' -> targetsAt + at;
            case 'L' -> lossesAt + at;
            case 'P' -> parametersAt + at;
            case 'G' -> gradientsAt + at;
            case 'B' -> buffersAt + at;
            case 'W' -> workAt + at;
            case 'D' -> doublesAt + 2 * at;
            default -> throw new IllegalStateException("unknown area in device program argument '" + arg + "'");
        };
    }

    /** Raises what the CPU's lookup raises when the embedding's flag holds a token id outside the vocabulary. */
    private void checkTokens(String flag, String vocabulary, int rows) {
        float[] value = new float[1];
        download(address(flag, rows), value, 1);
        if (value[0] != 0f) {
            throw new IllegalArgumentException("token id " + value[0] + " in the batch is outside the vocabulary [0, "
                    + vocabulary + ")");
        }
    }

    /** Copies device floats to the host once everything queued before has run (which includes every upload). */
    private void download(long from, float[] to, int count) {
        memory.download(from, to, 0, count);
        uploading = false;
    }

    /** Waits for the queued uploads before their page-locked buffers are written again. */
    private void awaitUploads() {
        if (uploading) {
            device.synchronize();
            uploading = false;
        }
    }

    private static String value(String arg) {
        return arg.substring(arg.indexOf(':') + 1);
    }

    private static int blocks(long count) {
        return Math.toIntExact(Math.max(1, (count + DeviceProgram.THREADS - 1) / DeviceProgram.THREADS));
    }

    private float[] staging(int count) {
        if (staging.length < count) {
            staging = new float[count];
        }
        return staging;
    }

    private void closeGraphs() {
        graphs.values().forEach(CudaGraph::close);
        graphs.clear();
    }

    /**
     * Lays regions out one after another from a start, each at a multiple of its alignment and followed by a guard
     * of {@code gap} floats (none when {@code gap} is 0: then regions touch, as on a device).
     */
    private static final class Regions {
        private final long gap;
        private final List<long[]> guards = new ArrayList<>();
        private long end;

        Regions(long start, long gap) {
            this.end = start;
            this.gap = gap;
        }

        /** {@return the offset of a new region of {@code floats}, at a multiple of {@code alignment}} */
        long place(long floats, int alignment) {
            long at = (end + alignment - 1) / alignment * alignment;
            end = at + floats;
            if (gap > 0) {
                guards.add(new long[] {end, gap});
                end += gap;
            }
            return at;
        }

        /** {@return the end of the last region's guard, rounded up to a multiple of {@code alignment}} */
        long end(int alignment) {
            return (end + alignment - 1) / alignment * alignment;
        }

        /** Registers the guards in {@code memory}, laid out this way (on a device, nothing). */
        void guard(DeviceMemory memory) {
            for (long[] g : guards) {
                memory.guard(g[0], g[1]);
            }
        }
    }

    @Override
    public void close() {
        closeGraphs();
        if (inputStaging != null) {
            inputStaging.close();
            targetStaging.close();
            rowStaging.close();
        }
        if (data != null) {
            data.close();
        }
        memory.close();
    }
}
