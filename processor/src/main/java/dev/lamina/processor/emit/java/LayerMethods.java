package dev.lamina.processor.emit.java;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.lamina.processor.graph.Node;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Each layer's part of a pass as a private method of its own ({@code stage1Bn1Forward(...)}), called in order by
 * {@code forwardRows} and {@code backwardRows}; the method takes the pass's locals that its code uses, as the
 * {@link LayerContext} recorded them.
 *
 * <p>Why methods: a pass runs once per batch, so HotSpot compiles a pass that holds every layer's loops through
 * on-stack replacement, once for each hot loop, each time the whole pass. On the peers' ResNet that was 60 such
 * compilations and 3.7 s of C2 time in the first epoch of a 2-core machine. A layer's method is small: it compiles
 * once, quickly, and its loops reach compiled code sooner.
 */
final class LayerMethods {
    /** The locals a pass may hand to a layer's method, in parameter order, with their types. */
    private static final List<Local> LOCALS = List.of(
            new Local("worker", JavaEmitter.WORKER), new Local("n", TypeName.INT), new Local("first", TypeName.INT),
            new Local("rows", TypeName.INT), new Local("arena", JavaEmitter.MEMORY),
            new Local("a", JavaEmitter.FLOAT_BUFFER), new Local("params", JavaEmitter.MEMORY),
            new Local("p", JavaEmitter.FLOAT_BUFFER), new Local("grads", JavaEmitter.MEMORY),
            new Local("g", JavaEmitter.FLOAT_BUFFER), new Local("training", TypeName.BOOLEAN),
            new Local("dropoutKey", TypeName.LONG), new Local("stats", JavaEmitter.FLOAT_BUFFER),
            new Local("indices", ArrayTypeName.of(TypeName.INT)));

    private final List<MethodSpec> methods = new ArrayList<>();
    private final Set<String> used = new LinkedHashSet<>();
    /** Another pass's methods this one calls where its layer's code is the same (null: none). */
    private final LayerMethods shared;
    /** The pass name in this pass's own methods' names when they differ from {@link #shared}'s. */
    private final String variant;

    LayerMethods() {
        this(null, null);
    }

    /**
     * Methods of a variant of a pass ({@code backwardToInput}): where a layer's part is the same code as in
     * {@code shared}, the variant calls that method; where it differs, it gets {@code <field><Variant>}.
     */
    LayerMethods(LayerMethods shared, String variant) {
        this.shared = shared;
        this.variant = variant;
    }

    /**
     * The call of {@code node}'s part of a pass, its code made into the method {@code <field><Pass>}; a part that
     * uses none of the pass's locals (a comment, or nothing) can do no work and stays where it is.
     */
    CodeBlock call(Node node, String pass, LayerCode.Part part) {
        CodeBlock code = part.code();
        if (part.locals().isEmpty()) {
            return code;
        }
        List<Local> parameters = LOCALS.stream().filter(local -> part.locals().contains(local.name())).toList();
        parameters.forEach(local -> used.add(local.name()));
        String arguments = String.join(", ", parameters.stream().map(Local::name).toList());
        String passName = Names.field(node) + capitalised(pass);
        String name = passName;
        if (shared != null) {
            if (shared.methods.stream().anyMatch(m -> m.name().equals(passName) && m.code().equals(code)
                    && m.parameters().size() == parameters.size())) {
                return CodeBlock.of("$L($L);\n", name, arguments);
            }
            name = Names.field(node) + capitalised(variant);
        }
        MethodSpec.Builder method = MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE)
                .addJavadoc("$L: its $L pass over one worker's rows.\n", LayerCode.describe(node),
                        shared == null ? pass : variant);
        parameters.forEach(local -> method.addParameter(local.type(), local.name()));
        methods.add(method.addCode(code).build());
        return CodeBlock.of("$L($L);\n", name, arguments);
    }

    /** A local the pass's own code uses (outside the layers' methods): the pass declares it. */
    void need(String local) {
        used.add(local);
    }

    private static String capitalised(String pass) {
        return Character.toUpperCase(pass.charAt(0)) + pass.substring(1);
    }

    /** Whether some layer's method takes the pass's local {@code name}: the pass declares only those. */
    boolean uses(String name) {
        return used.contains(name);
    }

    List<MethodSpec> methods() {
        return methods;
    }

    private record Local(String name, TypeName type) {
    }
}
