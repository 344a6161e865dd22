package dev.lamina.processor.emit.java;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.lamina.dsl.Loss;
import dev.lamina.dsl.Precision;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKinds;
import dev.lamina.processor.plan.Schedule;
import dev.lamina.processor.plan.Schedule.Step;
import javax.lang.model.element.Modifier;

/**
 * The generated {@code hessianVectorProduct(n, v, out)} of a network declared {@code @Network(secondOrder = true)}:
 * Pearlmutter's R-passes over the batch of the last forward pass. The R-forward pass walks the forward
 * steps, each layer's kind giving {@code R{output}} ({@link SecondOrderJava#rForward}); the fused loss gives the
 * gradient at the output and its R, {@code H_loss R{y}}; the R-backward pass walks the backward steps, each kind
 * giving the gradient and its R at its input and adding its parameters' terms of {@code H v}. It reads only the
 * arena's forward outputs, the parameters and the targets: the gradient slots are not touched, so a backward pass
 * may still follow. The arrays between layers are double; the GEMM-shaped products of Dense layers and convolutions
 * run in the network's {@code secondOrderPrecision} ({@link ProductArithmetic}), the element-wise rules in double.
 * The arrays between layers are the calling thread's, kept from call to call ({@code SecondOrderChunks.zeros}); a
 * layer's own arrays are allocated per call. Dense layers and convolutions run chunk by chunk on the model's
 * workers ({@code SecondOrderChunks}), the other layers on the calling thread.
 */
final class SecondOrderCode {
    private static final ClassName FLOAT_BUFFER = ClassName.get("java.nio", "FloatBuffer");
    private static final String CHUNKS = "dev.lamina.runtime.SecondOrderChunks";

    private SecondOrderCode() {
    }

    static MethodSpec method(Schedule schedule, Names names) {
        Graph graph = schedule.graph();
        CodeBlock.Builder b = CodeBlock.builder();
        b.beginControlFlow("if (v.length != PARAMETERS || out.length != PARAMETERS)");
        b.addStatement("throw new IllegalArgumentException(\"expected a direction and an output of \" + PARAMETERS"
                + " + \" values (the parameters' layout), found \" + v.length + \" and \" + out.length)");
        b.endControlFlow();
        b.addStatement("state.beginSecondOrder(n)");
        b.beginControlFlow("try");
        b.addStatement("$T arena = state.arena(n)", JavaEmitter.MEMORY);
        b.addStatement("$T params = state.parameters()", JavaEmitter.MEMORY);
        b.addStatement("$T a = arena.floats()", FLOAT_BUFFER);
        b.addStatement("$T p = params.floats()", FLOAT_BUFFER);
        b.addStatement("float[] t = state.targets(n)");
        b.addStatement("java.util.Arrays.fill(out, 0.0)");
        // spelled out rather than imported: the R-pass adds one method to the class and nothing else
        b.addStatement("$L chunks = new $L(state)", CHUNKS, CHUNKS);
        if (graph.secondOrderPrecision() == Precision.FLOAT) {
            b.addStatement("$T directionBlock = chunks.direction(v)", JavaEmitter.MEMORY);
        }
        b.add("// R-forward: R{output} of every layer, in forward order\n");
        for (Step step : schedule.forward()) {
            Node node = step.node();
            if (step.view()) {
                continue;
            }
            SecondOrderContext c = new SecondOrderContext(schedule, names, node);
            b.addStatement("double[] $L = chunks.zeros($L, n * $L)", c.rOut(), 4 * node.id(), node.out().size());
            b.add("// $L\n", LayerCode.describe(node));
            b.add(rForward(OpKinds.of(node.op()), node, c));
        }
        for (Step step : schedule.backward()) {
            if (step.view()) {
                continue;
            }
            SecondOrderContext c = new SecondOrderContext(schedule, names, step.node());
            b.addStatement("double[] $L = chunks.zeros($L, n * $L)", c.dOut(), 4 * step.node().id() + 1,
                    step.node().out().size());
            b.addStatement("double[] $L = chunks.zeros($L, n * $L)", c.rdOut(), 4 * step.node().id() + 2,
                    step.node().out().size());
        }
        b.add("// the loss: its gradient at the output and H_loss R{output}\n");
        b.add(loss(graph, new SecondOrderContext(schedule, names, graph.node(schedule.loss().source()))));
        b.add("// R-backward, in backward order: the gradient and its R at each input, and each layer's H v\n");
        for (Step step : schedule.backward()) {
            if (step.view()) {
                continue;
            }
            Node node = step.node();
            b.add("// $L\n", LayerCode.describe(node));
            b.add(rBackward(OpKinds.of(node.op()), node, new SecondOrderContext(schedule, names, node)));
        }
        b.nextControlFlow("finally");
        b.addStatement("state.endPass()");
        b.endControlFlow();
        return MethodSpec.methodBuilder("hessianVectorProduct").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("{@code H v} of the mean loss on the last forward pass's batch, by the R-passes.\n")
                .addParameter(int.class, "n").addParameter(double[].class, "v").addParameter(double[].class, "out")
                .addCode(b.build()).build();
    }

