package dev.lamina.processor.ops.layernorm;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.ActivationCurvature;
import dev.lamina.processor.emit.java.SecondOrderContext;
import dev.lamina.processor.emit.java.SecondOrderJava;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.plan.LayerNorms;

/**
 * A LayerNorm layer's R-rules, per row (a sample, a step or an image position) over its {@code F} features
 * {@code j}: {@code xhat = (x - mu) s}, {@code s = 1 / sqrt(var + eps)} (the row's mean and biased variance),
 * {@code z_j = gamma_j xhat_j + beta_j}, {@code y = h(z)}, with {@code v_gamma}, {@code v_beta} the direction's
 * parts. The statistics are the row's in both modes, so the second-order terms through them are always there:
 * {@code R{xhat} = s (R{x} - mean R{x} - xhat K)}, {@code K = mean(xhat R{x})},
 * {@code R{z} = v_gamma xhat + gamma R{xhat} + v_beta}; backward, {@code g_z = h'(z) g_y},
 * {@code R{g_z} = h''(z) R{z} g_y + h'(z) R{g_y}}, {@code (H v)_gamma = sum_rows R{g_z} xhat + g_z R{xhat}},
 * {@code (H v)_beta = sum_rows R{g_z}}, and with {@code g_xhat = gamma g_z}, {@code A = mean g_xhat},
 * {@code B = mean(g_xhat xhat)}: {@code g_x = s (g_xhat - A - xhat B)},
 * {@code R{g_x} = -s K g_x + s (R{g_xhat} - R{A} - R{xhat} B - xhat R{B})}. The means are over the row's features;
 * the statistics are taken again in double from the float input, so the products are those of one function.
 */
final class LayerNormSecondOrder implements SecondOrderJava<Op.LayerNorm> {
    static final LayerNormSecondOrder RULES = new LayerNormSecondOrder();

    private LayerNormSecondOrder() {
    }

    @Override
    public CodeBlock rForward(Op.LayerNorm ln, Node node, SecondOrderContext c) {
        int features = node.in().features();
        int rows = LayerNorms.rows(node);
        boolean input = !c.readsNetworkInput();
        CodeBlock.Builder b = CodeBlock.builder();
        for (String own : new String[] {"Xhat", "Rxhat", "Rz"}) {
            b.addStatement("double[] $L = new double[n * $L]", c.own(own), node.out().size());
        }
        b.addStatement("double[] $L = new double[n * $L]", c.own("S"), rows);
        b.addStatement("double[] $L = new double[n * $L]", c.own("K"), rows);
        b.add("{\n").indent();
        b.addStatement("int in = $L", c.inRegion());
        b.addStatement("int o = $L", c.outRegion());
        b.beginControlFlow("for (int r = 0; r < n * $L; r++)", rows);
        b.addStatement("int at = r * $L", features);
        b.addStatement("double sum = 0");
        b.beginControlFlow("for (int j = 0; j < $L; j++)", features);
        b.addStatement("sum += a.get(in + at + j)");
        b.endControlFlow();
        b.addStatement("double mu = sum / $L", features);
        b.addStatement("double squares = 0");
        b.beginControlFlow("for (int j = 0; j < $L; j++)", features);
        b.addStatement("double d = a.get(in + at + j) - mu");
        b.addStatement("squares += d * d");
        b.endControlFlow();
        b.addStatement("double s = 1.0 / Math.sqrt(squares / $L + (double) $Lf)", features, (float) ln.epsilon());
        b.addStatement("$L[r] = s", c.own("S"));
        b.addStatement("double rmu = 0");
        b.addStatement("double k = 0");
        b.beginControlFlow("for (int j = 0; j < $L; j++)", features);
        b.addStatement("double xh = (a.get(in + at + j) - mu) * s");
        b.addStatement("$L[at + j] = xh", c.own("Xhat"));
        if (input) {
            b.addStatement("rmu += $L[at + j]", c.rIn());
            b.addStatement("k += xh * $L[at + j]", c.rIn());
        }
        b.endControlFlow();
        b.addStatement("rmu /= $L", features);
        b.addStatement("k /= $L", features);
        b.addStatement("$L[r] = k", c.own("K"));
        b.beginControlFlow("for (int j = 0; j < $L; j++)", features);
        b.addStatement("int x = at + j");
        b.addStatement("double xh = $L[x]", c.own("Xhat"));
        if (input) {
            b.addStatement("double rxh = s * ($L[x] - rmu - xh * k)", c.rIn());
            b.addStatement("$L[x] = rxh", c.own("Rxhat"));
            b.addStatement("double rz = v[$L + j] * xh + p.get($L + j) * rxh + v[$L + j]", c.constant("WEIGHT"),
                    c.constant("WEIGHT"), c.constant("BIAS"));
        } else {
            b.addStatement("double rz = v[$L + j] * xh + v[$L + j]", c.constant("WEIGHT"), c.constant("BIAS"));
        }
        b.addStatement("$L[x] = rz", c.own("Rz"));
        if (ln.activation().isIdentity()) {
            b.addStatement("$L[x] = rz", c.rOut());
        } else {
            b.addStatement("float y = a.get(o + x)");
            b.addStatement("$L[x] = $L * rz", c.rOut(), ActivationCurvature.first(ln.activation(), "y"));
        }
        b.endControlFlow();
        b.endControlFlow();
        b.unindent().add("}\n");
        return b.build();
    }

