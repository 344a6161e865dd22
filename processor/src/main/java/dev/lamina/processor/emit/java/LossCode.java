package dev.lamina.processor.emit.java;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.dsl.Loss;
import dev.lamina.processor.graph.Graph;

/**
 * The loss and its gradient in one pass over the output. Softmax cross-entropy works in log space (subtract the
 * row maximum) and writes {@code (softmax - t) / n}; sigmoid cross-entropy uses the stable
 * {@code max(v, 0) - v t + log(1 + e^-|v|)} and writes {@code (sigmoid - t) / n}; squared error writes
 * {@code (y - t) / n}. Each worker handles its slice of rows and sums its share of the loss in double; the
 * shares are added in worker order and divided by the batch size.
 */
final class LossCode {
    private LossCode() {
    }

    static CodeBlock body(Graph graph, Names names) {
        int size = graph.output().out().size();
        // on a sequence output softmax cross-entropy is taken at every step: k classes a step, the mean over steps
        boolean perStep = graph.output().out().sequence() && graph.loss() == Loss.SOFTMAX_CROSS_ENTROPY;
        int steps = perStep ? graph.output().out().steps() : 1;
        int k = size / steps;
        CodeBlock.Builder b = CodeBlock.builder();
        b.addStatement("$T a = state.arena(n).floats()", JavaEmitter.FLOAT_BUFFER);
        b.addStatement("float[] t = state.targets(n)");
        b.addStatement("int o = $L * n + first * $L", names.out(graph.output().id()), size);
        b.addStatement("int d = DELTA_A * n + first * DELTA_STRIDE");
        b.addStatement(perStep ? "float scale = 1f / (n * " + steps + ")" : "float scale = 1f / n");
        b.addStatement("double total = 0");
        switch (graph.loss()) {
            case SOFTMAX_CROSS_ENTROPY -> {
                double e = graph.labelSmoothing();
                String target = e > 0
                        ? "t[r * " + k + " + k] * " + (float) (1 - e) + "f + (1f - t[r * " + k + " + k]) * "
                        + (float) (e / (k - 1)) + "f"
                        : "t[r * " + k + " + k]";
                if (perStep) {
                    b.beginControlFlow("for (int r = first * $L; r < (first + rows) * $L; r++, o += $L, d += $L)",
                            steps, steps, k, k);
                } else {
                    b.beginControlFlow("for (int r = first; r < first + rows; r++, o += $L, d += $L)", k, k);
                }
                b.addStatement("float max = a.get(o)");
                b.beginControlFlow("for (int k = 1; k < $L; k++)", k);
                b.addStatement("max = Math.max(max, a.get(o + k))");
                b.endControlFlow();
                b.addStatement("double sum = 0");
                b.beginControlFlow("for (int k = 0; k < $L; k++)", k);
                b.addStatement("sum += Math.exp(a.get(o + k) - max)");
                b.endControlFlow();
                b.addStatement("float logSum = max + (float) Math.log(sum)");
                b.beginControlFlow("for (int k = 0; k < $L; k++)", k);
                b.addStatement("float target = $L", target);
                b.addStatement("float logP = a.get(o + k) - logSum");
                b.addStatement("total -= target * logP");
                b.addStatement("a.put(d + k, ((float) Math.exp(logP) - target) * scale)");
                b.endControlFlow();
                b.endControlFlow();
            }
            case SIGMOID_CROSS_ENTROPY -> {
                b.beginControlFlow("for (int i = 0, at = first * $L, count = rows * $L; i < count; i++)", k, k);
                b.addStatement("float v = a.get(o + i)");
                b.addStatement("float target = t[at + i]");
                b.addStatement("total += Math.max(v, 0f) - v * target + Math.log1p(Math.exp(-Math.abs(v)))");
                b.addStatement("a.put(d + i, (1f / (1f + (float) Math.exp(-v)) - target) * scale)");
                b.endControlFlow();
            }
            case MEAN_SQUARED_ERROR -> {
                b.beginControlFlow("for (int i = 0, at = first * $L, count = rows * $L; i < count; i++)", k, k);
                b.addStatement("float diff = a.get(o + i) - t[at + i]");
                b.addStatement("total += 0.5 * diff * diff");
                b.addStatement("a.put(d + i, diff * scale)");
                b.endControlFlow();
            }
        }
        b.addStatement(perStep ? "state.partialLoss(worker, total / " + steps + ")" : "state.partialLoss(worker, total)");
        return b.build();
    }
}
