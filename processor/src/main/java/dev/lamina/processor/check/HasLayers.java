package dev.lamina.processor.check;

import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.graph.Graph;

/** A network needs at least one layer. */
final class HasLayers implements Rule {
    @Override
    public void check(Graph graph, Diagnostics diagnostics) {
        if (graph.layers().isEmpty()) {
            diagnostics.error("network " + simpleName(graph) + " declares no layers: annotate fields of type "
                    + "dev.lamina.runtime.Layer with @Dense, @Conv, @Pool, @BatchNorm, @Dropout or @Flatten");
        }
    }

    static String simpleName(Graph graph) {
        String name = graph.userClass();
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
