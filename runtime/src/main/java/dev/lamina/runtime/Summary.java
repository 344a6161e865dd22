package dev.lamina.runtime;

import java.util.Arrays;

/** Formats a model as a table of layers, output shapes and parameter counts. */
final class Summary {
    private Summary() {
    }

    static String of(Model model) {
        StringBuilder s = new StringBuilder();
        String rule = "-".repeat(64) + "\n";
        s.append(model.name()).append(" (loss ").append(model.lossKind()).append(")\n").append(rule);
        s.append(String.format("%-20s %-12s %-18s %10s%n", "layer", "kind", "output", "params"));
        s.append(rule);
        s.append(String.format("%-20s %-12s %-18s %10d%n", "input", "", Arrays.toString(model.inputShape()), 0));
        for (Layer layer : model.layers()) {
            int params = layer.parameters().stream()
                    .filter(t -> t.kind() != Tensor.Kind.STATISTIC).mapToInt(Tensor::length).sum();
            s.append(String.format("%-20s %-12s %-18s %10d%n", layer.name(), layer.kind(),
                    Arrays.toString(layer.outputShape()), params));
        }
        s.append(rule).append(String.format("trainable parameters: %,d%n", model.parameterCount()));
        return s.toString();
    }
}
