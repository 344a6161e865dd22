/**
 * Second-order tools over a Hessian-vector-product operator ({@link
 * dev.lamina.runtime.analysis.hessian.HessianVectorProduct}): the full Hessian from W products, Newton's step and
 * the optimal step size, the top eigenvalues by power iteration, the trace by Hutchinson's estimator and the
 * sharpness report; beside them the approximations that read the network directly: the Becker-LeCun diagonal and
 * the outer-product (Gauss-Newton) matrix with its Sherman-Morrison inverse. Today's operator is {@link
 * dev.lamina.runtime.analysis.hessian.FiniteDifferenceHvp}; an exact, generated one implements the same interface.
 */
package dev.lamina.runtime.analysis.hessian;
