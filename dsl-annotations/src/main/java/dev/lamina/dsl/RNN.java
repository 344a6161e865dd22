package dev.lamina.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An Elman recurrent layer over a sequence input: {@code h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)},
 * weights shared across time, a zero initial state; parameters as PyTorch's {@code nn.RNN}.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface RNN {
    /** {@return size of the hidden state; positive} */
    int units();

    /**
     * {@code false}: the last step's state, {@code [units]}; {@code true}: every step's, {@code [steps, units]}.
     *
     * @return whether the output is every step's state rather than the last step's
     */
    boolean returnSequences() default false;

    /**
     * Truncated backpropagation through time: each batch row starts from the state that row ended the previous
     * training batch with (zeros after {@code Model.resetStates()} or a change of batch size), and the gradient
     * stops at the batch boundary. Feed consecutive chunks of each sequence to the same row, unshuffled. Evaluation
     * starts from zeros.
     *
     * @return whether each row's state carries over from one batch to the next
     */
    boolean stateful() default false;
}
