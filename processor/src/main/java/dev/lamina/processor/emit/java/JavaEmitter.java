package dev.lamina.processor.emit.java;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.lamina.dsl.Loss;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.ops.OpKinds;
import dev.lamina.processor.plan.MemoryPlan;
import dev.lamina.processor.plan.MemoryPlan.TensorSlot;
import dev.lamina.processor.plan.Schedule;
import dev.lamina.processor.plan.Schedule.Step;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * Writes the generated network class: constants for the planned layout, the constructor that registers every
 * tensor and fills in the layer fields, and {@code forward}, {@code loss} and {@code backward}, whose layers'
 * parts render the {@link Schedule}'s forward and backward steps in its order.
 */
public final class JavaEmitter {
    static final ClassName FLOAT_BUFFER = ClassName.get("java.nio", "FloatBuffer");
    private static final ClassName MODEL = ClassName.get("dev.lamina.runtime", "Model");
    private static final ClassName STATE = ClassName.get("dev.lamina.runtime", "NetworkState");
    static final ClassName MEMORY = ClassName.get("dev.lamina.runtime", "Memory");
    static final ClassName WORKER = ClassName.get("dev.lamina.runtime", "Worker");
    private static final ClassName ROW_TASK = ClassName.get("dev.lamina.runtime", "Workers", "RowTask");
    private static final ClassName TENSOR_KIND = ClassName.get("dev.lamina.runtime", "Tensor", "Kind");
    private static final ClassName LOSS = ClassName.get("dev.lamina.dsl", "Loss");
    private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");

    private final Graph graph;
    private final MemoryPlan plan;
    private final Schedule schedule;
    private final Names names;
    private final LayerCode layers;
    private final FieldNodes fields;
    /** The fields a caller may add an output gradient to, by the node whose backward step reads it. */
    private final Map<Integer, List<String>> gradientTargets;

    /** The user's class, when known: its nested classes must not shadow the runtime types the code names. */
    private final TypeElement userType;

    public JavaEmitter(Schedule schedule, TypeElement userType) {
        this.userType = userType;
        this.graph = schedule.graph();
        this.plan = schedule.plan();
        this.schedule = schedule;
        this.names = new Names(schedule);
        this.layers = new LayerCode(schedule, names);
        this.fields = new FieldNodes(graph);
        this.gradientTargets = fields.gradientTargets(
                schedule.backward().stream().map(Step::id).collect(Collectors.toSet()));
    }

