package dev.lamina.processor.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random network classes for {@link ProcessorFuzzTest}: mostly plausible layer stacks whose attributes are now and
 * then zero, negative, huge or non-finite, references to missing or later layers, and odd class shapes (not
 * abstract, a constructor with arguments, an abstract method, a field named like a generated member, ...). Every
 * case is a function of its seed alone, so a failure is reproduced by its seed.
 */
final class NetworkGenerator {
    /** One generated compilation unit: its qualified class name, source, and the input's token count (0: floats). */
    record Case(long seed, String className, String source, int tokens) {
    }

    private static final String[] ACTIVATIONS = {"IDENTITY", "SIGMOID", "TANH", "RELU", "LEAKY_RELU", "ELU", "SELU",
            "SOFTPLUS", "RELU6", "STEP"};
    private static final String[] LOSSES = {"SOFTMAX_CROSS_ENTROPY", "SIGMOID_CROSS_ENTROPY", "MEAN_SQUARED_ERROR"};

    private final Random random;
    /** Whether this case draws absurd values now and then; a third of the cases stay plausible throughout. */
    private final boolean wild;
    private final List<String> fields = new ArrayList<>();
    private final List<String> blocks = new ArrayList<>();
    /** The coarse shape the next layer reads: 'v'ector, 'i'mage or 's'equence. */
    private char shape;

    private NetworkGenerator(long seed) {
        this.random = new Random(seed);
        this.wild = random.nextInt(3) > 0;
    }

    static Case generate(long seed) {
        return new NetworkGenerator(seed).build(seed);
    }

    private Case build(long seed) {
        String name = "Fuzz" + Long.toUnsignedString(seed, 36).toUpperCase(java.util.Locale.ROOT).replace('-', 'M');
        StringBuilder body = new StringBuilder();
        int tokens = 0;
        String input;
        switch (random.nextInt(4)) {
            case 0 -> {
                shape = 'v';
                input = "input = {" + size(1, 12) + "}";
            }
            case 1 -> {
                shape = 's';
                input = "input = {" + size(1, 6) + "}, steps = " + size(1, 6);
            }
            case 2 -> {
                shape = 's';
                tokens = size(2, 20);
                input = "tokens = " + tokens + ", steps = " + size(1, 6);
                fields.add("emb");
                body.append("    @Embedding(dim = ").append(size(1, 6)).append(") Layer emb;\n");
            }
            default -> {
                shape = 'i';
                input = "input = {" + size(1, 3) + ", " + size(4, 10) + ", " + size(4, 10) + "}";
            }
        }
        String loss = LOSSES[random.nextInt(LOSSES.length)];
        String network = "@Network(" + input + ", loss = Loss." + loss
                + (chance(8) ? ", labelSmoothing = " + real(0, 0.5) : "") + (chance(5) ? ", fuse = false" : "") + ")";
        int layers = 1 + random.nextInt(6);
        for (int i = 0; i < layers; i++) {
            body.append(layer("l" + i));
        }
        int classes = chance(15) ? size(1, 1) : size(2, 6);
        if (shape == 's' && chance(2)) {
            body.append("    @LSTM(units = ").append(size(1, 6)).append(") Layer rec;\n");
            fields.add("rec");
        }
        body.append("    @Dense(units = ").append(classes).append(chance(10) ? ", activation = Activation."
                + ACTIVATIONS[random.nextInt(ACTIVATIONS.length)] : "").append(") Layer out;\n");
        fields.add("out");
        StringBuilder extra = new StringBuilder();
        String head = "public abstract class " + name;
        if (chance(6)) {
            switch (random.nextInt(14)) {
                case 0 -> head = "public class " + name;
                case 1 -> head = "public final class " + name;
                case 2 -> body.append("    " + name + "(int size) {}\n");
                case 3 -> body.append("    private " + name + "() {}\n");
                case 4 -> body.append("    abstract int size();\n");
                case 5 -> body.append("    public final void forward(int n) {}\n");
                case 6 -> body.append("    @Dense(units = 2) Layer state;\n");
                case 7 -> body.append("    @Dense(units = 2) Layer L0;\n");
                case 8 -> {
                    head = "public abstract class " + name + " extends " + name + "Base";
                    extra.append("abstract class ").append(name).append("Base {\n    @Dense(units = 3) Layer base;\n}\n");
                }
                case 9 -> body.append("    @Dense(units = 2) int count;\n");
                case 10 -> body.append("    @Dense(units = 2) @Dropout(rate = 0.5) Layer twice;\n");
                case 11 -> extra.append("class ").append(name).append("Net {}\n");
                case 12 -> body.append("    @Dense(units = 2) Layer a$b;\n");
                default -> body.append("    @Dense(units = 2) private Layer hidden;\n");
            }
        }
        blocks.forEach(body::append);
        if (chance(30)) {
            body.append("    static class Worker {}\n");
        }
        String source = "package fuzz;\n\nimport dev.lamina.dsl.*;\nimport dev.lamina.runtime.Layer;\n\n" + network
                + "\n" + head + " {\n" + body + "}\n" + extra;
        return new Case(seed, "fuzz." + name, source, tokens);
    }

