package dev.lamina.spark;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.Workers;
import dev.lamina.runtime.train.Optimizer;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Internal, not API: the networks and local optimizers an executor JVM keeps between steps, per training run. A
 * network is driven by one task at a time, so concurrent tasks (several cores of one executor; all of
 * {@code local[N]}) each borrow their own, built once and computing on one thread: Spark's task slots are the
 * parallelism, and OpenBLAS runs single-threaded in the calling thread.
 */
final class ExecutorCache {
    private static final Map<String, Queue<Model>> MODELS = new ConcurrentHashMap<>();
    private static final Map<String, Optimizer> OPTIMIZERS = new ConcurrentHashMap<>();

    private ExecutorCache() {
    }

    static Model borrow(String run, ModelFactory factory) {
        Model model = MODELS.computeIfAbsent(run, k -> new ConcurrentLinkedQueue<>()).poll();
        if (model == null) {
            model = factory.create();
            model.useWorkers(Workers.create(1));
        }
        return model;
    }

    static void giveBack(String run, Model model) {
        MODELS.computeIfAbsent(run, k -> new ConcurrentLinkedQueue<>()).add(model);
    }

    /**
     * The optimizer of one partition in local SGD, kept to spare its allocation: each round sets its state from the
     * driver's average first.
     */
    static Optimizer optimizer(String run, int partition, OptimizerFactory factory) {
        return OPTIMIZERS.computeIfAbsent(run + "/" + partition, k -> factory.create());
    }

    static void forget(String run) {
        MODELS.remove(run);
        OPTIMIZERS.keySet().removeIf(k -> k.startsWith(run + "/"));
    }
}
