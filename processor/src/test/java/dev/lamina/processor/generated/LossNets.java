package dev.lamina.processor.generated;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Conv;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Loss;
import dev.lamina.dsl.Network;
import dev.lamina.runtime.Layer;

/**
 * Networks that {@link LossFunctionTrainingTest} trains with losses written in Java and activity penalties (outside
 * nets/: no device checks needed). A network trained only with a Java loss declares the mean squared error: its
 * fused loss is not used, and nothing in it applies a softmax.
 */
final class LossNets {
    private LossNets() {
    }

    /** A regression through one tanh layer (the penalty's analytic gradient is written out for it). */
    @Network(input = {4}, loss = Loss.MEAN_SQUARED_ERROR)
    abstract static class Regression {
        @Dense(units = 8, activation = Activation.TANH) Layer hidden;
        @Dense(units = 2) Layer out;
    }

    /** An image output [2, 3, 3], stored channels last: the layout of the gradient a Java loss gives. */
    @Network(input = {2, 3, 3}, loss = Loss.MEAN_SQUARED_ERROR)
    abstract static class ImageRegression {
        @Conv(filters = 3, kernel = 3, padding = 1, activation = Activation.TANH) Layer conv;
        @Conv(filters = 2, kernel = 1, activation = Activation.TANH) Layer last;
    }

    /** Three classes from four features, scores from the last layer as they are. */
    @Network(input = {4})
    abstract static class Classifier {
        @Dense(units = 16, activation = Activation.RELU) Layer hidden;
        @Dense(units = 3) Layer out;
    }

    /** Segmentation: scores for 2 classes at each position of a 6 x 6 image. */
    @Network(input = {1, 6, 6}, loss = Loss.MEAN_SQUARED_ERROR)
    abstract static class Segmenter {
        @Conv(filters = 6, kernel = 3, padding = 1, activation = Activation.TANH) Layer features;
        @Conv(filters = 2, kernel = 1) Layer scores;
    }
}