    @Override
    public CodeBlock rBackward(Op.LayerNorm ln, Node node, SecondOrderContext c) {
        int features = node.in().features();
        int rows = LayerNorms.rows(node);
        boolean input = !c.readsNetworkInput();
        Op.Act act = ln.activation();
        CodeBlock.Builder b = CodeBlock.builder();
        b.add("{\n").indent();
        b.addStatement("int o = $L", c.outRegion());
        b.addStatement("double[] gz = new double[$L]", features);
        b.addStatement("double[] rgz = new double[$L]", features);
        b.beginControlFlow("for (int r = 0; r < n * $L; r++)", rows);
        b.addStatement("int at = r * $L", features);
        b.addStatement("double sa = 0");
        b.addStatement("double sb = 0");
        b.addStatement("double ra = 0");
        b.addStatement("double rb = 0");
        b.beginControlFlow("for (int j = 0; j < $L; j++)", features);
        b.addStatement("int x = at + j");
        if (act.isIdentity()) {
            b.addStatement("gz[j] = $L[x]", c.dOut());
            b.addStatement("rgz[j] = $L[x]", c.rdOut());
        } else {
            b.addStatement("float y = a.get(o + x)");
            b.addStatement("double h1 = $L", ActivationCurvature.first(act, "y"));
            b.addStatement("double h2 = $L", ActivationCurvature.second(act, "y"));
            b.addStatement("gz[j] = h1 * $L[x]", c.dOut());
            b.addStatement("rgz[j] = h2 * $L[x] * $L[x] + h1 * $L[x]", c.own("Rz"), c.dOut(), c.rdOut());
        }
        b.addStatement("double xh = $L[x]", c.own("Xhat"));
        b.addStatement("double rxh = $L", input ? c.own("Rxhat") + "[x]" : "0");
        b.addStatement("out[$L + j] += rgz[j] * xh + gz[j] * rxh", c.constant("WEIGHT"));
        b.addStatement("out[$L + j] += rgz[j]", c.constant("BIAS"));
        b.addStatement("double gamma = p.get($L + j)", c.constant("WEIGHT"));
        b.addStatement("double gx = gamma * gz[j]");
        b.addStatement("double rgx = v[$L + j] * gz[j] + gamma * rgz[j]", c.constant("WEIGHT"));
        b.addStatement("sa += gx");
        b.addStatement("sb += gx * xh");
        b.addStatement("ra += rgx");
        b.addStatement("rb += rgx * xh + gx * rxh");
        b.endControlFlow();
        if (input) {
            b.addStatement("sa /= $L", features);
            b.addStatement("sb /= $L", features);
            b.addStatement("ra /= $L", features);
            b.addStatement("rb /= $L", features);
            b.addStatement("double s = $L[r]", c.own("S"));
            b.addStatement("double k = $L[r]", c.own("K"));
            b.beginControlFlow("for (int j = 0; j < $L; j++)", features);
            b.addStatement("int x = at + j");
            b.addStatement("double xh = $L[x]", c.own("Xhat"));
            b.addStatement("double gamma = p.get($L + j)", c.constant("WEIGHT"));
            b.addStatement("double gx = s * (gamma * gz[j] - sa - xh * sb)");
            b.addStatement("$L[x] += gx", c.dIn());
            b.addStatement("$L[x] += -s * k * gx + s * (v[$L + j] * gz[j] + gamma * rgz[j] - ra - $L[x] * sb "
                    + "- xh * rb)", c.rdIn(), c.constant("WEIGHT"), c.own("Rxhat"));
            b.endControlFlow();
        }
        b.endControlFlow();
        b.unindent().add("}\n");
        return b.build();
    }
}