    /**
     * The loss's gradient {@code g} at the output {@code y} (per row scaled by {@code 1/n}, by {@code 1/(n steps)} for
     * a softmax at every step) and {@code R{g} = H_loss R{y}}: the squared error's Hessian is the identity, the
     * sigmoid's {@code s (1 - s)} per value, the softmax's {@code diag(p) - p p^T} per row.
     */
    private static CodeBlock loss(Graph graph, SecondOrderContext c) {
        Node output = graph.output();
        int size = output.out().size();
        boolean perStep = output.out().sequence() && graph.loss() == Loss.SOFTMAX_CROSS_ENTROPY;
        int steps = perStep ? output.out().steps() : 1;
        int k = size / steps;
        String y = c.outRegion();
        CodeBlock.Builder b = CodeBlock.builder();
        b.add("{\n").indent();
        b.addStatement("int o = $L", y);
        b.addStatement("double scale = 1.0 / (n * $L)", steps);
        switch (graph.loss()) {
            case MEAN_SQUARED_ERROR -> {
                b.beginControlFlow("for (int i = 0; i < n * $L; i++)", k);
                b.addStatement("$L[i] = ((double) a.get(o + i) - t[i]) * scale", c.dOut());
                b.addStatement("$L[i] = $L[i] * scale", c.rdOut(), c.rOut());
                b.endControlFlow();
            }
            case SIGMOID_CROSS_ENTROPY -> {
                b.beginControlFlow("for (int i = 0; i < n * $L; i++)", k);
                b.addStatement("double s = 1.0 / (1.0 + Math.exp(-(double) a.get(o + i)))");
                b.addStatement("$L[i] = (s - t[i]) * scale", c.dOut());
                b.addStatement("$L[i] = s * (1.0 - s) * $L[i] * scale", c.rdOut(), c.rOut());
                b.endControlFlow();
            }
            case SOFTMAX_CROSS_ENTROPY -> {
                double e = graph.labelSmoothing();
                b.addStatement("double[] q = new double[$L]", k);
                b.beginControlFlow("for (int g = 0; g < n * $L; g++)", steps);
                b.addStatement("int at = g * $L", k);
                b.addStatement("double max = a.get(o + at)");
                b.beginControlFlow("for (int j = 1; j < $L; j++)", k);
                b.addStatement("max = Math.max(max, a.get(o + at + j))");
                b.endControlFlow();
                b.addStatement("double sum = 0");
                b.beginControlFlow("for (int j = 0; j < $L; j++)", k);
                b.addStatement("q[j] = Math.exp(a.get(o + at + j) - max)");
                b.addStatement("sum += q[j]");
                b.endControlFlow();
                b.addStatement("double pr = 0");
                b.beginControlFlow("for (int j = 0; j < $L; j++)", k);
                b.addStatement("q[j] /= sum");
                b.addStatement("pr += q[j] * $L[at + j]", c.rOut());
                b.endControlFlow();
                b.beginControlFlow("for (int j = 0; j < $L; j++)", k);
                // the target as the loss pass smooths it
                if (e > 0) {
                    b.addStatement("double target = t[at + j] * $Lf + (1f - t[at + j]) * $Lf", (float) (1 - e),
                            (float) (e / (k - 1)));
                } else {
                    b.addStatement("double target = t[at + j]");
                }
                b.addStatement("$L[at + j] = (q[j] - target) * scale", c.dOut());
                b.addStatement("$L[at + j] = q[j] * ($L[at + j] - pr) * scale", c.rdOut(), c.rOut());
                b.endControlFlow();
                b.endControlFlow();
            }
        }
        // the Gauss-Newton product: no gradient at the output, so every term with a backpropagated gradient
        // (the network's own second derivatives) vanishes and J^T H_loss J v is left
        b.beginControlFlow("if (gaussNewton)");
        b.addStatement("java.util.Arrays.fill($L, 0.0)", c.dOut());
        b.endControlFlow();
        b.unindent().add("}\n");
        return b.build();
    }

    /** {@return the field that makes the R-passes give the Gauss-Newton product; set only by the method below} */
    static FieldSpec gaussNewtonField() {
        return FieldSpec.builder(boolean.class, "gaussNewton", Modifier.PRIVATE).build();
    }

    /**
     * The generated {@code gaussNewtonVectorProduct(n, v, out)}: the same R-passes with the loss's gradient at the
     * output set to zero. Every backward term that multiplies a backpropagated gradient (the layers' second
     * derivatives: {@code h''}, the products of two parameters, batch norm's second-order terms) then vanishes, and
     * the R-backward pass of {@code H_loss R{y} = H_loss J v} is {@code J^T H_loss J v}: Martens' positive
     * semidefinite curvature, exactly, for the cost of one {@code H v}.
     */
    static MethodSpec gaussNewtonMethod() {
        return MethodSpec.methodBuilder("gaussNewtonVectorProduct").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("{@code G v = J^T H_loss J v} on the last forward pass's batch, by the R-passes.\n")
                .addParameter(int.class, "n").addParameter(double[].class, "v").addParameter(double[].class, "out")
                .addStatement("gaussNewton = true")
                .beginControlFlow("try")
                .addStatement("hessianVectorProduct(n, v, out)")
                .nextControlFlow("finally")
                .addStatement("gaussNewton = false")
                .endControlFlow()
                .build();
    }

    private static <T extends Op> CodeBlock rForward(OpKinds.Bound<T> bound, Node node, SecondOrderContext c) {
        return rules(bound, node).rForward(bound.op(), node, c);
    }

    private static <T extends Op> CodeBlock rBackward(OpKinds.Bound<T> bound, Node node, SecondOrderContext c) {
        return rules(bound, node).rBackward(bound.op(), node, c);
    }

    private static <T extends Op> SecondOrderJava<T> rules(OpKinds.Bound<T> bound, Node node) {
        SecondOrderJava<T> rules = bound.kind().secondOrder();
        if (rules == null) {
            // the rule SecondOrderCovered refuses such a network before planning
            throw new IllegalStateException(node.name() + " (" + node.op().kind() + ") has no R-pass");
        }
        return rules;
    }
}
