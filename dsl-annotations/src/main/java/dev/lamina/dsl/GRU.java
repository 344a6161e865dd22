package dev.lamina.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A gated recurrent unit layer over a sequence input, in PyTorch's form (see the runtime's {@code Gru}):
 * {@code r = s(W_r x + b_ir + U_r h + b_hr)}, {@code z = s(W_z x + b_iz + U_z h + b_hz)},
 * {@code n = tanh(W_n x + b_in + r * (U_n h + b_hn))}, {@code h' = (1 - z) * n + z * h}: the reset gate scales the
 * recurrent projection, so one GEMM per step serves all three gates, and z keeps the old state (the slides write
 * {@code tanh(W[r h, x])} and let z keep the new one; the two are the same family, written differently).
 * Parameters {@code weight_ih [3 units, features]}, {@code weight_hh [3 units, units]}, {@code bias_ih},
 * {@code bias_hh}, gates in the order r, z, n.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface GRU {
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
