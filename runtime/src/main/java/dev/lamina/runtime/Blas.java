package dev.lamina.runtime;

import java.nio.DoubleBuffer;
import org.bytedeco.openblas.global.openblas;

/**
 * Internal, not API: called by the code the processor generates (which lives in the user's own module, so it must be
 * public); it may change in any release.
 *
 * <p>The one door to OpenBLAS: row-major single-precision GEMM with offsets into {@link Memory} blocks. OpenBLAS runs
 * single-threaded in the calling thread; parallelism comes from {@link Workers}, which give each core its own
 * slice of the batch (see there for why).
 */
public final class Blas {
    static {
        singleThreaded();
    }

    private Blas() {
    }

    static void singleThreaded() {
        openblas.blas_set_num_threads(1);
    }

    /**
     * {@code C = alpha op(A) op(B) + beta C}, row-major; op(A) is m x k, op(B) is k x n, C is m x n.
     *
     * @param transA whether op(A) is A transposed
     * @param transB whether op(B) is B transposed
     * @param m the rows of op(A) and C
     * @param n the columns of op(B) and C
     * @param k the columns of op(A) and rows of op(B)
     * @param alpha the product's scale
     * @param a the block holding A
     * @param aOffset where A starts in {@code a}
     * @param lda the leading dimension of A
     * @param b the block holding B
     * @param bOffset where B starts in {@code b}
     * @param ldb the leading dimension of B
     * @param beta the scale of C's old value (0: overwritten)
     * @param c the block holding C
     * @param cOffset where C starts in {@code c}
     * @param ldc the leading dimension of C
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            Memory a, int aOffset, int lda, Memory b, int bOffset, int ldb,
                            float beta, Memory c, int cOffset, int ldc) {
        openblas.cblas_sgemm(openblas.CblasRowMajor,
                transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans,
                m, n, k, alpha, a.at(0, aOffset), lda, b.at(1, bOffset), ldb, beta, c.at(2, cOffset), ldc);
    }

    /**
     * {@code C = alpha op(A) op(B) + beta C} in double, row-major, on Java arrays: {@link #gemm}'s twin for the
     * generated second-order passes, which work in double for exactness. JavaCPP copies the arrays in and out of
     * the call, a cost linear in their sizes against the product's cubic one.
     *
     * @param transA whether op(A) is A transposed
     * @param transB whether op(B) is B transposed
     * @param m the rows of op(A) and C
     * @param n the columns of op(B) and C
     * @param k the columns of op(A) and rows of op(B)
     * @param alpha the product's scale
     * @param a the array holding A
     * @param aOffset where A starts in {@code a}
     * @param lda the leading dimension of A
     * @param b the array holding B
     * @param bOffset where B starts in {@code b}
     * @param ldb the leading dimension of B
     * @param beta the scale of C's old value (0: overwritten)
     * @param c the array holding C
     * @param cOffset where C starts in {@code c}
     * @param ldc the leading dimension of C
     */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                             double[] a, int aOffset, int lda, double[] b, int bOffset, int ldb,
                             double beta, double[] c, int cOffset, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        // a wrapped buffer's position is the offset (JavaCPP honours it; a slice's array offset it does not)
        openblas.cblas_dgemm(openblas.CblasRowMajor,
                transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans,
                m, n, k, alpha, at(a, aOffset), lda, at(b, bOffset), ldb, beta, at(c, cOffset), ldc);
    }

    /**
     * {@link #dgemm(boolean, boolean, int, int, int, double, double[], int, int, double[], int, int, double, double[],
     * int, int) dgemm} on direct buffers, which OpenBLAS reads and writes in place (no copy in and out of the call);
     * the offsets count from index 0, whatever the buffers' positions.
     *
     * @param transA whether op(A) is A transposed
     * @param transB whether op(B) is B transposed
     * @param m the rows of op(A) and C
     * @param n the columns of op(B) and C
     * @param k the columns of op(A) and rows of op(B)
     * @param alpha the product's scale
     * @param a the direct buffer holding A
     * @param aOffset where A starts in {@code a}
     * @param lda the leading dimension of A
     * @param b the direct buffer holding B
     * @param bOffset where B starts in {@code b}
     * @param ldb the leading dimension of B
     * @param beta the scale of C's old value (0: overwritten)
     * @param c the direct buffer holding C
     * @param cOffset where C starts in {@code c}
     * @param ldc the leading dimension of C
     */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                             DoubleBuffer a, int aOffset, int lda, DoubleBuffer b, int bOffset, int ldb,
                             double beta, DoubleBuffer c, int cOffset, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        openblas.cblas_dgemm(openblas.CblasRowMajor,
                transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans,
                m, n, k, alpha, at(a, aOffset), lda, at(b, bOffset), ldb, beta, at(c, cOffset), ldc);
    }

    private static DoubleBuffer at(DoubleBuffer buffer, int offset) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("expected a direct buffer (read in place), found a heap buffer");
        }
        if (offset < 0 || offset > buffer.capacity()) {
            throw new IndexOutOfBoundsException("offset " + offset + " outside a buffer of " + buffer.capacity());
        }
        // a duplicate: the caller's buffer may be shared by workers, and JavaCPP reads the position as the offset
        return buffer.duplicate().clear().position(offset);
    }

    private static DoubleBuffer at(double[] array, int offset) {
        if (offset < 0 || offset > array.length) {
            throw new IndexOutOfBoundsException("offset " + offset + " outside an array of " + array.length);
        }
        return DoubleBuffer.wrap(array, offset, array.length - offset);
    }

    /**
     * {@code C[m x n] = A[m x k] B[n x k]^T}: a dense or convolution forward pass with the batch folded into m.
     *
     * @param m rows (the batch, times positions for a convolution)
     * @param n outputs per row
     * @param k inputs per row
     * @param a the block holding A
     * @param aOffset where A starts
     * @param w the block holding the weights
     * @param wOffset where they start
     * @param c the block holding C
     * @param cOffset where C starts
     */
    public static void forward(int m, int n, int k, Memory a, int aOffset, Memory w, int wOffset,
                               Memory c, int cOffset) {
        gemm(false, true, m, n, k, 1f, a, aOffset, k, w, wOffset, k, 0f, c, cOffset, n);
    }

    /**
     * {@code dW[n x k] += D[m x n]^T X[m x k]}: the weight gradient summed over the m rows, added to what
     * {@code dW} holds (a worker accumulates its slice of the batch chunk by chunk).
     *
     * @param m rows
     * @param n outputs per row
     * @param k inputs per row
     * @param delta the block holding the output gradient D
     * @param dOffset where D starts
     * @param x the block holding the layer's input X
     * @param xOffset where X starts
     * @param dw the block holding the weight gradient
     * @param dwOffset where it starts
     */
    public static void weightGradient(int m, int n, int k, Memory delta, int dOffset, Memory x, int xOffset,
                                      Memory dw, int dwOffset) {
        gemm(true, false, n, k, m, 1f, delta, dOffset, n, x, xOffset, k, 1f, dw, dwOffset, k);
    }

    /**
     * {@code dX[m x k] = D[m x n] W[n x k]}: the gradient with respect to the layer's input.
     *
     * @param m rows
     * @param n outputs per row
     * @param k inputs per row
     * @param delta the block holding the output gradient D
     * @param dOffset where D starts
     * @param w the block holding the weights
     * @param wOffset where they start
     * @param dx the block holding the input gradient
     * @param dxOffset where it starts
     */
    public static void inputGradient(int m, int n, int k, Memory delta, int dOffset, Memory w, int wOffset,
                                     Memory dx, int dxOffset) {
        gemm(false, false, m, k, n, 1f, delta, dOffset, n, w, wOffset, k, 0f, dx, dxOffset, k);
    }
}
