package dev.lamina.spark;

import dev.lamina.runtime.data.Dataset;
import java.io.IOException;
import java.io.Serializable;

/**
 * Reads the training set where it runs: on each executor, from storage every executor can read (a shared or
 * distributed file system), so that the driver never holds or ships the whole set. For example
 * {@code () -> Mnist.load(dir).train()}.
 */
@FunctionalInterface
public interface DatasetLoader extends Serializable {
    /**
     * {@return the whole training set, the same rows in the same order wherever it is read}
     *
     * @throws IOException when it cannot be read
     */
    Dataset load() throws IOException;
}
