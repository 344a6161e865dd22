package dev.lamina.runtime.analysis.hessian;

import java.util.SplittableRandom;

/** Internal, not API: the few double-vector operations the tools share. */
final class Vectors {
    private Vectors() {
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** {@code a <- a * s}. */
    static void scale(double[] a, double s) {
        for (int i = 0; i < a.length; i++) {
            a[i] *= s;
        }
    }

    /** {@code a <- a + s b}. */
    static void addScaled(double[] a, double s, double[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += s * b[i];
        }
    }

    /** A vector of independent standard normal values. */
    static double[] gaussian(int size, SplittableRandom random) {
        double[] v = new double[size];
        for (int i = 0; i < size; i += 2) {
            double u = 1 - random.nextDouble();
            double r = Math.sqrt(-2 * Math.log(u));
            double t = 2 * Math.PI * random.nextDouble();
            v[i] = r * Math.cos(t);
            if (i + 1 < size) {
                v[i + 1] = r * Math.sin(t);
            }
        }
        return v;
    }

    /** Refuses a vector that is not {@code size} long. */
    static void checkLength(String what, double[] v, int size) {
        if (v.length != size) {
            throw new IllegalArgumentException("expected " + what + " of " + size + " values (one per parameter),"
                    + " found " + v.length);
        }
    }
}
