package dev.lamina.runtime.metrics;

import dev.lamina.dsl.Loss;
import java.util.function.ToDoubleFunction;

/** A built-in {@link Metric}: a name, what it needs of the outputs, and how it reads {@link Predictions}. */
final class NamedMetric implements Metric {
    private final String name;
    private final Predictions.Need need;
    private final ToDoubleFunction<Predictions> figure;

    NamedMetric(String name, Predictions.Need need, ToDoubleFunction<Predictions> figure) {
        this.name = name;
        this.need = need;
        this.figure = figure;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double of(Predictions p) {
        p.check(need, name);
        return figure.applyAsDouble(p);
    }

    @Override
    public void check(Loss loss, int scoresPerStep) {
        need.check(loss, scoresPerStep, name);
    }

    @Override
    public String toString() {
        return name;
    }
}
