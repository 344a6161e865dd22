package dev.lamina.spark;

import dev.lamina.runtime.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/**
 * A training set on Spark, cut once into global batches and each batch into one share per partition, cached on the
 * executors (memory, spilling to disk): an RDD of one shard per partition. The rows are shuffled once when cut;
 * each epoch then visits the global batches in a new order ({@link SparkTrainer#shuffle}).
 */
public final class ShardedData {
    private final JavaRDD<Shard> shards;
    private final BatchPlan plan;
    private final int featureSize;
    private final int targetSize;

    private ShardedData(JavaRDD<Shard> shards, BatchPlan plan, int featureSize, int targetSize) {
        this.shards = shards;
        this.plan = plan;
        this.featureSize = featureSize;
        this.targetSize = targetSize;
    }

    /**
     * {@return the set held by the driver, shipped to the executors once} Fine for sets the driver holds anyway;
     * for larger ones use {@link #load}.
     *
     * @param context the Spark context
     * @param data the training set
     * @param globalBatch rows per optimizer step, summed over the partitions
     * @param partitions the number of partitions (each takes a share of every global batch)
     * @param seed the row order's seed (negative: the rows' own order)
     */
    public static ShardedData of(JavaSparkContext context, Dataset data, int globalBatch, int partitions, long seed) {
        BatchPlan plan = BatchPlan.of(data.size(), globalBatch, partitions, seed);
        List<Shard> list = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            list.add(Shard.cut(data, plan, p));
        }
        return cached(context.parallelize(list, partitions), plan, data.featureSize(), data.targetSize());
    }

    /**
     * {@return the set read on the executors by {@code loader}, each partition keeping its shares} The driver reads
     * it once too, for its size and shapes only.
     *
     * @param context the Spark context
     * @param loader reads the whole set, the same rows in the same order on every machine
     * @param globalBatch rows per optimizer step, summed over the partitions
     * @param partitions the number of partitions
     * @param seed the row order's seed (negative: the rows' own order)
     * @throws java.io.IOException when the driver cannot read the set
     */
    public static ShardedData load(JavaSparkContext context, DatasetLoader loader, int globalBatch, int partitions,
            long seed) throws java.io.IOException {
        Dataset probe = loader.load();
        BatchPlan plan = BatchPlan.of(probe.size(), globalBatch, partitions, seed);
        List<Integer> indices = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            indices.add(p);
        }
        JavaRDD<Shard> shards = context.parallelize(indices, partitions).map(p -> Shard.cut(loader.load(), plan, p));
        return cached(shards, plan, probe.featureSize(), probe.targetSize());
    }

    private static ShardedData cached(JavaRDD<Shard> shards, BatchPlan plan, int featureSize, int targetSize) {
        JavaRDD<Shard> kept = shards.persist(StorageLevel.MEMORY_AND_DISK());
        kept.count(); // cut and cache now, not inside the first step's timing
        return new ShardedData(kept, plan, featureSize, targetSize);
    }

    JavaRDD<Shard> shards() {
        return shards;
    }

    BatchPlan plan() {
        return plan;
    }

    /** {@return the rows of one optimizer step, summed over the partitions} */
    public int globalBatch() {
        return plan.batch();
    }

    /** {@return the number of partitions} */
    public int partitions() {
        return plan.partitions();
    }

    /** {@return the global batches (optimizer steps) per epoch} */
    public int batchesPerEpoch() {
        return plan.batches();
    }

    /** {@return floats per sample} */
    public int featureSize() {
        return featureSize;
    }

    /** {@return floats per target} */
    public int targetSize() {
        return targetSize;
    }

    /**
     * {@return the training set's row indices in the order the global batches take them: batch {@code b} is entries
     * {@code [b globalBatch, (b + 1) globalBatch)}} For checking against single-process training.
     *
     * @param rows the training set's size
     */
    public int[] rowOrder(int rows) {
        return plan.order(rows);
    }

    /** Drops the cached shards from the executors. */
    public void release() {
        shards.unpersist(false);
    }
}