    private String layer(String name) {
        String reference = "";
        if (fields.size() > 0 && chance(6)) {
            String target = chance(4) ? "missing" : chance(4) ? "out" : fields.get(random.nextInt(fields.size()));
            reference = ", from = \"" + target + "\"";
        }
        String line;
        int kind = random.nextInt(shape == 'i' ? 12 : shape == 's' ? 6 : 5);
        if (shape == 'v' || wild && chance(10)) {
            line = switch (kind % 5) {
                case 0, 1 -> "@Dense(units = " + size(1, 10) + activation() + init() + reference + ")";
                case 2 -> "@Dropout(rate = " + real(0, 0.9) + ")";
                case 3 -> "@BatchNorm(epsilon = " + positive(1e-5) + ", momentum = " + real(0, 1) + activation()
                        + reference + ")";
                default -> "@LayerNorm(epsilon = " + positive(1e-5) + activation() + ")";
            };
        } else if (shape == 's') {
            line = switch (kind) {
                case 0 -> "@LSTM(units = " + size(1, 6) + ", returnSequences = true, peephole = " + random.nextBoolean()
                        + ", coupled = " + random.nextBoolean() + ")";
                case 1 -> "@GRU(units = " + size(1, 6) + ", returnSequences = true)";
                case 2 -> "@RNN(units = " + size(1, 6) + ", returnSequences = true)";
                case 3 -> "@Conv1d(filters = " + size(1, 5) + ", kernel = " + size(1, 2) + ", padding = " + size(0, 1)
                        + activation() + reference + ")";
                case 4 -> "@Dense(units = " + size(1, 6) + activation() + ")";
                default -> "@LayerNorm(epsilon = " + positive(1e-5) + ")";
            };
        } else {
            line = switch (kind) {
                case 0, 1 -> "@Conv(filters = " + size(1, 6) + ", kernel = " + size(1, 3) + ", padding = " + size(0, 1)
                        + ", stride = " + size(1, 2) + (chance(5) ? ", dilation = " + size(1, 2) : "")
                        + (chance(5) ? ", groups = " + size(1, 2) : "") + activation() + init() + reference + ")";
                case 2 -> "@Pool(kind = PoolKind." + (chance(3) ? "AVERAGE" : "MAX") + ", kernel = " + size(1, 3)
                        + (chance(4) ? ", stride = " + size(1, 2) : "") + reference + ")";
                case 3 -> "@BatchNorm(epsilon = " + positive(1e-5) + activation() + reference + ")";
                case 4 -> "@LocalResponseNorm(size = " + size(1, 5) + ", alpha = " + positive(1e-4) + ", beta = "
                        + positive(0.75) + ", k = " + positive(2) + ")";
                case 5 -> "@Dropout(rate = " + real(0, 0.9) + ")";
                case 6 -> "@Upsample(scale = " + size(1, 2) + reference + ")";
                case 7 -> "@ConvTranspose(filters = " + size(1, 4) + ", kernel = " + size(1, 3) + ", stride = "
                        + size(1, 2) + activation() + reference + ")";
                case 8 -> chance(2) ? "@Residual(filters = " + size(1, 4) + ", custom = " + block() + ".class)"
                        : "@Residual(filters = " + size(1, 4) + ", stride = " + size(1, 2) + (chance(3)
                        ? ", block = ResidualBlock.BOTTLENECK" : "") + ", activation = Activation."
                        + ACTIVATIONS[random.nextInt(ACTIVATIONS.length)] + ")";
                case 9 -> fields.size() >= 2 && chance(2)
                        ? "@Concat(of = {\"" + fields.get(random.nextInt(fields.size())) + "\", \""
                        + fields.get(random.nextInt(fields.size())) + "\"})"
                        : "@Conv(filters = " + size(1, 4) + ", kernel = 1" + activation() + ")";
                case 10 -> {
                    shape = 'v';
                    yield "@Flatten";
                }
                default -> {
                    shape = 'v';
                    yield "@Dense(units = " + size(1, 8) + activation() + ")";
                }
            };
        }
        if (line.startsWith("@LSTM") || line.startsWith("@GRU") || line.startsWith("@RNN")) {
            shape = chance(4) ? 'v' : 's';
            if (shape == 'v') {
                line = line.replace("returnSequences = true", "returnSequences = false");
            }
        }
        fields.add(name);
        return "    " + line + " Layer " + name + ";\n";
    }

