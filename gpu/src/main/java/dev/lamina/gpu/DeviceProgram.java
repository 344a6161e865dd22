package dev.lamina.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Internal, not API: part of the device path behind {@link DeviceNetwork}, public for the Maven plugin and the
 * processor's tests; it may change in any release.
 *
 * <p>A network's device program ({@code Net.program}, written by the processor beside the class): how big each
 * device area is and, pass by pass, which kernel of {@code Net.cu} to launch, on what grid, with what arguments.
 * {@link DeviceNetwork} replays it; a test without a GPU checks it against the kernels' signatures.
 *
 * @param arena       floats per batch row of the activation arena
 * @param indices     ints per batch row of the max-pool winners
 * @param dropout     whether a layer draws dropout masks (a training forward pass moves the key first)
 * @param carried     the regions where stateful recurrent layers keep their state from one batch to the next
 * @param unsupported the layers the program does not cover (the network then runs on the CPU only)
 * @param network the generated class's name
 * @param parameters floats of the flat parameter array
 * @param buffers floats of the running statistics
 * @param work floats of the per-channel work area
 * @param doubles doubles of the double-precision work area
 * @param inputRegion the input's region in the arena
 * @param inputSize floats per input row
 * @param outputRegion the output's region in the arena
 * @param outputSize floats per output row
 * @param lossRows the rows the loss is taken over, as a function of the batch size
 * @param steps every pass's steps, in order
 */
