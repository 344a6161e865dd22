package dev.lamina.spark;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.TrainingInternals;
import java.io.Serializable;
import java.util.Arrays;

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
            c.correct = classifies ? TrainingInternals.correct(model, shard.share) : 0;
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
     * Local SGD: steps on {@code blocks} with this partition's optimizer, which starts from the driver's
     * (averaged) {@code state} and step count, so that a retried task repeats the same steps; returns the
     * parameters, statistics and optimizer state reached, each times the rows of a block.
     */
    Contribution localSteps(Shard shard, int[] blocks, long firstStep, float[][] driver, int steps,
            OptimizerFactory optimizers, double learningRate) {
        Model model = ExecutorCache.borrow(run, factory);
        try {
            load(model, driver[0], driver[1]);
            Optimizer optimizer = ExecutorCache.optimizer(run, shard.partition, optimizers);
            TrainingInternals.setOptimizerState(optimizer, Arrays.copyOfRange(driver, 2, driver.length), steps);
            optimizer.setLearningRate(learningRate);
            Contribution c = new Contribution();
            for (int block : blocks) {
                c.lossSum += pass(model, shard, block) * shard.share;
                c.correct += classifies ? TrainingInternals.correct(model, shard.share) : 0;
                model.backward(shard.share);
                optimizer.step(model);
            }
            if (failure != null) { // after the steps: the retry must not start from the state they moved
                failure.check(firstStep, shard.partition);
            }
            c.values = scaled(model.parameters().toArray(), shard.share);
            c.buffers = scaled(model.buffers().toArray(), shard.share);
            c.state = scaled(flat(TrainingInternals.optimizerState(optimizer, model.parameterCount())), shard.share);
            c.rows = shard.share;
            c.steps = blocks.length;
            return c;
        } finally {
            ExecutorCache.giveBack(run, model);
        }
    }

    /** The state's slots one after the other (none: an empty array). */
    static float[] flat(float[][] slots) {
        int size = slots.length == 0 ? 0 : slots[0].length;
        float[] out = new float[slots.length * size];
        for (int s = 0; s < slots.length; s++) {
            System.arraycopy(slots[s], 0, out, s * size, size);
        }
        return out;
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
