package dev.lamina.processor.emit.java;

import com.palantir.javapoet.CodeBlock;

/**
 * Internal, not API. Code the layers' R-rules share when they run chunk by chunk on the workers
 * ({@code SecondOrderChunks}): each chunk leaves its terms of {@code H v} in a part of its own (the weights' terms,
 * then the biases'), which the caller adds up in chunk order, so the product does not depend on the thread count;
 * the chunk's gradients at the layer's input added into the double arrays; {@code R{x}} rounded into a float block.
 */
public final class ChunkCode {
    private ChunkCode() {
    }

    /** Before the chunks run: {@code count} and the calling thread's {@code parts} of {@code size} doubles. */
    public static CodeBlock declare(SecondOrderContext c, int samplesPerChunk, int size) {
        return CodeBlock.builder()
                .addStatement("int count = dev.lamina.runtime.SecondOrderChunks.count(n, $L)", samplesPerChunk)
                .addStatement("double[][] parts = $L.parts(count, $L)", c.chunks(), size)
                .build();
    }

    /** In a chunk: its {@code part}, zeroed (the biases' terms are added into it). */
    public static CodeBlock open(int size) {
        return CodeBlock.builder()
                .addStatement("double[] part = parts[chunk]")
                .addStatement("java.util.Arrays.fill(part, 0, $L, 0.0)", size)
                .build();
    }

    /** In a chunk: the weights' terms from the float block {@code hw} into the part, through scratch slot {@code slot}. */
    public static CodeBlock weightsFromFloats(int slot, int weights) {
        return CodeBlock.builder()
                .addStatement("float[] terms = scratch.floats($L, $L)", slot, weights)
                .addStatement("hw.floats().get(0, terms, 0, $L)", weights)
                .beginControlFlow("for (int w = 0; w < $L; w++)", weights)
                .addStatement("part[w] = terms[w]")
                .endControlFlow()
                .build();
    }

    /** After the chunks: every part added into {@code out}, in chunk order. */
    public static CodeBlock addUp(SecondOrderContext c, int weights, int biases) {
        CodeBlock.Builder b = CodeBlock.builder();
        b.beginControlFlow("for (int k = 0; k < count; k++)");
        b.addStatement("double[] part = parts[k]");
        b.beginControlFlow("for (int w = 0; w < $L; w++)", weights);
        b.addStatement("out[$L + w] += part[w]", c.constant("WEIGHT"));
        b.endControlFlow();
        if (biases > 0) {
            b.beginControlFlow("for (int u = 0; u < $L; u++)", biases);
            b.addStatement("out[$L + u] += part[$L + u]", c.constant("BIAS"), weights);
            b.endControlFlow();
        }
        b.endControlFlow();
        return b.build();
    }

    /**
     * In a chunk: the float block {@code dx} of {@code [g_x; R{g_x}]} ({@code inputs} values each, from the input's
     * value {@code base} on) added into the double gradients at the layer's input, through scratch slot {@code slot}.
     */
    public static CodeBlock addToInput(SecondOrderContext c, int slot, String inputs, String base) {
        return CodeBlock.builder()
                .addStatement("float[] back = scratch.floats($L, 2 * $L)", slot, inputs)
                .addStatement("dx.floats().get(0, back, 0, 2 * $L)", inputs)
                .addStatement("int base = $L", base)
                .beginControlFlow("for (int j = 0; j < $L; j++)", inputs)
                .addStatement("$L[base + j] += back[j]", c.dIn())
                .addStatement("$L[base + j] += back[$L + j]", c.rdIn(), inputs)
                .endControlFlow()
                .build();
    }

    /**
     * In a chunk: {@code rx}, a worker's block (scratch slot 1) holding {@code count} values of the double array
     * {@code source} from {@code from} on, rounded to float, staged through the heap for one bulk copy.
     */
    public static CodeBlock roundedInto(String source, String from, String count) {
        return CodeBlock.builder()
                .addStatement("float[] staged = scratch.floats(1, $L)", count)
                .addStatement("int from = $L", from)
                .beginControlFlow("for (int x = 0; x < $L; x++)", count)
                .addStatement("staged[x] = (float) $L[from + x]", source)
                .endControlFlow()
                .addStatement("$T rx = scratch.memory(1, $L)", JavaEmitter.MEMORY, count)
                .addStatement("rx.floats().put(0, staged, 0, $L)", count)
                .build();
    }
}
