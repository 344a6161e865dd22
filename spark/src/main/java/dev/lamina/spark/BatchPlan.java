package dev.lamina.spark;

import dev.lamina.runtime.Rng;
import java.io.Serializable;

/**
 * How the training rows become global batches and the batches' shares: the rows are shuffled once with {@link
 * #seed} (then fixed: the shards are cached), cut into {@link #batches} global batches of {@link #batch} rows (the
 * remainder left out, as {@code Trainer} does), and each global batch into {@link #partitions} consecutive shares,
 * the first {@code batch % partitions} one row larger.
 *
 * @param batch the global batch size
 * @param partitions the number of partitions
 * @param batches the global batches per epoch
 * @param seed the seed of the row order (a negative seed keeps the rows' own order)
 */
record BatchPlan(int batch, int partitions, int batches, long seed) implements Serializable {
    BatchPlan {
        if (batch < partitions) {
            throw new IllegalArgumentException("expected a global batch of at least one row per partition ("
                    + partitions + "), found " + batch);
        }
        if (batches < 1) {
            throw new IllegalArgumentException("expected at least one global batch of " + batch
                    + " rows, found a training set of fewer rows");
        }
    }

    static BatchPlan of(int rows, int batch, int partitions, long seed) {
        if (batch < 1 || partitions < 1) {
            throw new IllegalArgumentException("expected a positive batch size and partition count, found " + batch
                    + " and " + partitions);
        }
        return new BatchPlan(batch, partitions, rows / batch, seed);
    }

    int[] order(int rows) {
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        if (seed >= 0) {
            new Rng(seed).shuffle(order);
        }
        return order;
    }

    int share(int p) {
        return batch / partitions + (p < batch % partitions ? 1 : 0);
    }

    int start(int p) {
        return p * (batch / partitions) + Math.min(p, batch % partitions);
    }
}
