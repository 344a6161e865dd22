package dev.lamina.processor.read;

import dev.lamina.dsl.Block;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKinds;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.util.ElementFilter;

/**
 * A residual stage's user-defined block ({@code @Residual(custom = MyBlock.class)}): the {@code @Block} class's
 * layer fields become the stage's block layers. The class is read from the annotation's mirror, since reading a
 * {@code Class} attribute through the annotation itself fails at compile time.
 */
final class CustomBlocks {
    private CustomBlocks() {
    }

    /**
     * {@code residual} with its user-defined block's layers when {@code custom} names one; null after reporting a
     * class that cannot serve as a block.
     */
    static Op.Residual withBlock(ElementErrors errors, VariableElement field, AnnotationMirror mirror,
                                 Op.Residual residual) {
        TypeElement block = null;
        for (var entry : mirror.getElementValues().entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals("custom")
                    && entry.getValue().getValue() instanceof DeclaredType type) {
                block = (TypeElement) type.asElement();
            }
        }
        if (block == null || block.getQualifiedName().contentEquals("java.lang.Void")) {
            return residual;
        }
        String stage = "'" + field.getSimpleName() + "' (Residual)";
        if (block.getAnnotation(Block.class) == null) {
            errors.error(stage + " uses " + block.getSimpleName() + " as its block, but " + block.getSimpleName()
                    + " is not annotated @Block", field, mirror);
            return null;
        }
        List<Op.BlockLayer> layers = new ArrayList<>();
        boolean ok = true;
        // every layer of the block is checked, so that each of its mistakes is reported at once
        for (VariableElement member : ElementFilter.fieldsIn(block.getEnclosedElements())) {
            for (LayerAnnotation<?, ?> annotation : OpKinds.annotations()) {
                if (!annotation.isOn(member)) {
                    continue;
                }
                if (!inBlocks(annotation)) {
                    errors.error(stage + " uses block " + block.getSimpleName() + ", whose layer '"
                            + member.getSimpleName() + "' is a " + annotation.label() + "; a block holds "
                            + OpKinds.blockAnnotations().stream().map(LayerAnnotation::label).toList(), field, mirror);
                    ok = false;
                    continue;
                }
                AnnotationMirror memberMirror = ElementErrors.mirror(member, annotation.type());
                boolean nameOk = FieldChecks.nameOk(errors, member, memberMirror);
                boolean valuesOk = FiniteValues.check(errors.messager(), member, memberMirror, "block layer '"
                        + member.getSimpleName() + "' of " + stage);
                ok &= nameOk && valuesOk;
                layers.add(new Op.BlockLayer(member.getSimpleName().toString(), annotation.read(member)));
            }
        }
        if (!ok) {
            return null;
        }
        if (layers.isEmpty()) {
            errors.error(stage + " uses block " + block.getSimpleName() + ", which has no layer fields", field,
                    mirror);
            return null;
        }
        return new Op.Residual(residual.block(), residual.filters(), residual.stride(), residual.repeat(),
                residual.projection(), residual.activation(), residual.init(), List.copyOf(layers));
    }

    private static boolean inBlocks(LayerAnnotation<?, ?> annotation) {
        return OpKinds.blockAnnotations().stream().anyMatch(a -> a.type() == annotation.type());
    }
}
