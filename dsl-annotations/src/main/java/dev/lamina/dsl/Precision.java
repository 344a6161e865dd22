package dev.lamina.dsl;

/** The arithmetic a generated computation runs in, where a network may choose it ({@link Network#secondOrderPrecision}). */
public enum Precision {
    /**
     * Single precision, the precision of the network's parameters and of its forward and backward passes: the
     * products run as float GEMMs, like the gradient's, about twice as fast as in double.
     */
    FLOAT,
    /**
     * Double precision throughout: slower, for analyses that need more digits than float's seven (a Hessian's
     * small eigenvalues, symmetry checks, Newton steps on small networks).
     */
    DOUBLE
}
