package dev.lamina.processor.read;

import dev.lamina.processor.graph.Op;
import java.lang.annotation.Annotation;
import java.util.function.Function;
import javax.lang.model.element.Element;

/**
 * A layer annotation and how a field's annotation becomes its op (defaults resolved as the annotation documents
 * them), and which earlier layer it names in {@code from} ("" when it has no such attribute or leaves it out). Each
 * kind lists the annotations that declare it ({@code OpKind.annotations()}); the reader reads no annotation itself.
 *
 * @param <A> the annotation
 * @param <T> the op it declares
 */
public record LayerAnnotation<A extends Annotation, T extends Op>(Class<A> type, Function<A, T> op,
                                                                  Function<A, String> from) {
    /** An annotation without a {@code from} attribute. */
    public static <A extends Annotation, T extends Op> LayerAnnotation<A, T> of(Class<A> type, Function<A, T> op) {
        return new LayerAnnotation<>(type, op, a -> "");
    }

    /** This annotation, read with a {@code from} attribute. */
    public LayerAnnotation<A, T> withFrom(Function<A, String> newFrom) {
        return new LayerAnnotation<>(type, op, newFrom);
    }

    /** Whether {@code field} carries this annotation. */
    public boolean isOn(Element field) {
        return field.getAnnotation(type) != null;
    }

    /** The op this annotation on {@code field} declares. */
    public T read(Element field) {
        return op.apply(field.getAnnotation(type));
    }

    /** The layer this annotation on {@code field} names in {@code from}, "" for the one declared before it. */
    public String from(Element field) {
        return from.apply(field.getAnnotation(type));
    }

    /** The annotation as messages name it: {@code @Dense}. */
    public String label() {
        return "@" + type.getSimpleName();
    }
}
