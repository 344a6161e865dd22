package dev.lamina.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A long short-term memory layer over a sequence input ({@code [steps, features]}, see {@link Network#steps}),
 * with PyTorch's gate order and parameters ({@code weight_ih [4 units, features]}, {@code weight_hh [4 units,
 * units]}, {@code bias_ih}, {@code bias_hh}):
 * <pre>
 * i = s(W_i x_t + U_i h_{t-1} + b_i)     f = s(W_f x_t + U_f h_{t-1} + b_f)
 * g = tanh(W_g x_t + U_g h_{t-1} + b_g)  o = s(W_o x_t + U_o h_{t-1} + b_o)
 * c_t = f * c_{t-1} + i * g              h_t = o * tanh(c_t)
 * </pre>
 * with {@code b = bias_ih + bias_hh} and a zero initial state. It is computed the fast way: the input projection
 * of every step in one GEMM, then per step one GEMM for the recurrent part and one fused pass for all four gates
 * and the cell; backpropagation through time mirrors it.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.FIELD)
public @interface LSTM {
    /** {@return size of the hidden and cell state; positive} */
    int units();

    /**
     * {@code false}: the output is the last step's hidden state, {@code [units]}; {@code true}: the hidden state
     * of every step, {@code [steps, units]} (to stack another recurrent layer on it).
     *
     * @return whether the output is every step's hidden state rather than the last step's
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

    /**
     * Peephole connections: the input and forget gates also see {@code c_{t-1}}, the output gate {@code c_t}, each
     * through a per-unit weight ({@code weight_peephole}).
     *
     * @return whether the gates have peephole connections
     */
    boolean peephole() default false;

    /**
     * Couples the input gate to the forget gate, {@code c_t = f c_{t-1} + (1 - f) g}: gates f, g, o only.
     *
     * @return whether the input gate is coupled to the forget gate
     */
    boolean coupled() default false;
}
