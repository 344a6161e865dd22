package dev.lamina.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How global batches are cut into the partitions' shares, and the factories' bad input; no Spark needed. */
class BatchPlanTest {

    @Test
    void sharesCoverEachGlobalBatchOnceInOrder() {
        BatchPlan plan = BatchPlan.of(100, 10, 3, -1);
        assertEquals(10, plan.batches());
        int next = 0;
        for (int p = 0; p < 3; p++) {
            assertEquals(next, plan.start(p));
            next += plan.share(p);
        }
        assertEquals(10, next);
        assertArrayEquals(new int[] {4, 3, 3}, new int[] {plan.share(0), plan.share(1), plan.share(2)});
    }

    @Test
    void theRowOrderIsAPermutationFixedByTheSeed() {
        int[] a = BatchPlan.of(50, 10, 2, 3).order(50);
        int[] sorted = a.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, sorted[i]);
        }
        assertArrayEquals(a, BatchPlan.of(50, 10, 2, 3).order(50));
    }

    @Test
    void aBatchSmallerThanThePartitionsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchPlan.of(100, 2, 4, 0));
        assertTrue(e.getMessage().contains("at least one row per partition (4), found 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BatchPlan.of(5, 8, 2, 0));
        assertTrue(e.getMessage().contains("fewer rows"), e.getMessage());
    }

    @Test
    void aGeneratedFactoryBuildsTheClassOrSaysWhatIsMissing() {
        assertArrayEquals(TinyCnnNet.create(7).parameterArray(),
                ModelFactory.generated(TinyCnnNet.class.getName(), 7).create().parameterArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelFactory.generated("dev.lamina.spark.NoSuchNet", 0).create());
        assertTrue(e.getMessage().contains("dev.lamina.spark.NoSuchNet"), e.getMessage());
    }
}
