/**
 * Internal, not API: the numerical kernels (convolution and im2col, pooling, normalisation, recurrent cells,
 * reductions, ...) that the code the processor generates calls, one static method per step of a pass. The
 * generated class lives in the user's own module, so this package must be public and exported to everyone; its
 * classes and signatures change whenever the processor's output does. Users call {@link dev.lamina.runtime.Model}
 * and the packages beside this one; the published javadoc leaves this package out.
 */
package dev.lamina.runtime.kernels;
