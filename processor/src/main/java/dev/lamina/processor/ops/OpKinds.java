package dev.lamina.processor.ops;

import dev.lamina.processor.graph.Op;
import dev.lamina.processor.read.LayerAnnotation;
import dev.lamina.processor.ops.input.InputOp;
import dev.lamina.processor.ops.dense.DenseOp;
import dev.lamina.processor.ops.conv.ConvOp;
import dev.lamina.processor.ops.conv1d.Conv1dOp;
import dev.lamina.processor.ops.convtranspose.ConvTransposeOp;
import dev.lamina.processor.ops.upsample.UpsampleOp;
import dev.lamina.processor.ops.pool.PoolOp;
import dev.lamina.processor.ops.batchnorm.BatchNormOp;
import dev.lamina.processor.ops.residual.ResidualOp;
import dev.lamina.processor.ops.embedding.EmbeddingOp;
import dev.lamina.processor.ops.concat.ConcatOp;
import dev.lamina.processor.ops.add.AddOp;
import dev.lamina.processor.ops.recurrent.RecurrentOp;
import dev.lamina.processor.ops.layernorm.LayerNormOp;
import dev.lamina.processor.ops.reshape.ReshapeOp;
import dev.lamina.processor.ops.responsenorm.ResponseNormOp;
import dev.lamina.processor.ops.dropout.DropoutOp;
import dev.lamina.processor.ops.flatten.FlattenOp;
import java.util.List;

/**
 * The dispatch from an {@link Op} to its {@link OpKind}: the one place that lists every kind (a new kind registers
 * here; {@link OpKind} says what else it needs).
 */
public final class OpKinds {
    private OpKinds() {
    }

    /**
     * An op with its kind, typed together so that a caller can hand the op to the kind's methods; callers reach it
     * through a generic method ({@code <T extends Op> ... (Bound<T> b)}) so the wildcard is captured once.
     */
    public record Bound<T extends Op>(OpKind<T> kind, T op) {
    }

    /**
     * The kinds a field's annotation declares, in the order messages list their annotations (a field with two
     * layer annotations); a new kind with an annotation adds itself here.
     */
    private static final List<OpKind<?>> DECLARED = List.of(DenseOp.KIND, ConvOp.KIND, PoolOp.KIND,
            BatchNormOp.KIND, DropoutOp.KIND, FlattenOp.KIND, RecurrentOp.KIND, ResidualOp.KIND, ConcatOp.KIND,
            EmbeddingOp.KIND, LayerNormOp.KIND, ResponseNormOp.KIND, ConvTransposeOp.KIND, UpsampleOp.KIND,
            Conv1dOp.KIND, ReshapeOp.KIND);

    /**
     * The kinds a user-defined {@code @Block} may hold, layers that keep the data an image, in the order the
     * message about another layer lists them.
     */
    private static final List<OpKind<?>> IN_BLOCKS = List.of(ConvOp.KIND, BatchNormOp.KIND, LayerNormOp.KIND,
            ResponseNormOp.KIND, DropoutOp.KIND);

    private static final List<LayerAnnotation<?, ?>> ANNOTATIONS = annotationsOf(DECLARED);
    private static final List<LayerAnnotation<?, ?>> BLOCK_ANNOTATIONS = annotationsOf(IN_BLOCKS);

    /** Every layer annotation, each with how it becomes its op. */
    public static List<LayerAnnotation<?, ?>> annotations() {
        return ANNOTATIONS;
    }

    /** The layer annotations a user-defined {@code @Block}'s fields may carry. */
    public static List<LayerAnnotation<?, ?>> blockAnnotations() {
        return BLOCK_ANNOTATIONS;
    }

    /** The annotations of the kinds that have R-rules ({@link OpKind#secondOrder}), in declaration order. */
    public static List<String> withSecondOrder() {
        return DECLARED.stream().filter(kind -> kind.secondOrder() != null)
                .flatMap(kind -> kind.annotations().stream()).map(LayerAnnotation::label).toList();
    }

    private static List<LayerAnnotation<?, ?>> annotationsOf(List<OpKind<?>> kinds) {
        return kinds.stream().<LayerAnnotation<?, ?>>flatMap(kind -> kind.annotations().stream()).toList();
    }

    /** Whether {@code op} views its input with another shape (a flatten, a reshape): no region of its own. */
    public static boolean isView(Op op) {
        return of(op).kind().isView();
    }

    /** {@code op} with its kind. */
    public static Bound<?> of(Op op) {
        return op.accept(BIND);
    }

    private static final Op.Visitor<Bound<?>> BIND = new Op.Visitor<>() {
        @Override
        public Bound<?> visit(Op.Input op) {
            return new Bound<>(InputOp.KIND, op);
        }

        @Override
        public Bound<?> visit(Op.Dense op) {
            return new Bound<>(DenseOp.KIND, op);
        }

        @Override
        public Bound<?> visit(Op.Conv op) {
            return new Bound<>(ConvOp.KIND, op);
        }

        @Override
        public Bound<?> visit(Op.Conv1d op) {
            return new Bound<>(Conv1dOp.KIND, op);
        }

        @Override
        public Bound<?> visit(Op.ConvTranspose op) {
            return new Bound<>(ConvTransposeOp.KIND, op);
        }

        @Override
        public Bound<?> visit(Op.Upsample op) {
            return new Bound<>(UpsampleOp.KIND, op);
        }

        @Override
        public Bound<?> visit(Op.Pool op) {
            return new Bound<>(PoolOp.KIND, op);
        }

        @Override
        public Bound<?> visit(Op.BatchNorm op) {
            return new Bound<>(BatchNormOp.KIND, op);
        }

        @Override
        public Bound<?> visit(Op.Residual op) {
            return new Bound<>(ResidualOp.KIND, op);
        }

        @Override
        public Bound<?> visit(Op.Embedding op) {
            return new Bound<>(EmbeddingOp.KIND, op);
        }

        @Override
        public Bound<?> visit(Op.Concat op) {
            return new Bound<>(ConcatOp.KIND, op);
        }

        @Override
        public Bound<?> visit(Op.Add op) {
            return new Bound<>(AddOp.KIND, op);
        }

        @Override
        public Bound<?> visit(Op.Recurrent op) {
            return new Bound<>(RecurrentOp.KIND, op);
        }

        @Override
        public Bound<?> visit(Op.LayerNorm op) {
            return new Bound<>(LayerNormOp.KIND, op);
        }

        @Override
        public Bound<?> visit(Op.ResponseNorm op) {
            return new Bound<>(ResponseNormOp.KIND, op);
        }

        @Override
        public Bound<?> visit(Op.Dropout op) {
            return new Bound<>(DropoutOp.KIND, op);
        }

        @Override
        public Bound<?> visit(Op.Flatten op) {
            return new Bound<>(FlattenOp.KIND, op);
        }

        @Override
        public Bound<?> visit(Op.Reshape op) {
            return new Bound<>(ReshapeOp.KIND, op);
        }
    };
}
