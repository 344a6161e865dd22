package dev.lamina.processor.read;

import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.VariableElement;

/** A layer field is a handle the generated subclass can assign, with a name it can derive its own names from. */
final class FieldChecks {
    /** The field type generated classes fill in. */
    static final String LAYER_TYPE = "dev.lamina.runtime.Layer";

    private FieldChecks() {
    }

    /** Reports on {@code field} each way it cannot be a layer field; false when there was one. */
    static boolean check(ElementErrors errors, VariableElement field, AnnotationMirror mirror) {
        String name = field.getSimpleName().toString();
        String type = field.asType().toString();
        boolean ok = true;
        if (!type.equals(LAYER_TYPE)) {
            errors.error("layer field '" + name + "' must have type " + LAYER_TYPE + " (the handle the generated "
                    + "class fills in), found " + type, field, mirror);
            ok = false;
        }
        if (!nameOk(errors, field, mirror)) {
            ok = false;
        }
        for (Modifier m : List.of(Modifier.PRIVATE, Modifier.FINAL, Modifier.STATIC)) {
            if (field.getModifiers().contains(m)) {
                errors.error("layer field '" + name + "' must not be " + m + ": the generated subclass assigns it",
                        field, mirror);
                ok = false;
            }
        }
        return ok;
    }

    /** A layer field's name, a declared layer's or a block's, has no '$'; false after reporting one that has. */
    static boolean nameOk(ElementErrors errors, VariableElement field, AnnotationMirror mirror) {
        if (field.getSimpleName().toString().indexOf('$') < 0) {
            return true;
        }
        // generated names are derived from the field's, and '$' is JavaPoet's format character
        errors.error("layer field '" + field.getSimpleName() + "' must not contain '$': Lamina derives the generated "
                + "class's names from it; rename the field", field, mirror);
        return false;
    }
}
