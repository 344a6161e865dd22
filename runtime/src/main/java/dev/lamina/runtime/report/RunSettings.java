package dev.lamina.runtime.report;

import dev.lamina.runtime.Layer;
import dev.lamina.runtime.metrics.Metric;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Trainer;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Internal, not API: a trainer's settings as the rows of the report's settings table. */
final class RunSettings {
    private RunSettings() {
    }

    /** The model, optimizer, learning rate, schedule, batch size, epochs, seed, loss, regularizer and metrics. */
    static Map<String, String> of(Trainer trainer) {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("model", trainer.model().name());
        rows.put("optimizer", optimizer(trainer.optimizer().rule()));
        rows.put("learning rate", number(trainer.optimizer().learningRate()));
        rows.put("schedule", describe(trainer.schedule()));
        rows.put("batch size", Integer.toString(trainer.batchSize()));
        rows.put("epochs", Integer.toString(trainer.epochs()));
        rows.put("seed", Long.toString(trainer.seed()));
        rows.put("loss", trainer.lossFunction() == null ? trainer.model().lossKind() + " (the network's own)"
                : describe(trainer.lossFunction()));
        rows.put("regularizer", trainer.regularizer() == null ? "none" : describe(trainer.regularizer()));
        rows.put("metrics", trainer.metrics().isEmpty() ? "none"
                : trainer.metrics().stream().map(Metric::name).collect(Collectors.joining(", ")));
        if (!trainer.frozen().isEmpty()) {
            rows.put("frozen layers", trainer.frozen().stream().map(Layer::name).collect(Collectors.joining(", ")));
        }
        return rows;
    }

    /** The rule's name and its non-zero constants. */
    private static String optimizer(Optimizer.Rule rule) {
        StringBuilder s = new StringBuilder(rule.name());
        String sep = " (";
        double[] values = {rule.momentum(), rule.rho1(), rule.rho2(), rule.delta(), rule.weightDecay()};
        String[] names = {"momentum", "rho1", "rho2", "delta", "weight decay"};
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0) {
                s.append(sep).append(names[i]).append(' ').append(number(values[i]));
                sep = ", ";
            }
        }
        return sep.equals(", ") ? s.append(')').toString() : s.toString();
    }

    /** The shortest decimal that reads back as {@code v}: 0.05, not 0.0500000. */
    private static String number(double v) {
        return Double.isFinite(v) ? BigDecimal.valueOf(v).stripTrailingZeros().toPlainString() : Double.toString(v);
    }

    /**
     * Its own {@code toString} when its class has one; else the class's name, that of a lambda's interface or an
     * anonymous class's enclosing class (Object's {@code Name@1b6d3586} says nothing to a reader).
     */
    static String describe(Object o) {
        try {
            if (o.getClass().getMethod("toString").getDeclaringClass() != Object.class) {
                return o.toString();
            }
        } catch (NoSuchMethodException e) {
            throw new AssertionError("every class has toString", e);
        }
        String name = o.getClass().getName();
        int lambda = name.indexOf("$$Lambda");
        if (lambda >= 0) {
            name = name.substring(0, lambda);
        }
        name = name.substring(name.lastIndexOf('.') + 1).replaceAll("\\$\\d+$", "");
        return name.replace('$', '.');
    }
}
