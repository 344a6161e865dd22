package dev.lamina.processor.read;

import dev.lamina.dsl.Network;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKinds;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
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
    /** The graph and where its nodes came from; the graph is absent when the class itself is unusable. */
    public record Result(Optional<Graph> graph, Origins origins) {
    }

    private final ElementErrors errors;
    private final Subclassable subclassable;

    public NetworkReader(ProcessingEnvironment env) {
        this.errors = new ElementErrors(env.getMessager());
        this.subclassable = new Subclassable(env.getMessager(), env.getElementUtils(), env.getTypeUtils());
    }

    public Result read(TypeElement type) {
        AnnotationMirror networkMirror = ElementErrors.mirror(type, Network.class);
        Origins origins = new Origins(type, networkMirror);
        Network network = type.getAnnotation(Network.class);
        boolean ok = ClassChecks.check(errors, type, networkMirror)
                & InputChecks.check(errors, type, networkMirror, network);
        ok &= FiniteValues.check(errors.messager(), type, networkMirror, "@Network");
        if (ok) {
            // the rest assumes a class that can be subclassed at all
            ok = subclassable.check(type, networkMirror, OpKinds.annotations());
        }

        List<Node> nodes = new ArrayList<>();
        nodes.add(Node.of(0, "input", new Op.Input(Math.max(network.tokens(), 0)), -1));
        List<String> fields = new ArrayList<>();
        for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            List<LayerAnnotation<?, ?>> present = OpKinds.annotations().stream().filter(a -> a.isOn(field)).toList();
            if (present.isEmpty()) {
                continue;
            }
            LayerAnnotation<?, ?> annotation = present.get(0);
            AnnotationMirror mirror = ElementErrors.mirror(field, annotation.type());
            if (present.size() > 1) {
                errors.error("field '" + field.getSimpleName() + "' has " + present.size() + " layer annotations "
                        + present.stream().map(LayerAnnotation::label).toList() + "; declare one layer per field",
                        field, mirror);
                ok = false;
                continue;
            }
            ok &= FieldChecks.check(errors, field, mirror);
            ok &= FiniteValues.check(errors.messager(), field, mirror, "'" + field.getSimpleName() + "' ("
                    + annotation.type().getSimpleName() + ")");
            int id = nodes.size();
            Op op = annotation.read(field);
            // a stage's block class is a Class value, which only the mirror this reader holds can give
            if (op instanceof Op.Residual residual) {
                Op.Residual withBlock = CustomBlocks.withBlock(errors, field, mirror, residual);
                ok &= withBlock != null;
                op = withBlock != null ? withBlock : residual;
            }
            // pairing an unpooling with its pool reads the other fields, which only this reader holds
            if (op instanceof Op.Upsample up && !LayerReferences.unpooled(field).isEmpty()) {
                int pool = LayerReferences.pairedPool(errors, field, mirror, fields, nodes);
                ok &= pool > 0;
                if (pool > 0) {
                    op = new Op.Upsample(up.scale(), pool);
                    keepWinners(nodes, pool);
                }
            }
            Node node = Node.of(id, field.getSimpleName().toString(), op, id - 1);
            List<Integer> inputs = LayerReferences.inputs(errors, field, mirror, annotation, id, fields);
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
        nodes.set(0, nodes.get(0).withShapes(null, InputChecks.shape(network)));
        String pkg = packageOf(type).getQualifiedName().toString();
        Graph graph = new Graph(pkg, type.getQualifiedName().toString(), generatedName(type), network.loss(),
                network.labelSmoothing(), network.fuse(), nodes, fields);
        return new Result(Optional.of(graph), origins);
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
