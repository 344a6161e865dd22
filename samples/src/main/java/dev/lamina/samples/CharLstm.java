package dev.lamina.samples;

import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Embedding;
import dev.lamina.dsl.LSTM;
import dev.lamina.dsl.Network;
import dev.lamina.runtime.Layer;

/**
 * A character-level language model: 32 characters of text in (ids in the {@link CharRnn#ALPHABET}), at every step
 * the distribution of the next character out.
 */
@Network(tokens = 36, steps = 32)
public abstract class CharLstm {
    @Embedding(dim = 16)                      Layer embed;
    @LSTM(units = 128, returnSequences = true) Layer lstm;
    @Dense(units = 36)                        Layer next;
}
