package dev.lamina.processor.read;

import dev.lamina.dsl.Concat;
import dev.lamina.dsl.Upsample;
import dev.lamina.processor.diag.NearestName;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKinds;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;

/**
 * The earlier layers a layer names: its {@code from}, a concatenation's parts, a max-unpooling's pool. Resolved
 * while reading, because the messages quote the name as written, which the graph no longer holds.
 */
final class LayerReferences {
    private LayerReferences() {
    }

    /**
     * The node ids a layer reads when it names them ({@code from}, or a concatenation's parts), empty for the
     * layer declared just before, null after reporting a name that is not an earlier layer field (with the nearest
     * earlier layer's name when it is close enough to be what was meant).
     */
    static List<Integer> inputs(ElementErrors errors, VariableElement field, AnnotationMirror mirror,
                                LayerAnnotation<?, ?> annotation, int id, List<String> earlier) {
        List<String> names = new ArrayList<>();
        Concat concat = field.getAnnotation(Concat.class);
        if (concat != null) {
            if (concat.withPrevious()) {
                if (id == 1) {
                    errors.error("'" + field.getSimpleName() + "' (Concat) joins the previous layer, but it is the "
                            + "first layer", field, mirror);
                    return null;
                }
                names.add(earlier.get(earlier.size() - 1));
            }
            names.addAll(List.of(concat.of()));
            if (names.size() < 2) {
                errors.error("'" + field.getSimpleName() + "' (Concat) needs at least two parts to join, found "
                        + names, field, mirror);
                return null;
            }
        } else {
            String from = annotation.from(field);
            if (from.isEmpty()) {
                return List.of();
            }
            names.add(from);
        }
        List<Integer> ids = new ArrayList<>();
        for (String name : names) {
            int index = earlier.indexOf(name);
            if (index < 0) {
                boolean later = ElementFilter.fieldsIn(field.getEnclosingElement().getEnclosedElements()).stream()
                        .anyMatch(f -> f.getSimpleName().contentEquals(name));
                errors.error("'" + field.getSimpleName() + "' reads '" + name + "', " + (later
                        ? "which is declared after it: a layer can only read layers declared before it"
                        : "which is not a layer field of " + field.getEnclosingElement().getSimpleName()
                                + NearestName.suggestion(name, earlier)),
                        field, mirror);
                return null;
            }
            ids.add(index + 1);
        }
        return ids;
    }

    /** The name of the max pool {@code field} unpools by, "" when it upsamples instead (or is no upsampling). */
    static String unpooled(VariableElement field) {
        Upsample upsample = field.getAnnotation(Upsample.class);
        return upsample == null ? "" : upsample.pool();
    }

    /**
     * The id of the earlier max pool a max-unpooling names; -1 after reporting one that is not (with the nearest
     * earlier max pool's name when the name is no layer's and close enough to that pool's).
     */
    static int pairedPool(ElementErrors errors, VariableElement field, AnnotationMirror mirror, List<String> earlier,
                          List<Node> nodes) {
        String name = unpooled(field);
        int index = earlier.indexOf(name);
        if (index < 0 || !isUnpoolable(OpKinds.of(nodes.get(index + 1).op()))) {
            // a name that is no earlier layer may be a misspelt max pool's; one that is a layer is no misspelling
            List<String> pools = new ArrayList<>();
            for (int i = 0; i < earlier.size(); i++) {
                if (isUnpoolable(OpKinds.of(nodes.get(i + 1).op()))) {
                    pools.add(earlier.get(i));
                }
            }
            errors.error("'" + field.getSimpleName() + "' (Upsample) unpools by '" + name + "', which is not a max "
                    + "pool declared before it" + (index < 0 ? NearestName.suggestion(name, pools) : ""), field,
                    mirror);
            return -1;
        }
        return index + 1;
    }

    private static <T extends Op> boolean isUnpoolable(OpKinds.Bound<T> b) {
        return b.kind().isUnpoolable(b.op());
    }
}
