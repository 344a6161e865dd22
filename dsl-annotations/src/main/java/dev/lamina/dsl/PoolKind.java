package dev.lamina.dsl;

/** What a {@link Pool} layer computes over each window. */
public enum PoolKind {
    /** The maximum; the backward pass routes the gradient to the argmax (first maximum on ties). */
    MAX,
    /** The mean over the window (padding never counts: windows always fit, see {@link Pool}). */
    AVERAGE,
    /** The mean over the whole spatial extent: {@code [C, H, W] -> [C, 1, 1]}. Kernel and stride are ignored. */
    GLOBAL_AVERAGE
}