public record DeviceProgram(String network, int arena, int indices, int parameters, int buffers, int work,
                            int doubles, int inputRegion, int inputSize, int outputRegion, int outputSize,
                            Linear lossRows, boolean dropout, List<Carried> carried, List<String> unsupported,
                            List<Step> steps) {

    /** The format this reader reads: each step names its layer and each argument its kernel parameter. */
    public static final String VERSION = "2";
    /** Threads per block of every launch (the GEMM's 64 x 64 tiles too). */
    public static final int THREADS = 256;
    /** Rows and columns of C per GEMM block. */
    public static final int GEMM_TILE = 64;

    /**
     * A stateful layer's carried state: {@code perRow} floats a row from arena address {@code region}.
     *
     * @param region the arena address of the state
     * @param perRow floats of state per row
     */
    public record Carried(String region, int perRow) {
    }

    /**
     * One step of a pass, launched by {@code layer} (its field; {@code -} for the loss and the clearing of the
     * gradients): a launch of {@code action}, or the built-in {@code zero}, {@code copy} and {@code check} (an
     * embedding's out-of-vocabulary flag, read back and raised as the CPU path does). {@code args} are the values,
     * {@code names} the kernel parameters they fill, in the same order.
     *
     * @param pass the pass it belongs to ({@code forward}, {@code loss}, {@code backward})
     * @param when the mode it runs in ({@code always}, {@code train}, {@code eval}, {@code carry})
     * @param layer the field of the layer that launches it, or {@code -}
     * @param action the kernel's name, or {@code zero}, {@code copy} or {@code check}
     * @param grid the grid's written form
     * @param names the kernel parameters the arguments fill
     * @param args the arguments
     */
    public record Step(String pass, String when, String layer, String action, String grid, List<String> names,
                       List<String> args) {
        /**
         * Copies the lists; throws {@link IllegalArgumentException} unless every argument has a name.
         *
         * @param pass the pass the step belongs to
         * @param when the mode it runs in
         * @param layer the field of the layer that launches it
         * @param action the kernel's name, or a built-in
         * @param grid the grid's written form
         * @param names the kernel parameters the arguments fill
         * @param args the arguments
         */
        public Step {
            names = List.copyOf(names);
            args = List.copyOf(args);
            if (names.size() != args.size()) {
                throw new IllegalArgumentException("a step needs a name for each of its arguments");
            }
        }

        /**
         * {@return whether the step launches a kernel, rather than being a built-in {@code zero}, {@code copy} or
         * {@code check}}
         */
        public boolean isLaunch() {
            return !action.equals("zero") && !action.equals("copy") && !action.equals("check");
        }

        /**
         * {@return whether it runs in this mode: {@code always}, {@code train} or {@code eval} only, or {@code carry}:
         * in
         * training when the stateful layers save their state for the next batch ({@code carrying})}
         *
         * @param training whether the pass is a training pass
         * @param carrying whether stateful layers save their states in this pass
         */
        public boolean runsWhen(boolean training, boolean carrying) {
            return when.equals("always") || when.equals(training ? "train" : "eval")
                    || when.equals("carry") && training && carrying;
        }

        /**
         * Blocks in x and y for {@code rows} batch rows.
         *
         * @param rows the batch size
         * @return the grid's width and height in blocks
         */
        public long[] blocks(int rows) {
            String[] kind = grid.split(":", 2);
            return switch (kind[0]) {
                case "e" -> new long[] {ceil(Linear.parse(kind[1]).at(rows), THREADS), 1};
                case "b" -> new long[] {Linear.parse(kind[1]).at(rows), 1};
                case "gemm" -> {
                    // C's rows on x (up to 2^31 - 1 blocks), its columns on y
                    String[] mn = kind[1].split(",");
                    yield new long[] {ceil(Linear.parse(mn[0]).at(rows), GEMM_TILE),
                            ceil(Linear.parse(mn[1]).at(rows), GEMM_TILE)};
                }
                default -> throw new IllegalStateException("unknown grid '" + grid + "' in step " + this);
            };
        }

        private static long ceil(long count, long per) {
            return Math.max(1, (count + per - 1) / per);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(pass + " " + when + " " + layer + " " + action + " " + grid);
            for (int k = 0; k < args.size(); k++) {
                b.append(' ').append(names.get(k)).append('=').append(args.get(k));
            }
            return b.toString();
        }
    }

    /**
     * {@return steps of one pass ({@code forward}, {@code loss}, {@code backward}), in order}
     *
     * @param pass the pass's name
     */
    public List<Step> pass(String pass) {
        return steps.stream().filter(s -> s.pass().equals(pass)).toList();
    }

    /**
     * {@return the program beside {@code network}'s class}
     *
     * @param network the generated class
     */
    public static DeviceProgram of(Class<?> network) {
        String name = network.getSimpleName() + ".program";
        try (InputStream in = network.getResourceAsStream(name)) {
            if (in == null) {
                throw new GpuUnavailableException(network.getName() + " has no " + name + " beside its class: it was "
                        + "compiled by a Lamina older than its GPU path; rebuild it");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " beside " + network.getName(), e);
        }
    }

    /**
     * Reads a program in the processor's text format ({@link #VERSION}); throws {@link IllegalArgumentException} for
     * another version or a malformed line.
     *
     * @param text the program's text
     * @return the program
     */
    public static DeviceProgram parse(String text) {
        String network = null;
        int[] sizes = new int[6];
        String[] names = {"arena", "indices", "parameters", "buffers", "work", "doubles"};
        int[] input = new int[2];
        int[] output = new int[2];
        Linear lossRows = null;
        List<String> unsupported = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        boolean versioned = false;
        boolean dropout = false;
        List<Carried> carried = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.trim().split(" +");
            switch (words[0]) {
                case "lamina-device-program" -> {
                    if (!words[1].equals(VERSION)) {
                        throw new IllegalArgumentException("device program version " + words[1] + ": this Lamina "
                                + "reads version " + VERSION + "; rebuild the network with it");
                    }
                    versioned = true;
                }
                case "class" -> network = words[1];
                case "input" -> input = new int[] {Integer.parseInt(words[1]), Integer.parseInt(words[2])};
                case "output" -> output = new int[] {Integer.parseInt(words[1]), Integer.parseInt(words[2])};
                case "losses" -> lossRows = Linear.parse(words[1]);
                case "dropout" -> dropout = true;
                case "carried" -> carried.add(new Carried(words[1], Integer.parseInt(words[2])));
                case "unsupported" -> unsupported.add(line.substring("unsupported ".length()));
                case "step" -> steps.add(step(line, words));
                default -> {
                    int k = List.of(names).indexOf(words[0]);
                    if (k < 0) {
                        throw new IllegalArgumentException("unknown line in device program: " + line);
                    }
                    sizes[k] = Integer.parseInt(words[1]);
                }
            }
        }
        if (!versioned || network == null || lossRows == null) {
            throw new IllegalArgumentException("not a Lamina device program: it lacks its version, class or loss line");
        }
        return new DeviceProgram(network, sizes[0], sizes[1], sizes[2], sizes[3], sizes[4], sizes[5], input[0],
                input[1], output[0], output[1], lossRows, dropout, List.copyOf(carried), List.copyOf(unsupported),
                List.copyOf(steps));
    }

    /** {@code step PASS WHEN LAYER ACTION GRID NAME=VALUE...}. */
    private static Step step(String line, String[] words) {
        if (words.length < 6) {
            throw new IllegalArgumentException("a step needs a pass, a condition, a layer, an action and a grid: "
                    + line);
        }
        List<String> names = new ArrayList<>();
        List<String> args = new ArrayList<>();
        for (String word : List.of(words).subList(6, words.length)) {
            int equals = word.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("argument '" + word + "' has no NAME=: " + line);
            }
            names.add(word.substring(0, equals));
            args.add(word.substring(equals + 1));
        }
        return new Step(words[1], words[2], words[3], words[4], words[5], names, args);
    }
}
