package dev.lamina.processor.ops.batchnorm;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.ActivationCurvature;
import dev.lamina.processor.emit.java.Names;
import dev.lamina.processor.emit.java.SecondOrderContext;
import dev.lamina.processor.emit.java.SecondOrderJava;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * A BatchNorm layer's R-rules, per channel over the {@code m = n * positions} values of the batch:
 * {@code xhat = (x - mu) s}, {@code s = 1 / sqrt(var + eps)}, {@code z = gamma xhat + beta}, {@code y = h(z)},
 * with {@code v_gamma}, {@code v_beta} the direction's parts.
 *
 * <p>Training mode ({@code mu}, {@code var} the batch's, biased): {@code R{mu} = mean R{x}},
 * {@code R{var} = 2 mean((x - mu) R{x})}, so {@code R{xhat} = s (R{x} - mean R{x} - xhat K)} with
 * {@code K = mean(xhat R{x})} and {@code R{s} = -s^2 K}. Backward, with {@code g_xhat = gamma g_z},
 * {@code A = mean g_xhat}, {@code B = mean(g_xhat xhat)}: {@code g_x = s (g_xhat - A - xhat B)} and its R,
 * {@code R{g_x} = -s K g_x + s (R{g_xhat} - R{A} - R{xhat} B - xhat R{B})}, where
 * {@code R{g_xhat} = v_gamma g_z + gamma R{g_z}}, {@code R{A} = mean R{g_xhat}},
 * {@code R{B} = mean(R{g_xhat} xhat + g_xhat R{xhat})}. Inference mode (the running statistics, constants): the
 * layer is affine, {@code R{xhat} = s R{x}}, {@code g_x = s g_xhat}, {@code R{g_x} = s R{g_xhat}}. In both,
 * {@code R{z} = v_gamma xhat + gamma R{xhat} + v_beta}, {@code g_z = h'(z) g_y},
 * {@code R{g_z} = h''(z) R{z} g_y + h'(z) R{g_y}}, {@code (H v)_gamma = sum R{g_z} xhat + g_z R{xhat}},
 * {@code (H v)_beta = sum R{g_z}}.
 *
 * <p>The batch statistics are taken again in double from the float input, so the products are the exact ones of
 * one function (symmetric to rounding); the running ones are the forward pass's {@code Mean} and {@code InvStd}.
 * A norm that the residual add applies (fusion) has no activation and its output is never written: these rules
 * never read it then, and its {@code R} arrays are its own, which the add reads.
 */
final class BatchNormSecondOrder implements SecondOrderJava<Op.BatchNorm> {
    static final BatchNormSecondOrder RULES = new BatchNormSecondOrder();

    private BatchNormSecondOrder() {
    }

    @Override
    public CodeBlock rForward(Op.BatchNorm bn, Node node, SecondOrderContext c) {
        if (node.hasFusedDropout()) {
            // its mask would scale the output and both gradients: not in these rules (issue 18's dropout part)
            throw new IllegalStateException(node.name() + " (BatchNorm) has a fused dropout, which its R-rules "
                    + "do not cover");
        }
        int channels = node.in().channels();
        boolean input = !c.readsNetworkInput();
        CodeBlock.Builder b = CodeBlock.builder();
        for (String own : new String[] {"Xhat", "Rxhat", "Rz"}) {
            b.addStatement("double[] $L = new double[n * $L]", c.own(own), node.out().size());
        }
        b.addStatement("double[] $L = new double[$L]", c.own("S"), channels);
        b.addStatement("double[] $L = new double[$L]", c.own("K"), channels);
        b.add("{\n").indent();
        b.addStatement("int in = $L", c.inRegion());
        b.addStatement("int o = $L", c.outRegion());
        b.addStatement("int m = n * $L", positions(node));
        b.addStatement("boolean batch = state.isTraining()");
        b.beginControlFlow("for (int ch = 0; ch < $L; ch++)", channels);
        b.addStatement("double mu");
        b.addStatement("double s");
        b.beginControlFlow("if (batch)");
        b.addStatement("double sum = 0");
        b.beginControlFlow("for (int i = 0; i < m; i++)");
        b.addStatement("sum += a.get(in + i * $L + ch)", channels);
        b.endControlFlow();
        b.addStatement("mu = sum / m");
        b.addStatement("double squares = 0");
        b.beginControlFlow("for (int i = 0; i < m; i++)");
        b.addStatement("double d = a.get(in + i * $L + ch) - mu", channels);
        b.addStatement("squares += d * d");
        b.endControlFlow();
        b.addStatement("s = 1.0 / Math.sqrt(squares / m + (double) $Lf)", (float) bn.epsilon());
        b.nextControlFlow("else");
        b.addStatement("mu = $L[ch]", Names.normField(node, "Mean"));
        b.addStatement("s = $L[ch]", Names.normField(node, "InvStd"));
        b.endControlFlow();
        b.addStatement("$L[ch] = s", c.own("S"));
        b.addStatement("double rmu = 0");
        b.addStatement("double k = 0");
        b.beginControlFlow("for (int i = 0; i < m; i++)");
        b.addStatement("int x = i * $L + ch", channels);
        b.addStatement("double xh = (a.get(in + x) - mu) * s");
        b.addStatement("$L[x] = xh", c.own("Xhat"));
        if (input) {
            b.addStatement("rmu += $L[x]", c.rIn());
            b.addStatement("k += xh * $L[x]", c.rIn());
        }
        b.endControlFlow();
        b.beginControlFlow("if (batch)");
        b.addStatement("rmu /= m");
        b.addStatement("k /= m");
        b.nextControlFlow("else");
        // the running statistics do not move with the batch
        b.addStatement("rmu = 0");
        b.addStatement("k = 0");
        b.endControlFlow();
        b.addStatement("$L[ch] = k", c.own("K"));
        b.addStatement("double gamma = p.get($L + ch)", c.constant("WEIGHT"));
        b.addStatement("double vg = v[$L + ch]", c.constant("WEIGHT"));
        b.addStatement("double vb = v[$L + ch]", c.constant("BIAS"));
        b.beginControlFlow("for (int i = 0; i < m; i++)");
        b.addStatement("int x = i * $L + ch", channels);
        b.addStatement("double xh = $L[x]", c.own("Xhat"));
        if (input) {
            b.addStatement("double rxh = s * ($L[x] - rmu - xh * k)", c.rIn());
            b.addStatement("$L[x] = rxh", c.own("Rxhat"));
            b.addStatement("double rz = vg * xh + gamma * rxh + vb");
        } else {
            b.addStatement("double rz = vg * xh + vb");
        }
        b.addStatement("$L[x] = rz", c.own("Rz"));
        if (bn.activation().isIdentity()) {
            b.addStatement("$L[x] = rz", c.rOut());
        } else {
            b.addStatement("float y = a.get(o + x)");
            b.addStatement("$L[x] = $L * rz", c.rOut(), ActivationCurvature.first(bn.activation(), "y"));
        }
        b.endControlFlow();
        b.endControlFlow();
        b.unindent().add("}\n");
        return b.build();
    }

    @Override
    public CodeBlock rBackward(Op.BatchNorm bn, Node node, SecondOrderContext c) {
        int channels = node.in().channels();
        boolean input = !c.readsNetworkInput();
        CodeBlock.Builder b = CodeBlock.builder();
        b.add("{\n").indent();
        b.addStatement("int o = $L", c.outRegion());
        b.addStatement("int m = n * $L", positions(node));
        b.addStatement("boolean batch = state.isTraining()");
        b.addStatement("double[] gz = new double[m]");
        b.addStatement("double[] rgz = new double[m]");
        b.beginControlFlow("for (int ch = 0; ch < $L; ch++)", channels);
        b.addStatement("double gamma = p.get($L + ch)", c.constant("WEIGHT"));
        b.addStatement("double vg = v[$L + ch]", c.constant("WEIGHT"));
        b.addStatement("double hvGamma = 0");
        b.addStatement("double hvBeta = 0");
        b.addStatement("double sa = 0");
        b.addStatement("double sb = 0");
        b.addStatement("double ra = 0");
        b.addStatement("double rb = 0");
        b.beginControlFlow("for (int i = 0; i < m; i++)");
        b.addStatement("int x = i * $L + ch", channels);
        gradientAtZ(b, bn.activation(), c);
        b.addStatement("double xh = $L[x]", c.own("Xhat"));
        b.addStatement("double rxh = $L", input ? c.own("Rxhat") + "[x]" : "0");
        b.addStatement("hvGamma += rgz[i] * xh + gz[i] * rxh");
        b.addStatement("hvBeta += rgz[i]");
        b.addStatement("double gx = gamma * gz[i]");
        b.addStatement("double rgx = vg * gz[i] + gamma * rgz[i]");
        b.addStatement("sa += gx");
        b.addStatement("sb += gx * xh");
        b.addStatement("ra += rgx");
        b.addStatement("rb += rgx * xh + gx * rxh");
        b.endControlFlow();
        b.addStatement("out[$L + ch] += hvGamma", c.constant("WEIGHT"));
        b.addStatement("out[$L + ch] += hvBeta", c.constant("BIAS"));
        if (input) {
            b.beginControlFlow("if (batch)");
            b.addStatement("sa /= m");
            b.addStatement("sb /= m");
            b.addStatement("ra /= m");
            b.addStatement("rb /= m");
            b.nextControlFlow("else");
            b.addStatement("sa = sb = ra = rb = 0");
            b.endControlFlow();
            b.addStatement("double s = $L[ch]", c.own("S"));
            b.addStatement("double k = $L[ch]", c.own("K"));
            b.beginControlFlow("for (int i = 0; i < m; i++)");
            b.addStatement("int x = i * $L + ch", channels);
            b.addStatement("double xh = $L[x]", c.own("Xhat"));
            b.addStatement("double gx = s * (gamma * gz[i] - sa - xh * sb)");
            b.addStatement("$L[x] += gx", c.dIn());
            b.addStatement("$L[x] += -s * k * gx + s * (vg * gz[i] + gamma * rgz[i] - ra - $L[x] * sb - xh * rb)",
                    c.rdIn(), c.own("Rxhat"));
            b.endControlFlow();
        }
        b.endControlFlow();
        b.unindent().add("}\n");
        return b.build();
    }

    /** {@code gz[i] = h'(z) g_y} and {@code rgz[i] = h''(z) R{z} g_y + h'(z) R{g_y}} at value {@code x}. */
    private static void gradientAtZ(CodeBlock.Builder b, Op.Act act, SecondOrderContext c) {
        if (act.isIdentity()) {
            b.addStatement("gz[i] = $L[x]", c.dOut());
            b.addStatement("rgz[i] = $L[x]", c.rdOut());
            return;
        }
        b.addStatement("float y = a.get(o + x)");
        b.addStatement("double h1 = $L", ActivationCurvature.first(act, "y"));
        b.addStatement("double h2 = $L", ActivationCurvature.second(act, "y"));
        b.addStatement("gz[i] = h1 * $L[x]", c.dOut());
        b.addStatement("rgz[i] = h2 * $L[x] * $L[x] + h1 * $L[x]", c.own("Rz"), c.dOut(), c.rdOut());
    }

    /** Values per channel and sample: {@code h * w} for an image, 1 for a vector. */
    private static int positions(Node node) {
        return node.in().image() ? node.in().spatial() : 1;
    }
}
