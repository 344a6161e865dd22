package dev.lamina.processor.read;

import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Every real-valued attribute the user wrote is a finite float: NaN, an infinity or a double beyond float's range
 * would reach the generated source as {@code NaNf} or train on NaN. Checked on the written value (the reader only
 * sees the mirror here: a NaN default means "the activation's own default" and is not written).
 */
final class FiniteValues {
    private FiniteValues() {
    }

    /** Reports each non-finite value written in {@code mirror} on {@code element}; false when there was one. */
    static boolean check(Messager messager, Element element, AnnotationMirror mirror, String label) {
        boolean ok = true;
        for (var entry : mirror.getElementValues().entrySet()) {
            if (entry.getValue().getValue() instanceof Double value
                    && !(Math.abs(value) <= Float.MAX_VALUE)) {
                messager.printMessage(Diagnostic.Kind.ERROR, entry.getKey().getSimpleName() + " of " + label
                        + " must be a finite number, found " + value, element, mirror, entry.getValue());
                ok = false;
            }
        }
        return ok;
    }
}