    public JavaFile emit() {
        ClassName user = ClassName.bestGuess(graph.userClass());
        TypeSpec.Builder type = TypeSpec.classBuilder(graph.generatedClass())
                .addJavadoc(classDoc())
                .addAnnotation(AnnotationSpec.builder(GENERATED)
                        .addMember("value", "$S", "dev.lamina.processor.LaminaProcessor").build())
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .superclass(user)
                .addSuperinterface(MODEL);
        if (userType != null) {
            // a nested class Worker in the user's class would otherwise shadow dev.lamina.runtime.Worker
            type.avoidClashesWithNestedClasses(userType);
        }
        ClassParts parts = constants(type);
        type.addField(FieldSpec.builder(STATE, "state", Modifier.PRIVATE, Modifier.FINAL).build());
        type.addField(FieldSpec.builder(int.class, "batch", Modifier.PRIVATE)
                .addJavadoc("Rows of the last forward pass: the arena's regions are laid out for it.\n").build());
        for (String pass : passes()) {
            type.addField(FieldSpec.builder(ROW_TASK, pass + "Pass", Modifier.PRIVATE, Modifier.FINAL)
                    .addJavadoc(pass.equals("forward")
                            ? "The passes as worker tasks, made once so that a training step allocates nothing.\n" : "")
                    .initializer("this::$LRows", pass).build());
        }
        type.addFields(parts.fields());
        type.addMethod(constructor(parts));
        type.addMethod(MethodSpec.methodBuilder("create")
                .addJavadoc("A new network whose parameters are drawn from {@code seed}.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(ClassName.get(graph.packageName(), graph.generatedClass()))
                .addParameter(long.class, "seed")
                .addStatement("return new $L(seed)", graph.generatedClass())
                .build());
        type.addMethod(MethodSpec.methodBuilder("state").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(STATE).addStatement("return state").build());
        type.addMethod(forward(parts));
        type.addMethod(MethodSpec.methodBuilder("loss").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(double.class).addParameter(int.class, "n")
                .addCode(pass("beginLoss", CodeBlock.builder().addStatement("state.run(n, lossPass)")
                        .addStatement("return state.summedLoss() / n").build()))
                .build());
        type.addMethod(backward());
        LayerMethods forwardLayers = new LayerMethods();
        type.addMethod(forwardRows(forwardLayers));
        type.addMethod(MethodSpec.methodBuilder("lossRows").addModifiers(Modifier.PRIVATE)
                .addJavadoc("The loss and its gradient over one worker's slice of rows.\n")
                .addParameter(WORKER, "worker").addParameter(int.class, "n").addParameter(int.class, "first")
                .addParameter(int.class, "rows").addCode(LossCode.body(graph, names)).build());
        LayerMethods backwardLayers = new LayerMethods();
        type.addMethod(backwardRows(backwardLayers, false, "backwardRows", CodeBlock.of(
                "The backward pass over one worker's slice, layer by layer; its weight gradients go to its own "
                        + "block, summed at the end.\n")));
        LayerMethods toInputLayers = new LayerMethods(backwardLayers, "backwardToInput");
        if (hasInputGradient()) {
            type.addMethod(backwardRows(toInputLayers, true, "backwardToInputRows", CodeBlock.of(
                    "The backward pass that also gives the gradient with respect to the network input (in slot "
                            + "$L): what {@code backward} runs while the state computes input gradients. Its layers' "
                            + "methods are the training pass's where their code is the same.\n",
                    Names.slot(plan.toInput().inputSlot()))));
        }
        int k = graph.output().out().size();
        type.addMethod(MethodSpec.methodBuilder("output").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(float.class).addParameter(int.class, "row").addParameter(int.class, "k")
                .addStatement("return state.arena(batch).floats().get($L * batch + row * $L + k)",
                        names.region(schedule.loss().source()), k)
                .build());
        if (graph.secondOrder()) {
            type.addMethod(SecondOrderCode.method(schedule, names));
            type.addField(SecondOrderCode.gaussNewtonField());
            type.addMethod(SecondOrderCode.gaussNewtonMethod());
        }
        type.addMethods(forwardLayers.methods());
        type.addMethods(backwardLayers.methods());
        type.addMethods(toInputLayers.methods());
        type.addMethods(layers.loops().methods());
        return JavaFile.builder(graph.packageName(), type.build()).skipJavaLangImports(true).indent("    ").build();
    }

    private CodeBlock classDoc() {
        CodeBlock.Builder doc = CodeBlock.builder();
        String simple = graph.userClass().substring(graph.userClass().lastIndexOf('.') + 1);
        doc.add("The network declared by {@link $L}, generated by Lamina: loss $L, $L trainable parameters.\n\n",
                simple, graph.loss(), String.format("%,d", plan.parameterCount()));
        doc.add("<pre>\n");
        for (Node node : graph.nodes()) {
            doc.add("$L\n", LayerCode.describe(node));
        }
        doc.add("</pre>\n\n");
        doc.add("Activations are stored channels last ([n][h][w][c]); each arena region holds the batch's rows\n"
                + "back to back at {@code OFFSET * n}.\n");
        return doc.build();
    }

    /** The constants of the layout; returns the members the layers declared, to place later. */
    private ClassParts constants(TypeSpec.Builder type) {
        for (TensorSlot slot : plan.parameters()) {
            type.addField(constant(Names.constant(slot.name().replace('.', '_')), slot.offset(),
                    "Parameter offset of " + slot.name() + " " + Arrays.toString(slot.shape()) + "."));
        }
        for (TensorSlot slot : plan.buffers()) {
            type.addField(constant(Names.constant(slot.name().replace('.', '_')), slot.offset(),
                    "Statistics offset of " + slot.name() + " " + Arrays.toString(slot.shape()) + "."));
        }
        Map<Integer, String> regions = new TreeMap<>();
        Map<String, String> docs = new HashMap<>();
        ClassParts parts = new ClassParts(plan, regions, docs);
        for (Node node : graph.nodes()) {
            if (OpKinds.isView(node.op())) {
                continue;
            }
            String name = names.out(node.id());
            regions.put(plan.output().get(node.id()), name);
            docs.put(name, "Arena offset (per sample) of " + node.name() + "'s output " + node.out() + ".");
            parts.region(plan.mask(), node, "MASK", "dropout mask");
            LayerCode.declare(node, parts);
        }
        for (int slot = 0; slot < plan.gradientSlots(); slot++) {
            String name = Names.slot(slot);
            regions.put(schedule.deltaRegion(slot), name);
            docs.put(name, "Arena offset (per sample) of gradient slot " + name.substring(6) + (slot == 0
                    ? ": the loss gradient, then every other layer's, as the slots take turns." : "."));
        }
        type.addField(constant("DELTA_STRIDE", plan.deltaStride(), "Floats per sample of each gradient slot: the "
                + "widest layer, so that workers' slices never overlap whichever layer fills a slot."));
        regions.forEach((offset, name) -> type.addField(constant(name, offset, docs.get(name))));
        for (Map.Entry<Integer, Integer> e : plan.argmax().entrySet().stream()
                .sorted(Map.Entry.comparingByValue()).collect(Collectors.toList())) {
            Node node = graph.node(e.getKey());
            String pool = node.hasFusedPool() ? node.pool().name() : node.name();
            type.addField(constant(Names.argmax(node), e.getValue(),
                    "Index-arena offset (per sample) of " + pool + "'s argmax positions."));
        }
        type.addFields(parts.constants());
        type.addField(constant("PARAMETERS", plan.parameterCount(), "Trainable parameters."));
        type.addField(constant("STATISTICS", plan.bufferCount(), "Running statistics (not trained)."));
        type.addField(constant("ARENA_PER_SAMPLE", plan.arenaPerSample(), "Arena floats per sample."));
        type.addField(constant("INDICES_PER_SAMPLE", plan.indicesPerSample(), "Index-arena ints per sample."));
        return parts;
    }

    private static FieldSpec constant(String name, int value, String doc) {
        return FieldSpec.builder(int.class, name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("$L\n", doc).initializer("$L", value).build();
    }

    private MethodSpec constructor(ClassParts parts) {
        CodeBlock.Builder b = CodeBlock.builder();
        int[] in = graph.input().out().dims();
        b.addStatement("state = new $T($S, $T.$L, new int[] {$L}, $L, PARAMETERS, STATISTICS, ARENA_PER_SAMPLE, "
                        + "INDICES_PER_SAMPLE)", STATE, simpleUserName(), LOSS, graph.loss(), join(in),
                graph.output().out().size());
        for (TensorSlot slot : plan.parameters()) {
            b.addStatement("state.$L($S, $T.$L, new int[] {$L}, $L, $Lf)",
                    slot.uniform() ? "uniformParameter" : "parameter", slot.name(), TENSOR_KIND, slot.kind(),
                    join(slot.shape()), Names.constant(slot.name().replace('.', '_')), (float) slot.initStd());
        }
        for (TensorSlot slot : plan.buffers()) {
            b.addStatement("state.buffer($S, new int[] {$L}, $L)", slot.name(), join(slot.shape()),
                    Names.constant(slot.name().replace('.', '_')));
        }
        // checkpoints hold PyTorch's layouts where they differ from memory's
        for (List<TensorSlot> slots : List.of(plan.parameters(), plan.buffers())) {
            for (TensorSlot slot : slots) {
                TorchLayouts.Layout file = TorchLayouts.of(graph, slot);
                if (file != null) {
                    b.addStatement("state.fileLayout($S, $S, new int[] {$L}, new int[] {$L}, new int[] {$L})",
                            slot.name(), file.name(), join(file.view()), join(file.permutation()),
                            join(file.shape()));
                }
            }
        }
        for (String field : graph.layerFields()) {
            Node stageEnd = fields.residualStageEnd(field);
            if (stageEnd != null) {
                b.addStatement("this.$L = state.layer($S, $S, new int[] {$L})", field, field, "Residual",
                        join(stageEnd.out().dims()));
                layerOutput(b, field, stageEnd, false);
                continue;
            }
            Node node = fields.nodeForField(field);
            int[] shape = field.equals(node.name()) ? node.ownOut().dims() : node.out().dims();
            b.addStatement("this.$L = state.layer($S, $S, new int[] {$L})", field, field, FieldNodes.kindOf(field, node),
                    join(shape));
            String fused = FieldNodes.fusedAway(field, node);
            if (fused != null) {
                b.addStatement("state.layerOutputFused(this.$L, $S)", field, fused);
            } else {
                layerOutput(b, field, node, field.equals(node.name()) && node.hasFusedDropout());
            }
        }
        b.addStatement("state.outputShape(new int[] {$L})", join(graph.output().out().dims()));
        if (hasInputGradient()) {
            b.addStatement("state.inputHasGradient(true)");
        }
        for (Step step : schedule.backward()) {
            List<String> tensors = backwardTensors(step);
            b.addStatement("state.backwardStep($L)", tensors.stream().map(t -> '"' + t + '"')
                    .collect(Collectors.joining(", ")));
        }
        gradientTargets.values().forEach(targets -> targets.forEach(
                field -> b.addStatement("state.gradientTarget(this.$L)", field)));
        if (graph.output().out().sequence() && graph.loss() == Loss.SOFTMAX_CROSS_ENTROPY) {
            b.addStatement("state.stepwiseOutput($L)", graph.output().out().steps());
        }
        if (parts.needsTwoRows() != null) {
            b.addStatement("state.batchStatisticsNeedTwoRows($S)", parts.needsTwoRows());
        }
        b.addStatement("state.initialize(seed)");
        return MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).addParameter(long.class, "seed")
                .addCode(b.build()).build();
    }

    /**
     * Binds field {@code field}'s layer handle to the arena region holding {@code node}'s output (its own, or under
     * its views: a flatten or reshape reads its input's region), per sample; {@code dropped}: the region holds the
     * values after a dropout fused into the node's epilogue, which differ from the layer's own in training mode.
     */
    private void layerOutput(CodeBlock.Builder b, String field, Node node, boolean dropped) {
        int region = plan.output().get(schedule.source(node.id()));
        b.addStatement("state.layerOutput(this.$L, $L, $L, $L)", field, region, node.out().size(), dropped);
    }

    /** The slice method's locals shared by forward and backward. */
    /** The arena and the parameters, as memory and as float views: those the pass's layers use. */
    private static void commonLocals(CodeBlock.Builder b, LayerMethods layerMethods) {
        if (layerMethods.uses("arena") || layerMethods.uses("a")) {
            b.addStatement("$T arena = state.arena(n)", MEMORY);
        }
        if (layerMethods.uses("a")) {
            b.addStatement("$T a = arena.floats()", FLOAT_BUFFER);
        }
        if (layerMethods.uses("params") || layerMethods.uses("p")) {
            b.addStatement("$T params = state.parameters()", MEMORY);
        }
        if (layerMethods.uses("p")) {
            b.addStatement("$T p = params.floats()", FLOAT_BUFFER);
        }
    }

    /**
     * A pass's body between {@code state.begin...(n)} and {@code state.endPass()}: the state refuses a batch that
     * does not fit, and a second thread on the same model (see NetworkState's class comment).
     */
    private static CodeBlock pass(String begin, CodeBlock body) {
        return CodeBlock.builder().addStatement("state.$L(n)", begin).beginControlFlow("try").add(body)
                .nextControlFlow("finally").addStatement("state.endPass()").endControlFlow().build();
    }

    private MethodSpec forward(ClassParts parts) {
        CodeBlock.Builder b = CodeBlock.builder();
        b.addStatement("batch = n");
        if (!plan.mask().isEmpty()) {
            b.beginControlFlow("if (state.isTraining())");
            b.addStatement("state.advanceDropout()");
            b.endControlFlow();
        }
        CodeBlock trainingSetup = parts.trainingSetup();
        if (!trainingSetup.isEmpty()) {
            b.beginControlFlow("if (state.isTraining())");
            b.add(trainingSetup);
            b.endControlFlow();
        }
        b.addStatement("state.run(n, forwardPass)");
        return MethodSpec.methodBuilder("forward").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(int.class, "n").addCode(pass("beginForward", b.build())).build();
    }

    private MethodSpec forwardRows(LayerMethods layerMethods) {
        CodeBlock.Builder calls = CodeBlock.builder();
        for (Step step : schedule.forward()) {
            calls.add(layerMethods.call(step.node(), "statistics", layers.statistics(step)));
            calls.add(layerMethods.call(step.node(), "forward", layers.forward(step)));
        }
        CodeBlock.Builder b = CodeBlock.builder();
        commonLocals(b, layerMethods);
        if (layerMethods.uses("training")) {
            b.addStatement("boolean training = state.isTraining()");
        }
        if (layerMethods.uses("dropoutKey")) {
            b.addStatement("long dropoutKey = state.dropoutKey()");
        }
        if (layerMethods.uses("stats")) {
            b.addStatement("$T stats = state.buffers().floats()", FLOAT_BUFFER);
        }
        if (layerMethods.uses("indices")) {
            b.addStatement("int[] indices = state.indices(n)");
        }
        b.add(calls.build());
        return MethodSpec.methodBuilder("forwardRows").addModifiers(Modifier.PRIVATE)
                .addJavadoc("The forward pass over rows {@code [first, first + rows)} of a batch of {@code n}: one "
                        + "worker's slice, layer by layer.\n")
                .addParameter(WORKER, "worker").addParameter(int.class, "n").addParameter(int.class, "first")
                .addParameter(int.class, "rows").addCode(b.build()).build();
    }

    /**
     * The trainable tensors whose gradients {@code step} computes: its node's, and those of a batch norm that has
     * no backward step of its own because the add reading it applies it.
     */
    private List<String> backwardTensors(Step step) {
        java.util.Set<Integer> withSteps = schedule.backward().stream().map(Step::id).collect(Collectors.toSet());
        return plan.parameters().stream()
                .filter(t -> t.node() == step.id()
                        || !withSteps.contains(t.node()) && graph.node(t.node()).appliedBy() == step.id())
                .map(TensorSlot::name).toList();
    }

    /** The passes made into worker tasks: forward, loss, backward, and the backward pass to the input if any. */
    private List<String> passes() {
        return hasInputGradient() ? List.of("forward", "loss", "backward", "backwardToInput")
                : List.of("forward", "loss", "backward");
    }

    /** Whether the network input has a gradient a caller may ask for (it is not token ids). */
    private boolean hasInputGradient() {
        return plan.toInput() != null;
    }

    private MethodSpec backward() {
        CodeBlock run = hasInputGradient()
                ? CodeBlock.builder().addStatement("state.run(n, state.computesInputGradient() ? backwardToInputPass "
                        + ": backwardPass)").build()
                : CodeBlock.builder().addStatement("state.run(n, backwardPass)").build();
        return MethodSpec.methodBuilder("backward").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(int.class, "n").addCode(pass("beginBackward", run)).build();
    }

    private MethodSpec backwardRows(LayerMethods layerMethods, boolean toInput, String name, CodeBlock doc) {
        List<Step> steps = toInput ? schedule.backwardToInput() : schedule.backward();
        CodeBlock.Builder calls = CodeBlock.builder();
        layerMethods.need("a");
        for (int k = 0; k < steps.size(); k++) {
            Step step = steps.get(k);
            CodeBlock.Builder given = CodeBlock.builder();
            if (step == steps.get(0)) {
                // a caller's own output gradient (Model.backward(n, gradient)) replaces the loss's
                given.addStatement("state.putOutputGradient(a, $L * n + first * DELTA_STRIDE, first, rows)",
                        Names.slot(schedule.loss().gradientSlot()));
            }
            for (String field : gradientTargets.getOrDefault(step.id(), List.of())) {
                // what a caller added to this layer's output gradient (Layer.addGradient), before the layer reads it
                given.addStatement("state.addGradient(this.$L, a, $L * n + first * DELTA_STRIDE, first, rows)", field,
                        Names.slot(step.gradientSlot()));
            }
            CodeBlock.Builder work = CodeBlock.builder();
            if (!given.isEmpty()) {
                work.beginControlFlow("if (givesGradients)").add(given.build()).endControlFlow();
            }
            work.add(layerMethods.call(step.node(), "backward", layers.backward(step)));
            if (toInput || k == 0 || work.isEmpty()) {
                calls.add(work.build());
            } else {
                // frozen layers at the start of the network and every layer before them need no backward step
                calls.beginControlFlow("if (stepsNeeded > $L)", k).add(work.build()).endControlFlow();
            }
        }
        if (toInput) {
            calls.addStatement("state.takeInputGradient(a, $L * n + first * DELTA_STRIDE, n, first, rows)",
                    Names.slot(plan.toInput().inputSlot()));
        }
        CodeBlock.Builder b = CodeBlock.builder();
        commonLocals(b, layerMethods);
        b.addStatement("boolean givesGradients = state.givesGradients()");
        if (!toInput && steps.size() > 1) {
            b.addStatement("int stepsNeeded = state.backwardStepsNeeded()");
        }
        // always: it clears this worker's gradient block for the pass
        b.addStatement("$T grads = state.clearGradients(worker)", MEMORY);
        if (layerMethods.uses("g")) {
            b.addStatement("$T g = grads.floats()", FLOAT_BUFFER);
        }
        if (layerMethods.uses("training")) {
            // a batch norm differentiates the statistics of the mode it runs in: the batch's, or constants
            b.addStatement("boolean training = state.isTraining()");
        }
        if (layerMethods.uses("indices")) {
            b.addStatement("int[] indices = state.indices(n)");
        }
        b.add(calls.build());
        b.addStatement("state.sumGradients(worker)");
        return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE)
                .addJavadoc(doc)
                .addParameter(WORKER, "worker").addParameter(int.class, "n").addParameter(int.class, "first")
                .addParameter(int.class, "rows").addCode(b.build()).build();
    }

    private String simpleUserName() {
        return graph.userClass().substring(graph.userClass().lastIndexOf('.') + 1);
    }

    private static String join(int[] values) {
        return Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining(", "));
    }
}
