package ${package};

import static dev.lamina.dsl.Activation.RELU;

import dev.lamina.dsl.Conv;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Network;
import dev.lamina.dsl.Pool;
import dev.lamina.runtime.Layer;

/**
 * A small CNN for the 8x8 digits. Lamina's annotation processor reads this class when javac compiles it and
 * generates {@code DigitsCnnNet} beside it (in target/generated-sources/annotations), the class you train.
 */
@Network(input = {1, 8, 8})
public abstract class DigitsCnn {
    @Conv(filters = 16, kernel = 3, padding = 1, activation = RELU) Layer conv1;
    @Pool(kernel = 2)                                               Layer pool1;
    @Conv(filters = 32, kernel = 3, padding = 1, activation = RELU) Layer conv2;
    @Pool(kernel = 2)                                               Layer pool2;
    @Dense(units = 64, activation = RELU)                           Layer hidden;
    @Dense(units = 10)                                              Layer scores;
}
