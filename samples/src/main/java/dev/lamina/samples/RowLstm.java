package dev.lamina.samples;

import dev.lamina.dsl.Dense;
import dev.lamina.dsl.LSTM;
import dev.lamina.dsl.Network;
import dev.lamina.runtime.Layer;

/** The peers' {@code lstm}: an image's 28 rows read as 28 steps of 28 features, LSTM 128, last step to 10 classes. */
@Network(input = {28}, steps = 28)
public abstract class RowLstm {
    @LSTM(units = 128) Layer lstm;
    @Dense(units = 10) Layer out;
}
