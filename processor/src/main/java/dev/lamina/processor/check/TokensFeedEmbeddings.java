package dev.lamina.processor.check;

import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKinds;

/** Token ids go into an Embedding and nothing else does: an embedding fed floats, or ids fed to a layer, is an error. */
final class TokensFeedEmbeddings implements Rule {
    @Override
    public void check(Graph graph, Diagnostics d) {
        boolean tokens = ((Op.Input) graph.input().op()).tokens() > 0;
        for (Node node : graph.layers()) {
            String name = "'" + node.name() + "' (" + node.op().kind() + ")";
            boolean readsInput = node.inputs().contains(graph.input().id());
            boolean embeds = OpKinds.of(node.op()).kind().readsTokens();
            if (embeds && !(tokens && readsInput)) {
                Node source = graph.node(node.input());
                d.error(node, name + " looks up token ids, but its input is " + (source.out() == null ? "unknown"
                        : "the floats " + source.out()) + " from '" + source.name() + "'; declare @Network(tokens = "
                        + "..., steps = ...) and make the embedding the first layer");
            } else if (tokens && readsInput && !embeds) {
                d.error(node, name + " reads the token ids of the input; put an @Embedding before it to turn them "
                        + "into vectors");
            }
        }
    }
}
