package dev.lamina.processor.read;

import java.util.HashMap;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/** For each node id, the field and annotation it was read from: where its errors belong. */
public final class Origins {
    /** A field and the layer annotation on it. */
    public record Origin(Element element, AnnotationMirror annotation) {
    }

    private final TypeElement networkClass;
    private final AnnotationMirror networkAnnotation;
    private final Map<Integer, Origin> byNode = new HashMap<>();

    public Origins(TypeElement networkClass, AnnotationMirror networkAnnotation) {
        this.networkClass = networkClass;
        this.networkAnnotation = networkAnnotation;
    }

    void put(int nodeId, Origin origin) {
        byNode.put(nodeId, origin);
    }

    /** The node's origin; nodes the processor inserted (an implicit flatten) report on the class. */
    public Origin of(int nodeId) {
        return byNode.getOrDefault(nodeId, new Origin(networkClass, networkAnnotation));
    }

    public TypeElement networkClass() {
        return networkClass;
    }

    public AnnotationMirror networkAnnotation() {
        return networkAnnotation;
    }
}
