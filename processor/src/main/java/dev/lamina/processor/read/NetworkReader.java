package dev.lamina.processor.read;

import dev.lamina.dsl.Network;
import dev.lamina.processor.diag.Unread;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKinds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;

/**
 * The first stage: a {@code @Network} class to a {@link Graph}. The only stage that touches javax.lang.model; it
 * checks what only the elements can tell (the class can be subclassed, the fields are layer handles, the names a
 * layer writes are earlier layers) and records where every node came from. Each kind reads its own annotation
 * ({@code OpKind.annotations}); the checks on the attributes themselves are rules in {@code check/}.
 */
public final class NetworkReader {
    /**
     * The graph, where its nodes came from, what the reader refused (the checks after it skip what depends on
     * that), and whether it reported any error. The graph is absent only when the type is not a class at all.
     */
    public record Result(Optional<Graph> graph, Origins origins, Unread unread, boolean reported) {
    }

    private final ElementErrors errors;
    private final Subclassable subclassable;

    public NetworkReader(ProcessingEnvironment env) {
        this.errors = new ElementErrors(env.getMessager());
        this.subclassable = new Subclassable(env.getMessager(), env.getElementUtils(), env.getTypeUtils());
    }

    /**
     * Reads {@code type} into a graph, reporting every mistake it can see and reading on past each: a refused
     * layer is still a node (so that later layers' references to it resolve) and is listed in {@link Unread}.
     */
    public Result read(TypeElement type) {
        AnnotationMirror networkMirror = ElementErrors.mirror(type, Network.class);
        Origins origins = new Origins(type, networkMirror);
        Network network = type.getAnnotation(Network.class);
        boolean classOk = ClassChecks.check(errors, type, networkMirror);
        boolean inputOk = InputChecks.check(errors, type, networkMirror, network);
        boolean valuesOk = FiniteValues.check(errors.messager(), type, networkMirror, "@Network");
        boolean ok = classOk && inputOk && valuesOk;
        if (type.getKind() == ElementKind.CLASS) {
            // its constructors and methods are mistakes of their own even in a class that is final or not abstract
            ok &= subclassable.check(type, networkMirror, OpKinds.annotations());
        }

        List<Node> nodes = new ArrayList<>();
        nodes.add(Node.of(0, "input", new Op.Input(Math.max(network.tokens(), 0)), -1));
        List<String> fields = new ArrayList<>();
        Set<Integer> unreadLayers = new HashSet<>();
        boolean referencesOk = true;
        for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            List<LayerAnnotation<?, ?>> present = OpKinds.annotations().stream().filter(a -> a.isOn(field)).toList();
            if (present.isEmpty()) {
                continue;
            }
            int id = nodes.size();
            LayerAnnotation<?, ?> annotation = present.get(0);
            AnnotationMirror mirror = ElementErrors.mirror(field, annotation.type());
            if (present.size() > 1) {
                errors.error("field '" + field.getSimpleName() + "' has " + present.size() + " layer annotations "
                        + present.stream().map(LayerAnnotation::label).toList() + "; declare one layer per field",
                        field, mirror);
                // read as its first annotation, so that the layers naming it resolve; the rules then skip it
                unreadLayers.add(id);
            }
            boolean fieldOk = FieldChecks.check(errors, field, mirror);
            boolean valuesWritten = FiniteValues.check(errors.messager(), field, mirror, "'" + field.getSimpleName()
                    + "' (" + annotation.type().getSimpleName() + ")");
            if (!valuesWritten) {
                unreadLayers.add(id);
            }
            ok &= fieldOk;
            Op op = annotation.read(field);
            // a stage's block class is a Class value, which only the mirror this reader holds can give
            if (op instanceof Op.Residual residual) {
                Op.Residual withBlock = CustomBlocks.withBlock(errors, field, mirror, residual);
                if (withBlock == null) {
                    unreadLayers.add(id);
                }
                op = withBlock != null ? withBlock : residual;
            }
            // pairing an unpooling with its pool reads the other fields, which only this reader holds
            if (op instanceof Op.Upsample up && !LayerReferences.unpooled(field).isEmpty()) {
                int pool = LayerReferences.pairedPool(errors, field, mirror, fields, nodes);
                if (pool > 0) {
                    op = new Op.Upsample(up.scale(), pool);
                    keepWinners(nodes, pool);
                } else {
                    unreadLayers.add(id);
                }
            }
            Node node = Node.of(id, field.getSimpleName().toString(), op, id - 1);
            List<Integer> inputs = LayerReferences.inputs(errors, field, mirror, annotation, id, fields);
            if (inputs == null) {
                referencesOk = false;
                unreadLayers.add(id);
            } else if (!inputs.isEmpty()) {
                node = node.withInput(inputs.get(0)).withOthers(inputs.subList(1, inputs.size()));
            }
            nodes.add(node);
            fields.add(field.getSimpleName().toString());
            origins.put(id, new Origins.Origin(field, mirror));
        }
        ok &= unreadLayers.isEmpty();
        if (inputOk) {
            nodes.set(0, nodes.get(0).withShapes(null, InputChecks.shape(network)));
        }
        String pkg = packageOf(type).getQualifiedName().toString();
        // a non-finite label smoothing was reported above: the rules see the default rather than report it again
        double labelSmoothing = valuesOk ? network.labelSmoothing() : 0;
        Graph graph = new Graph(pkg, type.getQualifiedName().toString(), generatedName(type), network.loss(),
                labelSmoothing, network.fuse(), nodes, fields, network.secondOrder(),
                network.secondOrderPrecision());
        // an interface, enum or record has had its fields checked, but is no class to check as a network
        return new Result(type.getKind() == ElementKind.CLASS ? Optional.of(graph) : Optional.empty(), origins,
                new Unread(!inputOk, !referencesOk, unreadLayers), !ok);
    }

    /** The max pool at {@code pool}, recording its winners for the unpooling that reads them. */
    private static void keepWinners(List<Node> nodes, int pool) {
        Node paired = nodes.get(pool);
        nodes.set(pool, new Node(paired.id(), paired.name(), ((Op.Pool) paired.op()).keepingWinners(),
                paired.input(), paired.in(), paired.out(), paired.dropout(), paired.dropoutName(), paired.pool(),
                paired.others(), paired.origin()));
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

    private static PackageElement packageOf(Element e) {
        while (!(e instanceof PackageElement p)) {
            e = e.getEnclosingElement();
        }
        return p;
    }
}
