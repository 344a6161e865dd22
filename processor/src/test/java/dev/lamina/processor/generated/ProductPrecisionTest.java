package dev.lamina.processor.generated;

import static dev.lamina.processor.generated.Fixtures.direction;
import static dev.lamina.processor.generated.Fixtures.largest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.analysis.hessian.FiniteDifferenceHvp.Mode;
import dev.lamina.runtime.analysis.hessian.GeneratedHvp;
import dev.lamina.runtime.analysis.hessian.HessianMatrix;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code @Network(secondOrderPrecision = ...)}: the products in float (the default: Dense and convolution GEMMs in
 * float) against their twins' in double, on networks that differ in nothing else, and the double products' symmetry
 * to double rounding (the other second-order tests run in float and bound the asymmetry by float rounding).
 */
class ProductPrecisionTest {
    private static final int N = 6;

    /** A network in float and its twin in double, created with the same seed. */
    private record Twins(Model inFloat, Model inDouble) {
    }

    private static List<Twins> twins() {
        return List.of(
                new Twins(SecondOrderNets_HiddenTanhNet.create(22), SecondOrderNets_HiddenTanhInDoubleNet.create(22)),
                new Twins(SecondOrderConvNets_LeNetNet.create(31), SecondOrderConvNets_LeNetInDoubleNet.create(31)));
    }

    @Test
    void productsInFloatAgreeWithProductsInDouble() {
        for (Twins pair : twins()) {
            Model f = pair.inFloat();
            Model d = pair.inDouble();
            assertArrayEquals(f.parameterArray(), d.parameterArray(), f.name() + ": the twins start equal");
            float[] x = Fixtures.gaussian(N * f.inputSize(), 41);
            float[] t = Fixtures.oneHot(N, 3, 42);
            double worst = 0;
            for (Mode mode : Mode.values()) {
                List<GeneratedHvp> floats = List.of(GeneratedHvp.of(f, x, t, N, mode),
                        GeneratedHvp.gaussNewton(f, x, t, N, mode));
                List<GeneratedHvp> doubles = List.of(GeneratedHvp.of(d, x, t, N, mode),
                        GeneratedHvp.gaussNewton(d, x, t, N, mode));
                for (int product = 0; product < 2; product++) {
                    for (long seed = 1; seed <= 3; seed++) {
                        double[] v = direction(floats.get(product).size(), 70 + seed);
                        double[] single = floats.get(product).apply(v);
                        double[] exact = doubles.get(product).apply(v);
                        double scale = largest(exact);
                        assertTrue(scale > 0, f.name() + ": a zero product checks nothing");
                        for (int k = 0; k < exact.length; k++) {
                            worst = Math.max(worst, Math.abs(single[k] - exact[k]) / scale);
                            // float GEMMs' sums round about 1e-7 apart; the bound leaves room for any BLAS kernel
                            assertEquals(exact[k], single[k], 1e-5 * scale, f.name() + " " + mode + " "
                                    + (product == 0 ? "H v" : "G v") + ": [" + k + "], direction " + seed);
                        }
                    }
                }
            }
            System.out.printf("%s: products in float against double, largest difference %.3g of the largest%n",
                    f.name(), worst);
        }
    }

    @Test
    void productsInDoubleAreSymmetricToDoubleRounding() {
        for (Twins pair : twins()) {
            Model d = pair.inDouble();
            HessianMatrix h = HessianMatrix.of(GeneratedHvp.of(d, Fixtures.gaussian(N * d.inputSize(), 23),
                    Fixtures.oneHot(N, 3, 24), N, Mode.INFERENCE));
            System.out.printf("%s: asymmetry of the products in double %.3g%n", d.name(), h.asymmetry());
            assertTrue(h.asymmetry() < 1e-9, d.name() + ": asymmetry " + h.asymmetry());
        }
    }
}
