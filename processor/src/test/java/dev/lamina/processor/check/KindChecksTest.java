package dev.lamina.processor.check;

import static com.google.common.truth.Truth.assertThat;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Init;
import dev.lamina.dsl.Loss;
import dev.lamina.dsl.PoolKind;
import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.ops.OpKinds;
import dev.lamina.processor.read.LayerAnnotation;
import dev.lamina.processor.shape.ShapeInference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules that ask each kind for its part (its sizes, values, fit and arrays), run on hand-built graphs without
 * javac; and the order in which the kinds register their annotations, which messages list.
 */
class KindChecksTest {
    /** The errors, each as "node: message" ("network: ..." for the class), in the order they were reported. */
    private static final class Collected implements Diagnostics {
        final List<String> errors = new ArrayList<>();

        @Override
        public void error(Node node, String message) {
            errors.add(node.name() + ": " + message);
        }

        @Override
        public void error(String message) {
            errors.add("network: " + message);
        }

        @Override
        public boolean hasErrors() {
            return !errors.isEmpty();
        }
    }

    /** A chain of {@code ops} after an input of {@code shape}, named l1, l2, ... */
    private static Graph graph(Shape shape, Op... ops) {
        List<Node> nodes = new ArrayList<>();
        nodes.add(Node.of(0, "input", new Op.Input(0), -1).withShapes(null, shape));
        List<String> fields = new ArrayList<>();
        for (Op op : ops) {
            int id = nodes.size();
            nodes.add(Node.of(id, "l" + id, op, id - 1));
            fields.add("l" + id);
        }
        return new Graph("test", "test.Net", "NetNet", Loss.MEAN_SQUARED_ERROR, 0, true, nodes, fields);
    }

    private static List<String> check(Rule rule, Graph graph) {
        Collected d = new Collected();
        rule.check(graph, d);
        return d.errors;
    }

    private static Op.Act identity() {
        return Op.Act.of(Activation.IDENTITY, Double.NaN);
    }

    @Test
    void sizesComeFromEachKind() {
        Graph g = graph(Shape.image(4, 8, 8),
                new Op.Pool(PoolKind.MAX, 0, 2, 3, false),
                new Op.ConvTranspose(2, 2, 2, -1, 2, true, identity(), Init.DEFAULT, 0.05),
                new Op.Dense(0, identity(), true, Init.DEFAULT, 0.05));
        assertThat(check(new PositiveSizes(), g)).containsExactly(
                "l1: kernel of 'l1' (Pool) must be positive, found 0",
                "l1: padding of 'l1' (Pool) must be between 0 and half the kernel (0), found 3",
                "l2: padding of 'l2' (ConvTranspose) must be >= 0, found -1",
                "l2: outputPadding of 'l2' (ConvTranspose) must be between 0 and stride - 1 (1), found 2",
                "l3: units of 'l3' (Dense) must be positive, found 0").inOrder();
    }

    @Test
    void aBlockLayerMayTakeTheStagesSizes() {
        Op.Conv staged = new Op.Conv(Op.Residual.STAGE, 3, Op.Residual.STAGE, 1, 1, false, identity(), Init.DEFAULT,
                0.05, 1);
        Op.Residual stage = new Op.Residual(dev.lamina.dsl.ResidualBlock.BASIC, 2, 1, 5000, true, identity(),
                Init.DEFAULT, List.of(new Op.BlockLayer("c", staged), new Op.BlockLayer("d", new Op.Dropout(1))));
        Graph g = graph(Shape.image(2, 8, 8), stage);
        assertThat(check(new PositiveSizes(), g)).isEmpty();
        assertThat(check(new SizesInRange(), g)).containsExactly(
                "l1: repeat of 'l1' (Residual) must be at most 1024, found 5000");
        assertThat(check(new ValuesInRange(), g)).containsExactly(
                "l1: rate of block layer 'd' of 'l1' (Dropout) must be in [0, 1), found 1.0");
    }

    @Test
    void valuesComeFromEachKind() {
        Graph g = graph(Shape.image(4, 8, 8),
                new Op.BatchNorm(2, 0, Op.Act.of(Activation.RELU6, 0)),
                new Op.ResponseNorm(3, -1, 1, 1));
        assertThat(check(new ValuesInRange(), g)).containsExactly(
                "l1: epsilon of 'l1' (BatchNorm) must be positive (at least 1.1755e-38, the smallest normal "
                        + "float) and at most 1, found 0.0",
                "l1: momentum of 'l1' (BatchNorm) must be in [0, 1], found 2.0",
                "l1: alpha (the cap) of 'l1' (BatchNorm)'s RELU6 must be in (0, 100], found 0.0",
                "l2: alpha of 'l2' (LocalResponseNorm) must be in [0, 1e6], found -1.0").inOrder();
    }

    @Test
    void eachKindSaysWhyItDoesNotFit() {
        Graph g = ShapeInference.infer(graph(Shape.vector(4),
                new Op.Recurrent(Op.Cell.GRU, 3, false, false, false, false)));
        assertThat(check(new LayerFitsInput(), g)).containsExactly("l1: 'l1' (GRU) is recurrent and needs a sequence "
                + "input [steps, features] (declare @Network(steps = ...) or stack it on a recurrent layer with "
                + "returnSequences = true), but its input is the vector [4]");
        g = ShapeInference.infer(graph(Shape.image(1, 2, 2), new Op.Pool(PoolKind.AVERAGE, 3, 3, 0, false)));
        assertThat(check(new LayerFitsInput(), g)).containsExactly(
                "l1: kernel 3x3 of 'l1' (Pool) is larger than its input 2x2 (input [1, 2, 2])");
    }

    @Test
    void annotationsInTheOrderMessagesListThem() {
        assertThat(OpKinds.annotations().stream().map(LayerAnnotation::label).toList()).containsExactly(
                "@Dense", "@Conv", "@Pool", "@BatchNorm", "@Dropout", "@Flatten", "@LSTM", "@GRU", "@RNN",
                "@Residual", "@Concat", "@Embedding", "@LayerNorm", "@LocalResponseNorm", "@ConvTranspose",
                "@Upsample", "@Conv1d", "@Reshape").inOrder();
        assertThat(OpKinds.blockAnnotations().stream().map(LayerAnnotation::label).toList()).containsExactly(
                "@Conv", "@BatchNorm", "@LayerNorm", "@LocalResponseNorm", "@Dropout").inOrder();
    }
}
