package dev.lamina.runtime.train;

/**
 * The learning rate for each epoch (counted from 0), from the optimizer's base rate. Schedules that react to
 * validation results (reduce on plateau) see each epoch's validation loss through {@link #observe(double)}.
 */
public interface LearningRateSchedule {

    /**
     * {@return the learning rate for {@code epoch} given the optimizer's base rate {@code base}}
     *
     * @param epoch the epoch, from 0
     * @param base the optimizer's learning rate when the fit began
     */
    double rate(int epoch, double base);

    /**
     * Hears the validation loss of the epoch just finished; schedules that do not react to it ignore it.
     *
     * @param validationLoss the mean loss on the validation set
     */
    default void observe(double validationLoss) {
    }

    /**
     * {@return the state a schedule keeps between epochs, for a training checkpoint; empty (the default) for a
     * schedule that is a function of the epoch alone. A schedule with state of its own overrides this and
     * {@link #restoreState}, or a resumed run does not continue it}
     */
    default double[] saveState() {
        return new double[0];
    }

    /**
     * Puts back what {@link #saveState} gave, when a run resumes from a training checkpoint.
     *
     * @param saved the state; the default accepts only an empty one
     * @throws IllegalArgumentException when {@code saved} does not fit this schedule
     */
    default void restoreState(double[] saved) {
        if (saved.length != 0) {
            throw new IllegalArgumentException("this schedule keeps no state, but the checkpoint holds "
                    + saved.length + " values: it was written with another schedule");
        }
    }

    /** {@return the base rate in every epoch (the default)} */
    static LearningRateSchedule constant() {
        return new Described("constant", (epoch, base) -> base);
    }

    /**
     * Multiplies the rate by {@code factor} every {@code every} epochs (divide by 10: factor 0.1).
     *
     * @param every epochs between reductions; at least 1
     * @param factor the multiplier, in (0, 1] to decay
     * @return the schedule
     */
    static LearningRateSchedule stepDecay(int every, double factor) {
        if (every < 1) {
            throw new IllegalArgumentException("step decay period must be >= 1 epoch, got " + every);
        }
        return new Described("stepDecay(every " + every + ", factor " + factor + ")",
                (epoch, base) -> base * Math.pow(factor, epoch / every));
    }

    /**
     * {@code eps_k = (1 - a) eps_0 + a eps_tau} with {@code a = k / tau}, then constant at {@code floor}.
     *
     * @param tau the epoch at which the decay ends; at least 1
     * @param floor the rate from epoch {@code tau} on
     * @return the schedule
     */
    static LearningRateSchedule linearDecay(int tau, double floor) {
        return new Described("linearDecay(tau " + tau + ", floor " + floor + ")", (epoch, base) -> {
            double a = Math.min(1.0, epoch / (double) tau);
            return (1 - a) * base + a * floor;
        });
    }

    /**
     * {@code a / (b + t)}, t the epoch; the base rate is ignored.
     *
     * @param a the numerator
     * @param b the offset of the epoch; positive, so that epoch 0 is defined
     * @return the schedule
     */
    static LearningRateSchedule inverseTime(double a, double b) {
        return new Described("inverseTime(a " + a + ", b " + b + ")", (epoch, base) -> a / (b + epoch));
    }

    /**
     * Multiplies the rate by {@code factor} after {@code patience} epochs without a lower validation loss.
     *
     * @param factor the multiplier, in (0, 1)
     * @param patience epochs without improvement before each reduction; at least 1
     * @return the schedule, which keeps its own state: use one per fit
     */
    static LearningRateSchedule reduceOnPlateau(double factor, int patience) {
        return new ReduceOnPlateau(factor, patience);
    }

    /** See {@link #reduceOnPlateau}. */
    final class ReduceOnPlateau implements LearningRateSchedule {
        private final double factor;
        private final int patience;
        private double best = Double.POSITIVE_INFINITY;
        private int bad;
        private double scale = 1;

        ReduceOnPlateau(double factor, int patience) {
            this.factor = factor;
            this.patience = patience;
        }

        @Override
        public double rate(int epoch, double base) {
            return base * scale;
        }

        @Override
        public double[] saveState() {
            return new double[] {best, bad, scale};
        }

        @Override
        public void restoreState(double[] saved) {
            if (saved.length != 3) {
                throw new IllegalArgumentException("expected the 3 values of a reduce-on-plateau schedule (best loss,"
                        + " epochs without improvement, scale), found " + saved.length);
            }
            best = saved[0];
            bad = (int) saved[1];
            scale = saved[2];
        }

        @Override
        public void observe(double validationLoss) {
            if (validationLoss < best) {
                best = validationLoss;
                bad = 0;
            } else if (++bad >= patience) {
                scale *= factor;
                bad = 0;
            }
        }

        @Override
        public String toString() {
            return "reduceOnPlateau(factor " + factor + ", patience " + patience + ")";
        }
    }

    /** A stateless schedule with the description a run report and a log show ({@code stepDecay(every 10, ...)}). */
    final class Described implements LearningRateSchedule {
        private final String description;
        private final LearningRateSchedule rule;

        private Described(String description, LearningRateSchedule rule) {
            this.description = description;
            this.rule = rule;
        }

        @Override
        public double rate(int epoch, double base) {
            return rule.rate(epoch, base);
        }

        @Override
        public String toString() {
            return description;
        }
    }
}
