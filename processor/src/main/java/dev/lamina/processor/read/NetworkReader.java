package dev.lamina.processor.read;

import dev.lamina.dsl.BatchNorm;
import dev.lamina.dsl.Block;
import dev.lamina.dsl.Concat;
import dev.lamina.dsl.Conv;
import dev.lamina.dsl.Conv1d;
import dev.lamina.dsl.ConvTranspose;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Dropout;
import dev.lamina.dsl.Embedding;
import dev.lamina.dsl.Flatten;
import dev.lamina.dsl.GRU;
import dev.lamina.dsl.LSTM;
import dev.lamina.dsl.LayerNorm;
import dev.lamina.dsl.LocalResponseNorm;
import dev.lamina.dsl.RNN;
import dev.lamina.dsl.Network;
import dev.lamina.dsl.Pool;
import dev.lamina.dsl.PoolKind;
import dev.lamina.dsl.Residual;
import dev.lamina.dsl.Upsample;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;

/**
 * The first stage: a {@code @Network} class to a {@link Graph}. The only stage that touches javax.lang.model; it
 * checks what only the elements can tell (the class can be subclassed, the fields are layer handles) and records
 * where every node came from.
 */
public final class NetworkReader {
    /** The field type generated classes fill in. */
    public static final String LAYER_TYPE = "dev.lamina.runtime.Layer";

    private static final List<Class<? extends Annotation>> LAYER_ANNOTATIONS =
            List.of(Dense.class, Conv.class, Pool.class, BatchNorm.class, Dropout.class, Flatten.class,
                    LSTM.class, GRU.class, RNN.class, Residual.class, Concat.class, Embedding.class,
                    LayerNorm.class, LocalResponseNorm.class, ConvTranspose.class,
                    Upsample.class, Conv1d.class);

    /** The graph and where its nodes came from; the graph is absent when the class itself is unusable. */
    public record Result(Optional<Graph> graph, Origins origins) {
    }

    private final Messager messager;
    private final Subclassable subclassable;

    public NetworkReader(ProcessingEnvironment env) {
        this.messager = env.getMessager();
        this.subclassable = new Subclassable(messager, env.getElementUtils(), env.getTypeUtils());
    }

