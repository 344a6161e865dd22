package dev.lamina.processor.read;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;

/**
 * Checks that the generated subclass can extend the network class as written, so that javac never reports an error
 * inside generated code: a constructor it can call without arguments, no abstract method left for it to implement,
 * no method of the user's with the signature of one it declares, and no layer fields in a superclass (the reader
 * reads the network class's own fields; inheriting layers is not supported, and would silently lose them).
 */
final class Subclassable {
    /** The methods every generated class declares (JavaEmitter), by name and parameter types. */
    private static final Map<String, List<String>> GENERATED_METHODS = Map.of(
            "state", List.of(), "forward", List.of("int"), "loss", List.of("int"), "backward", List.of("int"),
            "output", List.of("int", "int"), "create", List.of("long"),
            "forwardRows", List.of("dev.lamina.runtime.Worker", "int", "int", "int"),
            "lossRows", List.of("dev.lamina.runtime.Worker", "int", "int", "int"),
            "backwardRows", List.of("dev.lamina.runtime.Worker", "int", "int", "int"));

    private final Messager messager;
    private final Elements elements;
    private final Types types;

    Subclassable(Messager messager, Elements elements, Types types) {
        this.messager = messager;
        this.elements = elements;
        this.types = types;
    }

    boolean check(TypeElement type, AnnotationMirror network, List<LayerAnnotation<?, ?>> layerAnnotations) {
        String name = type.getSimpleName().toString();
        String generated = NetworkReader.generatedName(type);
        boolean ok = constructor(type, network, name, generated);
        for (ExecutableElement method : ElementFilter.methodsIn(elements.getAllMembers(type))) {
            Element owner = method.getEnclosingElement();
            if (owner.toString().equals("java.lang.Object")) {
                continue;
            }
            boolean own = owner.equals(type);
            String where = own ? "" : " (inherited from " + owner.getSimpleName() + ")";
            if (method.getModifiers().contains(Modifier.ABSTRACT)) {
                error("abstract method " + signature(method) + " of " + name + where + " has no implementation: "
                        + generated + " implements only the network; implement the method in " + name
                        + " or remove it", own ? method : type, own ? null : network);
                ok = false;
            } else if (!method.getModifiers().contains(Modifier.PRIVATE) && clashes(method)) {
                error("method " + signature(method) + " of " + name + where + " has the signature of a method "
                        + generated + " generates; rename it", own ? method : type, own ? null : network);
                ok = false;
            }
        }
        for (TypeMirror up = type.getSuperclass(); up.getKind() == TypeKind.DECLARED; ) {
            TypeElement superclass = (TypeElement) ((DeclaredType) up).asElement();
            for (VariableElement field : ElementFilter.fieldsIn(superclass.getEnclosedElements())) {
                for (var annotation : layerAnnotations) {
                    if (annotation.isOn(field)) {
                        error("layer field '" + field.getSimpleName() + "' of " + superclass.getSimpleName()
                                + ", a superclass of network " + name + ", is not part of the network: Lamina reads "
                                + "the layers of " + name + " only; move the field into " + name, field, null);
                        ok = false;
                    }
                }
            }
            up = superclass.getSuperclass();
        }
        return ok;
    }

    /** The generated constructor calls {@code super()}: it must exist, not be private, and throw nothing checked. */
    private boolean constructor(TypeElement type, AnnotationMirror network, String name, String generated) {
        List<ExecutableElement> constructors = ElementFilter.constructorsIn(type.getEnclosedElements());
        ExecutableElement noArguments = constructors.stream().filter(c -> c.getParameters().isEmpty()).findFirst()
                .orElse(null);
        if (noArguments == null) {
            ExecutableElement first = constructors.get(0);
            error("constructor " + signature(first) + " takes arguments, but " + generated + " calls " + name
                    + "() when it creates the network; declare a constructor without arguments (not private)", first,
                    null);
            return false;
        }
        if (noArguments.getModifiers().contains(Modifier.PRIVATE)) {
            error("constructor " + name + "() must not be private: " + generated + " calls it", noArguments, null);
            return false;
        }
        TypeMirror unchecked = elements.getTypeElement("java.lang.RuntimeException").asType();
        TypeMirror error = elements.getTypeElement("java.lang.Error").asType();
        List<? extends TypeMirror> checked = noArguments.getThrownTypes().stream()
                .filter(t -> !types.isAssignable(t, unchecked) && !types.isAssignable(t, error)).toList();
        if (!checked.isEmpty()) {
            error("constructor " + name + "() must not throw checked exceptions " + checked + ": " + generated
                    + "'s create cannot declare them", noArguments, null);
            return false;
        }
        return true;
    }

    private boolean clashes(ExecutableElement method) {
        List<String> parameters = GENERATED_METHODS.get(method.getSimpleName().toString());
        return parameters != null && parameters.equals(method.getParameters().stream()
                .map(p -> types.erasure(p.asType()).toString()).collect(Collectors.toList()));
    }

    private static String signature(ExecutableElement method) {
        String name = method.getKind() == ElementKind.CONSTRUCTOR
                ? method.getEnclosingElement().getSimpleName().toString() : method.getSimpleName().toString();
        return name + method.getParameters().stream().map(p -> p.asType().toString())
                .collect(Collectors.joining(", ", "(", ")"));
    }

    private void error(String message, Element element, AnnotationMirror mirror) {
        messager.printMessage(Diagnostic.Kind.ERROR, message, element, mirror);
    }
}
