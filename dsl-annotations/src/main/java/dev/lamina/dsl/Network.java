package dev.lamina.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an abstract class as a network. Its fields of type {@code dev.lamina.runtime.Layer}, annotated with layer
 * annotations ({@link Dense}, {@link Conv}, {@link Pool}, {@link BatchNorm}, {@link Dropout}, {@link Flatten},
 * {@link LSTM}, {@link GRU}, {@link RNN}, {@link Embedding}, {@link Residual}, {@link Concat}), are the layers,
 * run in declaration order. The processor generates {@code <ClassName>Net} in the same package (for a nested class
 * {@code Outer.Inner}: {@code Outer_InnerNet}), a final subclass that implements {@code dev.lamina.runtime.Model}.
 *
 * <p>Shapes are written as PyTorch writes them: {@code {channels, height, width}} for images, {@code {features}}
 * for vectors, {@code [steps, features]} for sequences. A flatten is inserted before a {@link Dense} that follows
 * an image; a {@link Dense} after a sequence applies to every step (as PyTorch's and Keras's do), and a loss on a
 * sequence output is taken at every step (softmax cross-entropy: the mean over steps and samples).
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.TYPE)
public @interface Network {
    /**
     * {@return the shape of one input sample: {@code {features}} or {@code {channels, height, width}}; with {@link
     * #steps}
     * the shape of one step, {@code {features}}; left out for {@link #tokens}}
     */
    int[] input() default {};

    /**
     * When positive, the input is a sequence of this many steps of {@code input} features each, stored step after
     * step ({@code [steps, features]}, row-major): an image whose rows are read as steps is already in that layout.
     * Recurrent layers ({@link LSTM}, {@link GRU}, {@link RNN}) need a sequence; a {@link Dense} after one applies
     * to each step ({@link Flatten} first to join the steps).
     *
     * @return the number of steps of a sequence input, or 0 for an input that is not a sequence
     */
    int steps() default 0;

    /**
     * When positive, the input is a sequence of {@link #steps} token ids in {@code [0, tokens)}, stored as floats
     * one per step ({@code input} is then left out); an {@link Embedding} turns them into vectors.
     *
     * @return the vocabulary size of a token input, or 0 for an input of features
     */
    int tokens() default 0;

    /** {@return the loss the network is trained with} */
    Loss loss() default Loss.SOFTMAX_CROSS_ENTROPY;

    /**
     * {@return label smoothing e for {@link Loss#SOFTMAX_CROSS_ENTROPY}: targets become {@code 1 - e} and {@code
     * e/(k-1)}}
     */
    double labelSmoothing() default 0.0;

    /**
     * {@return whether to fuse pointwise work into the pass after each GEMM (bias, activation, dropout)} {@code false}
     * generates one pass per operation: slower, for debugging and for checking that fusion changes nothing.
     */
    boolean fuse() default true;

    /**
     * {@return whether to generate the R-passes (Pearlmutter): exact Hessian-vector products of the training loss,
     * {@code Model.hessianVectorProduct}, and Gauss-Newton products, {@code Model.gaussNewtonVectorProduct}} Off by
     * default, and then the generated class is exactly what it is without this attribute. A layer whose kind has
     * no R-rules in such a network is a compile error on its annotation.
     */
    boolean secondOrder() default false;

    /**
     * {@return the arithmetic of the R-passes' products} {@link Precision#FLOAT} (the default) runs the GEMMs of
     * Dense layers and convolutions in float, as the gradient's do, and the element-wise rules in double;
     * {@link Precision#DOUBLE} runs everything in double. Read only with {@link #secondOrder}.
     */
    Precision secondOrderPrecision() default Precision.FLOAT;
}