    public Result read(TypeElement type) {
        AnnotationMirror networkMirror = mirror(type, Network.class);
        Origins origins = new Origins(type, networkMirror);
        Network network = type.getAnnotation(Network.class);
        boolean ok = checkClass(type, networkMirror) & checkInput(type, networkMirror, network);
        ok &= FiniteValues.check(messager, type, networkMirror, "@Network");
        if (ok) {
            // the rest assumes a class that can be subclassed at all
            ok = subclassable.check(type, networkMirror, LAYER_ANNOTATIONS);
        }

        List<Node> nodes = new ArrayList<>();
        nodes.add(Node.of(0, "input", new Op.Input(Math.max(network.tokens(), 0)), -1));
        List<String> fields = new ArrayList<>();
        for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            List<Class<? extends Annotation>> present = LAYER_ANNOTATIONS.stream()
                    .filter(a -> field.getAnnotation(a) != null).toList();
            if (present.isEmpty()) {
                continue;
            }
            AnnotationMirror mirror = mirror(field, present.get(0));
            if (present.size() > 1) {
                error("field '" + field.getSimpleName() + "' has " + present.size() + " layer annotations "
                        + present.stream().map(a -> "@" + a.getSimpleName()).toList()
                        + "; declare one layer per field", field, mirror);
                ok = false;
                continue;
            }
            ok &= checkField(field, mirror);
            ok &= FiniteValues.check(messager, field, mirror, "'" + field.getSimpleName() + "' ("
                    + present.get(0).getSimpleName() + ")");
            int id = nodes.size();
            Op op = op(field, present.get(0));
            if (op instanceof Op.Residual residual) {
                Op.Residual withBlock = customBlock(field, mirror, residual);
                ok &= withBlock != null;
                op = withBlock != null ? withBlock : residual;
            }
            if (op instanceof Op.Upsample up && !field.getAnnotation(Upsample.class).pool().isEmpty()) {
                int pool = pairedPool(field, mirror, fields, nodes);
                ok &= pool > 0;
                if (pool > 0) {
                    op = new Op.Upsample(up.scale(), pool);
                    Node paired = nodes.get(pool);
                    nodes.set(pool, new Node(paired.id(), paired.name(), ((Op.Pool) paired.op()).keepingWinners(),
                            paired.input(), paired.in(), paired.out(), paired.dropout(), paired.dropoutName(),
                            paired.pool(), paired.others(), paired.origin()));
                }
            }
            Node node = Node.of(id, field.getSimpleName().toString(), op, id - 1);
            List<Integer> inputs = inputs(field, mirror, id, fields);
            if (inputs == null) {
                ok = false;
            } else if (!inputs.isEmpty()) {
                node = node.withInput(inputs.get(0)).withOthers(inputs.subList(1, inputs.size()));
            }
            nodes.add(node);
            fields.add(field.getSimpleName().toString());
            origins.put(id, new Origins.Origin(field, mirror));
        }
        if (!ok) {
            return new Result(Optional.empty(), origins);
        }
        int[] in = network.input();
        Shape inputShape = network.tokens() > 0 ? Shape.sequence(network.steps(), 1)
                : network.steps() > 0 ? Shape.sequence(network.steps(), in[0])
                : in.length == 1 ? Shape.vector(in[0]) : Shape.image(in[0], in[1], in[2]);
        nodes.set(0, nodes.get(0).withShapes(null, inputShape));
        String pkg = packageOf(type).getQualifiedName().toString();
        Graph graph = new Graph(pkg, type.getQualifiedName().toString(), generatedName(type), network.loss(),
                network.labelSmoothing(), network.fuse(), nodes, fields);
        return new Result(Optional.of(graph), origins);
    }

    /**
     * The node ids a layer reads when it names them ({@code from}, or a concatenation's parts), empty for the
     * layer declared just before, null after reporting a name that is not an earlier layer field.
     */
    private List<Integer> inputs(VariableElement field, AnnotationMirror mirror, int id, List<String> earlier) {
        List<String> names = new ArrayList<>();
        Concat concat = field.getAnnotation(Concat.class);
        if (concat != null) {
            if (concat.withPrevious()) {
                if (id == 1) {
                    error("'" + field.getSimpleName() + "' (Concat) joins the previous layer, but it is the first "
                            + "layer", field, mirror);
                    return null;
                }
                names.add(earlier.get(earlier.size() - 1));
            }
            names.addAll(List.of(concat.of()));
            if (names.size() < 2) {
                error("'" + field.getSimpleName() + "' (Concat) needs at least two parts to join, found " + names,
                        field, mirror);
                return null;
            }
        } else {
            String from = from(field);
            if (from.isEmpty()) {
                return List.of();
            }
            names.add(from);
        }
        List<Integer> ids = new ArrayList<>();
        for (String name : names) {
            int index = earlier.indexOf(name);
            if (index < 0) {
                boolean later = ElementFilter.fieldsIn(field.getEnclosingElement().getEnclosedElements()).stream()
                        .anyMatch(f -> f.getSimpleName().contentEquals(name));
                error("'" + field.getSimpleName() + "' reads '" + name + "', " + (later
                        ? "which is declared after it: a layer can only read layers declared before it"
                        : "which is not a layer field of " + field.getEnclosingElement().getSimpleName()),
                        field, mirror);
                return null;
            }
            ids.add(index + 1);
        }
        return ids;
    }

    /** The id of the earlier max pool a max-unpooling names; -1 after reporting one that is not. */
    private int pairedPool(VariableElement field, AnnotationMirror mirror, List<String> earlier, List<Node> nodes) {
        String name = field.getAnnotation(Upsample.class).pool();
        int index = earlier.indexOf(name);
        if (index < 0 || !(nodes.get(index + 1).op() instanceof Op.Pool p)
                || p.poolKind() != PoolKind.MAX) {
            error("'" + field.getSimpleName() + "' (Upsample) unpools by '" + name + "', which is not a max pool "
                    + "declared before it", field, mirror);
            return -1;
        }
        return index + 1;
    }

    /** The layers a block kind allows: ones that keep the data an image. */
    private static final List<Class<? extends Annotation>> BLOCK_LAYERS =
            List.of(Conv.class, BatchNorm.class, LayerNorm.class, LocalResponseNorm.class, Dropout.class);

    /**
     * {@code residual} with its user-defined block's layers when {@code custom} names one; null after reporting a
     * class that cannot serve as a block.
     */
    private Op.Residual customBlock(VariableElement field, AnnotationMirror mirror, Op.Residual residual) {
        TypeElement block = null;
        for (var entry : mirror.getElementValues().entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals("custom")
                    && entry.getValue().getValue() instanceof javax.lang.model.type.DeclaredType type) {
                block = (TypeElement) type.asElement();
            }
        }
        if (block == null || block.getQualifiedName().contentEquals("java.lang.Void")) {
            return residual;
        }
        String stage = "'" + field.getSimpleName() + "' (Residual)";
        if (block.getAnnotation(Block.class) == null) {
            error(stage + " uses " + block.getSimpleName() + " as its block, but " + block.getSimpleName()
                    + " is not annotated @Block", field, mirror);
            return null;
        }
        List<Op.BlockLayer> layers = new ArrayList<>();
        for (VariableElement member : ElementFilter.fieldsIn(block.getEnclosedElements())) {
            for (Class<? extends Annotation> kind : LAYER_ANNOTATIONS) {
                if (member.getAnnotation(kind) == null) {
                    continue;
                }
                if (!BLOCK_LAYERS.contains(kind)) {
                    error(stage + " uses block " + block.getSimpleName() + ", whose layer '" + member.getSimpleName()
                            + "' is a @" + kind.getSimpleName() + "; a block holds " + BLOCK_LAYERS.stream()
                            .map(k -> "@" + k.getSimpleName()).toList(), field, mirror);
                    return null;
                }
                if (member.getSimpleName().toString().indexOf('$') >= 0) {
                    error("layer field '" + member.getSimpleName() + "' must not contain '$': Lamina derives the "
                            + "generated class's names from it; rename the field", member, mirror(member, kind));
                    return null;
                }
                if (!FiniteValues.check(messager, member, mirror(member, kind), "block layer '"
                        + member.getSimpleName() + "' of " + stage)) {
                    return null;
                }
                layers.add(new Op.BlockLayer(member.getSimpleName().toString(), op(member, kind)));
            }
        }
        if (layers.isEmpty()) {
            error(stage + " uses block " + block.getSimpleName() + ", which has no layer fields", field, mirror);
            return null;
        }
        return new Op.Residual(residual.block(), residual.filters(), residual.stride(), residual.repeat(),
                residual.projection(), residual.activation(), residual.init(), List.copyOf(layers));
    }

    private static String from(VariableElement field) {
        if (field.getAnnotation(Conv.class) != null) {
            return field.getAnnotation(Conv.class).from();
        }
        if (field.getAnnotation(Dense.class) != null) {
            return field.getAnnotation(Dense.class).from();
        }
        if (field.getAnnotation(Conv1d.class) != null) {
            return field.getAnnotation(Conv1d.class).from();
        }
        if (field.getAnnotation(Upsample.class) != null) {
            return field.getAnnotation(Upsample.class).from();
        }
        if (field.getAnnotation(ConvTranspose.class) != null) {
            return field.getAnnotation(ConvTranspose.class).from();
        }
        if (field.getAnnotation(Pool.class) != null) {
            return field.getAnnotation(Pool.class).from();
        }
        if (field.getAnnotation(BatchNorm.class) != null) {
            return field.getAnnotation(BatchNorm.class).from();
        }
        return "";
    }

    /** {@code Foo -> FooNet}; a nested {@code Outer.Foo -> Outer_FooNet}. */
    public static String generatedName(TypeElement type) {
        StringBuilder name = new StringBuilder(type.getSimpleName());
        Element e = type.getEnclosingElement();
        while (e.getKind().isClass() || e.getKind().isInterface()) {
            name.insert(0, e.getSimpleName() + "_");
            e = e.getEnclosingElement();
        }
        return name + "Net";
    }

    private boolean checkClass(TypeElement type, AnnotationMirror mirror) {
        boolean ok = true;
        String name = type.getSimpleName().toString();
        if (type.getKind() != ElementKind.CLASS) {
            error("@Network goes on an abstract class, but " + name + " is " + article(type.getKind()), type, mirror);
            return false;
        }
        if (!type.getModifiers().contains(Modifier.ABSTRACT)) {
            error("network class " + name + " must be abstract: Lamina generates its subclass " + generatedName(type)
                    + " with the forward and backward passes", type, mirror);
            ok = false;
        }
        if (type.getModifiers().contains(Modifier.FINAL)) {
            error("network class " + name + " must not be final: Lamina generates its subclass "
                    + generatedName(type), type, mirror);
            ok = false;
        }
        if (type.getModifiers().contains(Modifier.PRIVATE)) {
            error("network class " + name + " must not be private: its generated subclass lives beside it",
                    type, mirror);
            ok = false;
        }
        Element enclosing = type.getEnclosingElement();
        if ((enclosing.getKind().isClass() || enclosing.getKind().isInterface())
                && !type.getModifiers().contains(Modifier.STATIC)
                && enclosing.getKind() != ElementKind.INTERFACE) {
            error("network class " + name + " is an inner class of " + enclosing.getSimpleName()
                    + "; make it static (or top level) so that " + generatedName(type)
                    + " can be created without an enclosing instance", type, mirror);
            ok = false;
        }
        return ok;
    }

    private boolean checkInput(TypeElement type, AnnotationMirror mirror, Network network) {
        int[] in = network.input();
        boolean rankOk = in.length == 1 || in.length == 3;
        boolean positive = Arrays.stream(in).allMatch(d -> d > 0);
        if (network.steps() < 0) {
            error("@Network steps must be positive for a sequence input (or 0 for none), found " + network.steps(),
                    type, mirror);
            return false;
        }
        if (network.tokens() < 0) {
            error("@Network tokens must be positive for a token input (or 0 for none), found " + network.tokens(),
                    type, mirror);
            return false;
        }
        if (network.tokens() > 0) {
            if (network.steps() < 1 || in.length > 1 || in.length == 1 && in[0] != 1) {
                error("a token input (tokens = " + network.tokens() + ") is a sequence of ids, one per step: give steps"
                        + " and leave input out, found steps = " + network.steps() + " and input "
                        + Arrays.toString(in), type, mirror);
                return false;
            }
            return true;
        }
        if (network.steps() > 0 && (in.length != 1 || !positive)) {
            error("a sequence input (steps = " + network.steps() + ") takes the features of one step, {features}, "
                    + "found input " + Arrays.toString(in), type, mirror);
            return false;
        }
        if (!rankOk || !positive) {
            error("@Network input must be {features} or {channels, height, width} with every size positive, found "
                    + Arrays.toString(in), type, mirror);
            return false;
        }
        return true;
    }

    private boolean checkField(VariableElement field, AnnotationMirror mirror) {
        String name = field.getSimpleName().toString();
        String type = field.asType().toString();
        boolean ok = true;
        if (!type.equals(LAYER_TYPE)) {
            error("layer field '" + name + "' must have type " + LAYER_TYPE + " (the handle the generated class fills"
                    + " in), found " + type, field, mirror);
            ok = false;
        }
        if (name.indexOf('$') >= 0) {
            // generated names are derived from the field's, and '$' is JavaPoet's format character
            error("layer field '" + name + "' must not contain '$': Lamina derives the generated class's names from "
                    + "it; rename the field", field, mirror);
            ok = false;
        }
        for (Modifier m : List.of(Modifier.PRIVATE, Modifier.FINAL, Modifier.STATIC)) {
            if (field.getModifiers().contains(m)) {
                error("layer field '" + name + "' must not be " + m + ": the generated subclass assigns it",
                        field, mirror);
                ok = false;
            }
        }
        return ok;
    }

    private static Op op(VariableElement field, Class<? extends Annotation> kind) {
        if (kind == Dense.class) {
            Dense d = field.getAnnotation(Dense.class);
            return new Op.Dense(d.units(), Op.Act.of(d.activation(), d.alpha()), d.bias(), d.init(), d.initStd());
        }
        if (kind == Conv.class) {
            Conv c = field.getAnnotation(Conv.class);
            return new Op.Conv(c.filters(), c.kernel(), c.stride(), c.padding(), c.dilation(), c.bias(),
                    Op.Act.of(c.activation(), c.alpha()), c.init(), c.initStd(), c.groups());
        }
        if (kind == Pool.class) {
            Pool p = field.getAnnotation(Pool.class);
            return new Op.Pool(p.kind(), p.kernel(), p.stride() == 0 ? p.kernel() : p.stride(), p.padding(), false);
        }
        if (kind == BatchNorm.class) {
            BatchNorm b = field.getAnnotation(BatchNorm.class);
            return new Op.BatchNorm(b.momentum(), b.epsilon(), Op.Act.of(b.activation(), b.alpha()));
        }
        if (kind == Conv1d.class) {
            Conv1d c = field.getAnnotation(Conv1d.class);
            return new Op.Conv1d(c.filters(), c.kernel(), c.stride(), c.padding(), c.dilation(), c.bias(),
                    Op.Act.of(c.activation(), c.alpha()), c.init(), c.initStd());
        }
        if (kind == Upsample.class) {
            return new Op.Upsample(field.getAnnotation(Upsample.class).scale(), -1);
        }
        if (kind == ConvTranspose.class) {
            ConvTranspose c = field.getAnnotation(ConvTranspose.class);
            return new Op.ConvTranspose(c.filters(), c.kernel(), c.stride(), c.padding(), c.outputPadding(), c.bias(),
                    Op.Act.of(c.activation(), c.alpha()), c.init(), c.initStd());
        }
        if (kind == LocalResponseNorm.class) {
            LocalResponseNorm l = field.getAnnotation(LocalResponseNorm.class);
            return new Op.ResponseNorm(l.size(), l.alpha(), l.beta(), l.k());
        }
        if (kind == LayerNorm.class) {
            LayerNorm l = field.getAnnotation(LayerNorm.class);
            return new Op.LayerNorm(l.epsilon(), Op.Act.of(l.activation(), l.alpha()));
        }
        if (kind == Embedding.class) {
            return new Op.Embedding(field.getAnnotation(Embedding.class).dim());
        }
        if (kind == Concat.class) {
            return new Op.Concat();
        }
        if (kind == Residual.class) {
            Residual r = field.getAnnotation(Residual.class);
            return new Op.Residual(r.block(), r.filters(), r.stride(), r.repeat(), r.projection(),
                    Op.Act.of(r.activation(), Double.NaN), r.init(), List.of());
        }
        if (kind == LSTM.class) {
            LSTM l = field.getAnnotation(LSTM.class);
            return new Op.Recurrent(Op.Cell.LSTM, l.units(), l.returnSequences(), l.stateful(), l.peephole(),
                    l.coupled());
        }
        if (kind == GRU.class) {
            GRU g = field.getAnnotation(GRU.class);
            return new Op.Recurrent(Op.Cell.GRU, g.units(), g.returnSequences(), g.stateful(), false, false);
        }
        if (kind == RNN.class) {
            RNN r = field.getAnnotation(RNN.class);
            return new Op.Recurrent(Op.Cell.RNN, r.units(), r.returnSequences(), r.stateful(), false, false);
        }
        if (kind == Dropout.class) {
            return new Op.Dropout(field.getAnnotation(Dropout.class).rate());
        }
        return new Op.Flatten(false);
    }

    private static AnnotationMirror mirror(Element element, Class<? extends Annotation> annotation) {
        for (AnnotationMirror m : element.getAnnotationMirrors()) {
            if (m.getAnnotationType().toString().equals(annotation.getCanonicalName())) {
                return m;
            }
        }
        return null;
    }

    private static PackageElement packageOf(Element e) {
        while (!(e instanceof PackageElement p)) {
            e = e.getEnclosingElement();
        }
        return p;
    }

    private static String article(ElementKind kind) {
        return switch (kind) {
            case INTERFACE -> "an interface";
            case ENUM -> "an enum";
            case ANNOTATION_TYPE -> "an annotation type";
            case RECORD -> "a record";
            default -> kind.toString().toLowerCase(Locale.ROOT);
        };
    }

    private void error(String message, Element element, AnnotationMirror mirror) {
        messager.printMessage(Diagnostic.Kind.ERROR, message, element, mirror);
    }
}
