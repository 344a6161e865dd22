package dev.lamina.processor.diag;

import dev.lamina.processor.graph.Node;
import java.util.HashSet;
import java.util.Set;

/**
 * Diagnostics that pass every error on and remember which nodes they were about, so that the pipeline can leave
 * those nodes (and what reads them) out of the checks that would reason from the refused attributes.
 */
public final class ReportedNodes implements Diagnostics {
    private final Diagnostics target;
    private final Set<Integer> nodes = new HashSet<>();
    private boolean errors;

    public ReportedNodes(Diagnostics target) {
        this.target = target;
    }

    @Override
    public void error(Node node, String message) {
        target.error(node, message);
        nodes.add(node.id());
        errors = true;
    }

    @Override
    public void error(String message) {
        target.error(message);
        errors = true;
    }

    /** Whether an error went through these diagnostics (the target may hold earlier ones). */
    @Override
    public boolean hasErrors() {
        return errors;
    }

    /** The ids of the nodes errors were reported on. */
    public Set<Integer> nodes() {
        return Set.copyOf(nodes);
    }
}
