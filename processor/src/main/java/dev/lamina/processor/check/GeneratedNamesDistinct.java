package dev.lamina.processor.check;

import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.emit.java.Names;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.ops.OpKind;
import dev.lamina.processor.ops.OpKinds;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The generated class names its constants, methods and arrays after the layers ({@code fooBar -> FOO_BAR_OUT},
 * {@code fooBarForward}, a batch norm's {@code bnMean}): two layers that map to one name, or a layer field named like
 * a member the generated class declares, would be a compile error inside generated code. Reported on the later
 * layer, with the name to change.
 */
final class GeneratedNamesDistinct implements Rule {
    /** The members every generated class declares (JavaEmitter). */
    static final Set<String> GENERATED_FIELDS = Set.of("state", "batch", "forwardPass", "lossPass", "backwardPass");

    @Override
    public void check(Graph graph, Diagnostics d) {
        Map<String, Node> constants = new HashMap<>();
        Map<String, Node> identifiers = new HashMap<>();
        Set<String> members = new HashSet<>(GENERATED_FIELDS);
        for (Node node : graph.layers()) {
            OpKind<?> kind = OpKinds.of(node.op()).kind();
            if (kind.isView()) {
                continue; // a view (flatten, reshape) has no constants or methods of its own
            }
            Node other = constants.putIfAbsent(Names.constant(node.name()), node);
            if (other != null) {
                d.error(node, "layers '" + other.name() + "' and '" + node.name() + "' both name the generated "
                        + "constants " + Names.constant(node.name()) + "_...; rename '" + declared(graph, node) + "'");
                continue;
            }
            other = identifiers.putIfAbsent(Names.identifier(node.name()), node);
            if (other != null) {
                d.error(node, "layers '" + other.name() + "' and '" + node.name() + "' both name the generated "
                        + "methods " + Names.identifier(node.name()) + "Forward/Backward; rename '"
                        + declared(graph, node) + "'");
            }
            kind.memberSuffixes().forEach(suffix -> members.add(Names.identifier(node.name()) + suffix));
        }
        for (int i = 0; i < graph.layerFields().size(); i++) {
            String field = graph.layerFields().get(i);
            if (members.contains(field)) {
                Node node = reportable(graph, i + 1);
                if (node != null) {
                    d.error(node, "layer field '" + field + "' has the name of a member " + graph.generatedClass()
                            + " generates (" + (GENERATED_FIELDS.contains(field) ? "its network state and passes"
                            : "a batch norm's statistics") + "); rename the field");
                }
            }
        }
    }

    /** The user's field a node came from (a residual stage's, for its expanded layers). */
    private static String declared(Graph graph, Node node) {
        return node.origin() >= 1 && node.origin() <= graph.layerFields().size()
                ? graph.layerFields().get(node.origin() - 1) : node.name();
    }

    /** A node that reports on declared node {@code id}: itself, or one a residual stage expanded into. */
    private static Node reportable(Graph graph, int id) {
        for (Node node : graph.layers()) {
            if (node.origin() == id) {
                return node;
            }
        }
        return null;
    }
}
