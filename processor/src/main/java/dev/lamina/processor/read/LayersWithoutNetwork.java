package dev.lamina.processor.read;

import dev.lamina.dsl.Block;
import dev.lamina.dsl.Network;
import dev.lamina.processor.ops.OpKinds;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.processing.Messager;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;

/**
 * A class with layer fields but no {@code @Network}: Lamina would generate nothing for it, and the user would meet
 * only javac's "cannot find symbol" for the network class they expected. An error on the class, naming its layer
 * fields and the annotation it needs. A {@code @Block} class holds a residual stage's layers and a superclass of a
 * network has its own error ({@link Subclassable}): neither is reported here.
 */
public final class LayersWithoutNetwork {
    private LayersWithoutNetwork() {
    }

    /** Reports each class of this round that declares layer fields but is neither a network nor a block. */
    public static void report(Messager messager, RoundEnvironment round) {
        Set<TypeElement> owners = new LinkedHashSet<>();
        for (LayerAnnotation<?, ?> annotation : OpKinds.annotations()) {
            for (Element field : round.getElementsAnnotatedWith(annotation.type())) {
                if (field.getEnclosingElement() instanceof TypeElement owner) {
                    owners.add(owner);
                }
            }
        }
        Set<TypeElement> superclasses = superclassesOfNetworks(round);
        for (TypeElement owner : owners) {
            if (owner.getAnnotation(Network.class) == null && owner.getAnnotation(Block.class) == null
                    && !superclasses.contains(owner)) {
                String fields = layerFields(owner).stream().map(f -> "'" + f.getSimpleName() + "'")
                        .collect(Collectors.joining(", "));
                messager.printMessage(Diagnostic.Kind.ERROR, "class " + owner.getSimpleName() + " has layer fields ("
                        + fields + ") but no @Network, so Lamina generates nothing for it: it needs @Network(input = "
                        + "...) to be a network (generating " + NetworkReader.generatedName(owner) + "), or @Block to "
                        + "be the block of a @Residual stage", owner);
            }
        }
    }

    /** The fields of {@code owner} that carry a layer annotation, in declaration order. */
    private static List<VariableElement> layerFields(TypeElement owner) {
        return ElementFilter.fieldsIn(owner.getEnclosedElements()).stream()
                .filter(f -> OpKinds.annotations().stream().anyMatch(a -> a.isOn(f))).toList();
    }

    /** Every superclass of a network class of this round. */
    private static Set<TypeElement> superclassesOfNetworks(RoundEnvironment round) {
        Set<TypeElement> found = new HashSet<>();
        for (Element network : round.getElementsAnnotatedWith(Network.class)) {
            if (!(network instanceof TypeElement type)) {
                continue;
            }
            for (TypeMirror up = type.getSuperclass(); up.getKind() == TypeKind.DECLARED; ) {
                TypeElement superclass = (TypeElement) ((DeclaredType) up).asElement();
                found.add(superclass);
                up = superclass.getSuperclass();
            }
        }
        return found;
    }
}
