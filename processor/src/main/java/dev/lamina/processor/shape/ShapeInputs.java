package dev.lamina.processor.shape;

import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Shape;
import java.util.List;
import java.util.function.IntFunction;

/**
 * What a kind's shape rule may read: the shape of its main input (never null), the shapes of its further inputs
 * in order (null where unknown), and any node already shaped, by id (a max-unpooling reads its pool's).
 */
public record ShapeInputs(Shape in, List<Shape> others, IntFunction<Node> shaped) {

    /** A layer reading only {@code in}. */
    public static ShapeInputs of(Shape in) {
        return new ShapeInputs(in, List.of(), id -> {
            throw new IllegalArgumentException("no shaped node " + id + " here");
        });
    }

    /** Whether a dimension fits an int; SizesFitArrays reports the ones that do not. */
    public static boolean fits(long dimension) {
        return dimension <= Integer.MAX_VALUE;
    }

    /** {@code floor((n + 2 padding - kernel) / stride) + 1}, or 0 when the kernel does not fit. */
    public static int convolved(int n, int kernel, int stride, int padding) {
        int span = n + 2 * padding - kernel;
        return span < 0 ? 0 : span / stride + 1;
    }
}
