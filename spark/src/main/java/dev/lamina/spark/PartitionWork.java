package dev.lamina.spark;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.SparkAccess;
import java.io.Serializable;

/**
 * Internal, not API: what one partition computes, on an executor, with a network borrowed from {@link
 * ExecutorCache} and set to the driver's parameters first.
 *
 * @param run the training run's id (the executors' cache key)
 * @param factory builds the network
 * @param classifies whether to count correct classes
 * @param failure a failure to inject, or null
 */
record PartitionWork(String run, ModelFactory factory, boolean classifies, FailureInjection failure)
        implements Serializable {

    /** One synchronous step's share: the gradient of the mean loss over block {@code block} times its rows. */
    Contribution gradient(Shard shard, int block, long step, float[] parameters, float[] buffers) {
        if (failure != null) {
            failure.check(step, shard.partition);
        }
        Model model = ExecutorCache.borrow(run, factory);
        try {
            load(model, parameters, buffers);
            Contribution c = new Contribution();
            c.lossSum = pass(model, shard, block) * shard.share;
            c.correct = classifies ? SparkAccess.correct(model, shard.share) : 0;
            model.backward(shard.share);
            c.values = scaled(model.gradients().toArray(), shard.share);
            c.buffers = scaled(model.buffers().toArray(), shard.share);
            c.rows = shard.share;
            c.steps = 1;
            return c;
        } finally {
            ExecutorCache.giveBack(run, model);
        }
    }

    /**
     * Local SGD: {@code count} steps on blocks {@code first, first + 1, ...} with this partition's own optimizer;
     * returns the parameters (and statistics) reached, times the rows of a block.
     */
    Contribution localSteps(Shard shard, int[] blocks, long firstStep, float[] parameters, float[] buffers,
            OptimizerFactory optimizers, double learningRate) {
        if (failure != null) {
            failure.check(firstStep, shard.partition);
        }
        Model model = ExecutorCache.borrow(run, factory);
        try {
            load(model, parameters, buffers);
            Optimizer optimizer = ExecutorCache.optimizer(run, shard.partition, optimizers);
            optimizer.setLearningRate(learningRate);
            Contribution c = new Contribution();
            for (int block : blocks) {
                c.lossSum += pass(model, shard, block) * shard.share;
                c.correct += classifies ? SparkAccess.correct(model, shard.share) : 0;
                model.backward(shard.share);
                optimizer.step(model);
            }
            c.values = scaled(model.parameters().toArray(), shard.share);
            c.buffers = scaled(model.buffers().toArray(), shard.share);
            c.rows = shard.share;
            c.steps = blocks.length;
            return c;
        } finally {
            ExecutorCache.giveBack(run, model);
        }
    }

    private static void load(Model model, float[] parameters, float[] buffers) {
        model.parameters().floats().put(0, parameters);
        model.buffers().floats().put(0, buffers);
        model.parametersChanged();
        model.setTraining(true);
    }

    /** Forward pass and loss over one block of the shard; the model is left ready for its backward pass. */
    private static double pass(Model model, Shard shard, int block) {
        int rows = shard.share;
        model.reserve(rows);
        for (int r = 0; r < rows; r++) {
            int row = block * rows + r;
            model.setInput(r, shard.features, row * shard.featureSize);
            model.setTarget(r, shard.targets, row * shard.targetSize);
        }
        model.forward(rows);
        return model.loss(rows);
    }

    private static float[] scaled(float[] values, int factor) {
        for (int i = 0; i < values.length; i++) {
            values[i] *= factor;
        }
        return values;
    }
}
