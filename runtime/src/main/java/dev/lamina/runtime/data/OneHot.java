package dev.lamina.runtime.data;

/** Class labels to one-hot rows. */
public final class OneHot {
    private OneHot() {
    }

    /**
     * {@return rows of {@code classes} floats, 1 at each label's index and 0 elsewhere; throws {@link
     * IllegalArgumentException}
     * for a label outside {@code [0, classes)}}
     *
     * @param labels the labels
     * @param classes the number of classes
     */
    public static float[] encode(int[] labels, int classes) {
        float[] out = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " of sample " + i + " is outside [0, "
                        + classes + ")");
            }
            out[i * classes + labels[i]] = 1f;
        }
        return out;
    }
}
