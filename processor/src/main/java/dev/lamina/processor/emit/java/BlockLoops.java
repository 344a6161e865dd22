package dev.lamina.processor.emit.java;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.lamina.processor.graph.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * The element-wise loops of the generated passes, each a small private static method of the generated class over
 * one block of heap arrays ({@code scaleShiftRelu(v, scale, shift, length)}), written once per distinct body and
 * shared by every layer that needs it.
 *
 * <p>Why methods and not loops inline in the pass: HotSpot's C2 vectorises a loop in a small method, but not the
 * same loop compiled as part of a pass of a few thousand bytecodes. Measured on the batch-norm backward kernel,
 * whose two loops moved into methods of their own: 78 µs per 28x28x16 image before, 18 µs after.
 */
public final class BlockLoops {
    private final Map<String, MethodSpec> methods = new LinkedHashMap<>();
    private final Map<String, String> namesByBody = new LinkedHashMap<>();

    /** {@code v[i] = f(v[i])}: an activation in place. */
    public String activation(Op.Act act) {
        return loop(lower(name(act)), "v = " + label(act, "v"), List.of("v"), CodeBlock.of("float u = v[i]"),
                CodeBlock.of("v[i] = $L", ActivationCode.apply(act, "u")));
    }

    /** {@code v[i] = f(v[i] + shift[i])}: a bias, tiled over the block's rows, and the activation. */
    public String bias(Op.Act act) {
        return loop("bias" + name(act), "v = " + label(act, "v + shift"), List.of("v", "shift"), CodeBlock.of("float u = v[i] + shift[i]"),
                CodeBlock.of("v[i] = $L", ActivationCode.apply(act, "u")));
    }

    /** {@code v[i] = f(scale[i] v[i] + shift[i])}: a batch norm's folded transform and the activation. */
    public String scaleShift(Op.Act act) {
        return loop("scaleShift" + name(act), "v = " + label(act, "scale v + shift"), List.of("v", "scale", "shift"), CodeBlock.of("float u = scale[i] * v[i] + shift[i]"),
                CodeBlock.of("v[i] = $L", ActivationCode.apply(act, "u")));
    }

    /** {@code v[i] = f(v[i] + s[i])}: a residual add and the activation after it. */
    public String add(Op.Act act) {
        return loop("add" + name(act), "v = " + label(act, "v + s"), List.of("v", "s"), CodeBlock.of("float u = v[i] + s[i]"),
                CodeBlock.of("v[i] = $L", ActivationCode.apply(act, "u")));
    }

    /** {@code v[i] = f(scale[i] v[i] + shift[i] + s[i])}: a residual add that applies its first operand's batch norm. */
    public String scaleShiftAdd(Op.Act act) {
        return loop("scaleShiftAdd" + name(act), "v = " + label(act, "scale v + shift + s"),
                List.of("v", "scale", "shift", "s"), CodeBlock.of("float u = scale[i] * v[i] + shift[i] + s[i]"),
                CodeBlock.of("v[i] = $L", ActivationCode.apply(act, "u")));
    }

    /** {@code v[i] = f(scale[i] v[i] + shift[i] + (scaleS[i] s[i] + shiftS[i]))}: both operands' batch norms. */
    public String scaleShiftAddScaleShift(Op.Act act) {
        return loop("scaleShiftAddScaleShift" + name(act), "v = " + label(act, "scale v + shift + (scaleS s + shiftS)"),
                List.of("v", "scale", "shift", "s", "scaleS", "shiftS"),
                CodeBlock.of("float u = scale[i] * v[i] + shift[i] + (scaleS[i] * s[i] + shiftS[i])"),
                CodeBlock.of("v[i] = $L", ActivationCode.apply(act, "u")));
    }

    /** {@code g[i] = g[i] f'(u)}, with the derivative written in terms of the output {@code y[i]}. */
    public String gradient(Op.Act act) {
        return loop(lower(name(act)) + "Gradient", "g = g " + lower(name(act)) + "'(u), from y = "
                + lower(name(act)) + "(u)", List.of("g", "y"),
                CodeBlock.of("g[i] = $L", ActivationCode.backward(act, "g[i]", "y[i]")));
    }

    /** The methods made so far, in the order they were first asked for. */
    List<MethodSpec> methods() {
        return new ArrayList<>(methods.values());
    }

    private String loop(String name, String doc, List<String> arrays, CodeBlock... statements) {
        CodeBlock.Builder body = CodeBlock.builder().beginControlFlow("for (int i = 0; i < length; i++)");
        for (CodeBlock statement : statements) {
            body.addStatement("$L", statement);
        }
        CodeBlock code = body.endControlFlow().build();
        String key = arrays + code.toString();
        String known = namesByBody.get(key);
        if (known != null) {
            return known;
        }
        // the same name with another body: an activation with another alpha
        String unique = name;
        for (int k = 2; methods.containsKey(unique); k++) {
            unique = name + k;
        }
        MethodSpec.Builder method = MethodSpec.methodBuilder(unique).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("{@code $L}, element by element over a block of {@code length} floats.\n", doc);
        for (String array : arrays) {
            method.addParameter(float[].class, array);
        }
        methods.put(unique, method.addParameter(int.class, "length").addCode(code).build());
        namesByBody.put(key, unique);
        return unique;
    }

    /** {@code LEAKY_RELU} as {@code LeakyRelu}; the identity as nothing ({@code bias}, {@code scaleShift}). */
    private static String name(Op.Act act) {
        if (act.isIdentity()) {
            return "";
        }
        StringBuilder name = new StringBuilder();
        for (String part : act.function().name().split("_")) {
            name.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }

    /** {@code relu(x)} for an activation of {@code x}, or {@code x} itself for the identity. */
    private static String label(Op.Act act, String x) {
        return act.isIdentity() ? x : lower(name(act)) + "(" + x + ")";
    }

    private static String lower(String name) {
        return name.isEmpty() ? "identity" : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
