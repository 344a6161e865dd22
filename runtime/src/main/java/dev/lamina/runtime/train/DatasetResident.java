package dev.lamina.runtime.train;

import dev.lamina.runtime.data.Dataset;

/**
 * Internal, not API: implemented by the gpu module's device-resident network; it may change in any release.
 *
 * <p>A model that keeps a whole training set in its own memory (the GPU path keeps it on the device, as PyTorch's
 * peer does) and takes each batch as row indices, so a step moves no features from the host.
 */
public interface DatasetResident {
    /**
     * Takes a copy of {@code data}'s features and targets; false when it cannot hold them (rows are fed then).
     *
     * @param data the training set
     * @return whether the model holds it now
     */
    boolean hold(Dataset data);

    /**
     * Makes rows {@code order[from, from + rows)} of the held data the next batch's inputs and targets.
     *
     * @param data the held data set
     * @param order the epoch's row order
     * @param from the batch's first position in {@code order}
     * @param rows the batch's size
     */
    void selectRows(Dataset data, int[] order, int from, int rows);
}
