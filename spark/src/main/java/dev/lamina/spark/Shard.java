package dev.lamina.spark;

import dev.lamina.runtime.data.Dataset;
import java.io.Serializable;

/**
 * Internal, not API: one partition's rows of every global batch, block after block. Block {@code b} holds this
 * partition's share of global batch {@code b}: rows {@code [b share, (b + 1) share)}. Built once and cached by
 * Spark; a step names a block.
 */
final class Shard implements Serializable {
    private static final long serialVersionUID = 1L;

    final int partition;
    final int share;
    final int blocks;
    final int featureSize;
    final int targetSize;
    final float[] features;
    final float[] targets;

    private Shard(int partition, int share, int blocks, int featureSize, int targetSize, float[] features,
            float[] targets) {
        this.partition = partition;
        this.share = share;
        this.blocks = blocks;
        this.featureSize = featureSize;
        this.targetSize = targetSize;
        this.features = features;
        this.targets = targets;
    }

    /**
     * Cuts partition {@code p}'s shard: global batch {@code b} is rows {@code order[b batch, (b + 1) batch)} of
     * {@code data}, and partition {@code p} takes its {@link BatchPlan#share} of them from {@link BatchPlan#start}.
     */
    static Shard cut(Dataset data, BatchPlan plan, int p) {
        int[] order = plan.order(data.size());
        int share = plan.share(p);
        int start = plan.start(p);
        int fs = data.featureSize();
        int ts = data.targetSize();
        float[] features = new float[plan.batches() * share * fs];
        float[] targets = new float[plan.batches() * share * ts];
        int row = 0;
        for (int b = 0; b < plan.batches(); b++) {
            for (int r = 0; r < share; r++, row++) {
                int i = order[b * plan.batch() + start + r];
                System.arraycopy(data.features(), i * fs, features, row * fs, fs);
                System.arraycopy(data.targets(), i * ts, targets, row * ts, ts);
            }
        }
        return new Shard(p, share, plan.batches(), fs, ts, features, targets);
    }
}