    /** A user-defined {@code @Block} nested class with random layers; returns its name. */
    private String block() {
        String name = "B" + blocks.size();
        StringBuilder b = new StringBuilder("    @Block static class " + name + " {\n");
        int layers = 1 + random.nextInt(3);
        for (int i = 0; i < layers; i++) {
            String line = switch (random.nextInt(5)) {
                case 0, 1 -> "@Conv(filters = " + (chance(2) ? "Residual.STAGE" : Integer.toString(size(1, 4)))
                        + ", kernel = 3, padding = 1, stride = " + (i == 0 ? "Residual.STAGE" : "1")
                        + (chance(4) ? ", groups = " + size(1, 2) : "") + activation() + ")";
                case 2 -> "@BatchNorm(epsilon = " + positive(1e-5) + activation() + ")";
                case 3 -> "@Dropout(rate = " + real(0, 0.9) + ")";
                default -> "@LocalResponseNorm(size = " + size(1, 5) + ", k = " + positive(2) + ")";
            };
            b.append("        ").append(line).append(" Layer b").append(i).append(";\n");
        }
        blocks.add(b.append("    }\n").toString());
        return name;
    }

    private String activation() {
        if (!chance(2)) {
            return "";
        }
        String f = ACTIVATIONS[random.nextInt(ACTIVATIONS.length)];
        boolean alpha = f.equals("LEAKY_RELU") || f.equals("ELU") || f.equals("RELU6") || chance(8);
        return ", activation = Activation." + f + (alpha && chance(2) ? ", alpha = " + signed(0.5) : "");
    }

    private String init() {
        if (!chance(4)) {
            return "";
        }
        return chance(2) ? ", init = Init.GAUSSIAN, initStd = " + positive(0.1)
                : ", init = Init." + (chance(2) ? "XAVIER" : "UNIFORM_FAN_IN");
    }

    /** A size, usually in [lo, hi]; in wild cases sometimes 0, negative or huge. */
    private int size(int lo, int hi) {
        if (wild && chance(25)) {
            int[] odd = {0, -1, -7, 1 << 16, 1 << 20, 1 << 28, Integer.MAX_VALUE, Integer.MIN_VALUE};
            return odd[random.nextInt(odd.length)];
        }
        return lo + random.nextInt(hi - lo + 1);
    }

    /** A Java expression for a real in [lo, hi], sometimes absurd in wild cases. */
    private String real(double lo, double hi) {
        return absurd().orElse(Double.toString(lo + random.nextDouble() * (hi - lo)));
    }

    private String positive(double typical) {
        return absurd().orElse(Double.toString(typical * (0.5 + random.nextDouble())));
    }

    private String signed(double typical) {
        return absurd().orElse(Double.toString(typical * (random.nextDouble() * 2 - 1)));
    }

    private java.util.Optional<String> absurd() {
        if (!wild || !chance(15)) {
            return java.util.Optional.empty();
        }
        String[] odd = {"Double.NaN", "Double.POSITIVE_INFINITY", "Double.NEGATIVE_INFINITY", "0.0", "-1.0", "1e300",
                "-1e300", "1e-300", "2.0", "1e9"};
        return java.util.Optional.of(odd[random.nextInt(odd.length)]);
    }

    private boolean chance(int oneIn) {
        return random.nextInt(oneIn) == 0;
    }
}
