package dev.lamina.processor.diag;

import dev.lamina.processor.graph.Node;

/**
 * Where passes report user mistakes. The reader's implementation puts each message on the element and annotation
 * a node came from, so javac shows it on the annotation's line.
 */
public interface Diagnostics {

    /** An error on the annotation that declared {@code node}. */
    void error(Node node, String message);

    /** An error on the network class itself. */
    void error(String message);

    boolean hasErrors();
}
