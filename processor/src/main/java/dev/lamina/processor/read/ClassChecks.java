package dev.lamina.processor.read;

import java.util.Locale;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/** The network class is one Lamina can subclass: an abstract class, not final, private or inner. */
final class ClassChecks {
    private ClassChecks() {
    }

    /** Reports on {@code type} each way it cannot be a network class; false when there was one. */
    static boolean check(ElementErrors errors, TypeElement type, AnnotationMirror mirror) {
        boolean ok = true;
        String name = type.getSimpleName().toString();
        String generated = NetworkReader.generatedName(type);
        if (type.getKind() != ElementKind.CLASS) {
            errors.error("@Network goes on an abstract class, but " + name + " is " + article(type.getKind()), type,
                    mirror);
            return false;
        }
        if (!type.getModifiers().contains(Modifier.ABSTRACT)) {
            errors.error("network class " + name + " must be abstract: Lamina generates its subclass " + generated
                    + " with the forward and backward passes", type, mirror);
            ok = false;
        }
        if (type.getModifiers().contains(Modifier.FINAL)) {
            errors.error("network class " + name + " must not be final: Lamina generates its subclass " + generated,
                    type, mirror);
            ok = false;
        }
        if (type.getModifiers().contains(Modifier.PRIVATE)) {
            errors.error("network class " + name + " must not be private: its generated subclass lives beside it",
                    type, mirror);
            ok = false;
        }
        Element enclosing = type.getEnclosingElement();
        if ((enclosing.getKind().isClass() || enclosing.getKind().isInterface())
                && !type.getModifiers().contains(Modifier.STATIC)
                && enclosing.getKind() != ElementKind.INTERFACE) {
            errors.error("network class " + name + " is an inner class of " + enclosing.getSimpleName()
                    + "; make it static (or top level) so that " + generated
                    + " can be created without an enclosing instance", type, mirror);
            ok = false;
        }
        return ok;
    }

    private static String article(ElementKind kind) {
        return switch (kind) {
            case INTERFACE -> "an interface";
            case ENUM -> "an enum";
            case ANNOTATION_TYPE -> "an annotation type";
            case RECORD -> "a record";
            default -> kind.toString().toLowerCase(Locale.ROOT);
        };
    }
}
