package dev.lamina.processor.check;

import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.graph.Graph;

/** One compile-time check on a network. Each rule reports to the diagnostics and writes no code. */
public interface Rule {
    void check(Graph graph, Diagnostics diagnostics);
}
