package dev.lamina.processor.read;

import java.lang.annotation.Annotation;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Where the reader's checks report: on an element and the annotation on it, so that javac shows the error on the
 * annotation's line. The reader reports straight to javac because it runs before there is a graph to report on.
 */
record ElementErrors(Messager messager) {
    void error(String message, Element element, AnnotationMirror mirror) {
        messager.printMessage(Diagnostic.Kind.ERROR, message, element, mirror);
    }

    /** The mirror of {@code annotation} on {@code element}, null when it has none. */
    static AnnotationMirror mirror(Element element, Class<? extends Annotation> annotation) {
        for (AnnotationMirror m : element.getAnnotationMirrors()) {
            if (m.getAnnotationType().toString().equals(annotation.getCanonicalName())) {
                return m;
            }
        }
        return null;
    }
}
