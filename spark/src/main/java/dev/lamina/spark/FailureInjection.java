package dev.lamina.spark;

import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;

/**
 * Internal, not API: for the fault-tolerance test, fails the first attempt of one partition's task at one step, so
 * that Spark retries it (which needs {@code spark.task.maxFailures} of at least 2: {@code local[N,2]}).
 *
 * @param step the optimizer step (from 1) whose task fails
 * @param partition the partition whose task fails
 */
record FailureInjection(long step, int partition) implements Serializable {
    /** How many failures were injected in this JVM (local mode: the test's). */
    static final AtomicInteger INJECTED = new AtomicInteger();

    void check(long currentStep, int currentPartition) {
        TaskContext task = TaskContext.get();
        if (currentStep == step && currentPartition == partition && task != null && task.attemptNumber() == 0) {
            INJECTED.incrementAndGet();
            throw new IllegalStateException("injected failure: step " + step + ", partition " + partition
                    + ", attempt 0");
        }
    }
}
