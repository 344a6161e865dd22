package dev.lamina.runtime.data;

import java.util.Arrays;

/**
 * Samples the {@link dev.lamina.runtime.train.Trainer} trains from, read a row at a time: from memory
 * ({@link Dataset}), from IDX files ({@link IdxSource}), from CSV ({@link CsvSource}) or from a folder of images
 * per class ({@link ImageFolder}). Only the rows of the batches being prepared are held in memory, so a source may
 * be larger than memory. {@link #read} may be called from several threads at once (the trainer's data workers).
 */
public interface DataSource {
    /** {@return the number of samples} */
    int size();

    /** {@return one sample's shape, channels first (for example {@code [1, 28, 28]})} */
    int[] shape();

    /** {@return floats per target row: the number of classes for one-hot targets} */
    int targetSize();

    /** {@return floats per sample: the product of {@link #shape()}} */
    default int featureSize() {
        return Arrays.stream(shape()).reduce(1, Math::multiplyExact);
    }

    /**
     * Writes sample {@code row}'s features at {@code features[featureOffset ..]} ({@link #featureSize()} floats,
     * channels first) and its target at {@code targets[targetOffset ..]} ({@link #targetSize()} floats). Safe to call
     * from several threads at once. A row that cannot be read (a bad file, a bad cell) is an
     * {@link java.io.UncheckedIOException} naming the file and the row.
     *
     * @param row the sample, in {@code [0, size())}
     * @param features where the features go
     * @param featureOffset the index of the first feature in {@code features}
     * @param targets where the target goes
     * @param targetOffset the index of the first target value in {@code targets}
     */
    void read(int row, float[] features, int featureOffset, float[] targets, int targetOffset);

    /**
     * {@return every sample in memory, in order: for a validation set read through a source; a {@link Dataset} returns
     * itself}
     */
    default Dataset load() {
        int n = size();
        int fs = featureSize();
        int ts = targetSize();
        float[] f = new float[Math.multiplyExact(n, fs)];
        float[] t = new float[Math.multiplyExact(n, ts)];
        for (int i = 0; i < n; i++) {
            read(i, f, i * fs, t, i * ts);
        }
        return new Dataset(f, shape(), t, ts);
    }
}
