package dev.lamina.processor.ops.responsenorm;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.SecondOrderContext;
import dev.lamina.processor.emit.java.SecondOrderJava;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * A LocalResponseNorm layer's R-rules at each position, across its channels: {@code b_c = a_c s_c^-beta},
 * {@code s_c = k + alpha / size sum_{j in W(c)} a_j^2} (the window as {@code ResponseNormalization} takes it). No
 * parameters, so no terms of {@code H v} of its own. Forward: {@code R{s_c} = 2 alpha / size sum_{j in W(c)} a_j
 * R{a_j}}, {@code R{b_c} = R{a_c} s_c^-beta - beta a_c s_c^(-beta-1) R{s_c}}. Backward, with
 * {@code t_j = g_j a_j s_j^(-beta-1)} and {@code T_i = sum_{j: i in W(j)} t_j}: {@code g_a_i = g_i s_i^-beta -
 * 2 alpha beta / size a_i T_i}, and its R, {@code R{g_i} s_i^-beta - beta g_i s_i^(-beta-1) R{s_i} -
 * 2 alpha beta / size (R{a_i} T_i + a_i R{T_i})}, where {@code R{t_j} = (R{g_j} a_j + g_j R{a_j}) s_j^(-beta-1)
 * - (beta + 1) g_j a_j s_j^(-beta-2) R{s_j}}. On the network's input it has no R and needs no gradient: nothing
 * to do. The denominators' bases are taken again in double from the float input.
 */
final class ResponseNormSecondOrder implements SecondOrderJava<Op.ResponseNorm> {
    static final ResponseNormSecondOrder RULES = new ResponseNormSecondOrder();

    private ResponseNormSecondOrder() {
    }

    @Override
    public CodeBlock rForward(Op.ResponseNorm lrn, Node node, SecondOrderContext c) {
        if (c.readsNetworkInput()) {
            return CodeBlock.of("// on the network's input: R{output} = 0\n");
        }
        int channels = node.in().channels();
        int before = lrn.size() / 2;
        int after = lrn.size() - 1 - before;
        CodeBlock.Builder b = CodeBlock.builder();
        b.addStatement("double[] $L = new double[n * $L]", c.own("S"), node.out().size());
        b.addStatement("double[] $L = new double[n * $L]", c.own("Rs"), node.out().size());
        b.add("{\n").indent();
        b.addStatement("int in = $L", c.inRegion());
        b.addStatement("double beta = $Lf", (float) lrn.beta());
        b.beginControlFlow("for (int q = 0; q < n * $L; q++)", node.in().spatial());
        b.addStatement("int at = q * $L", channels);
        b.beginControlFlow("for (int ch = 0; ch < $L; ch++)", channels);
        b.addStatement("double sum = 0");
        b.addStatement("double rsum = 0");
        b.beginControlFlow("for (int j = Math.max(0, ch - $L); j <= Math.min($L, ch + $L); j++)", before,
                channels - 1, after);
        b.addStatement("double aj = a.get(in + at + j)");
        b.addStatement("sum += aj * aj");
        b.addStatement("rsum += aj * $L[at + j]", c.rIn());
        b.endControlFlow();
        b.addStatement("double s = (double) $Lf + (double) $Lf / $L * sum", (float) lrn.k(), (float) lrn.alpha(),
                lrn.size());
        b.addStatement("double rs = 2.0 * (double) $Lf / $L * rsum", (float) lrn.alpha(), lrn.size());
        b.addStatement("int x = at + ch");
        b.addStatement("$L[x] = s", c.own("S"));
        b.addStatement("$L[x] = rs", c.own("Rs"));
        b.addStatement("$L[x] = $L[x] * Math.pow(s, -beta) - beta * a.get(in + x) * Math.pow(s, -beta - 1) * rs",
                c.rOut(), c.rIn());
        b.endControlFlow();
        b.endControlFlow();
        b.unindent().add("}\n");
        return b.build();
    }

    @Override
    public CodeBlock rBackward(Op.ResponseNorm lrn, Node node, SecondOrderContext c) {
        if (c.readsNetworkInput()) {
            return CodeBlock.of("// on the network's input: no parameters, no gradient to pass\n");
        }
        int channels = node.in().channels();
        int before = lrn.size() / 2;
        int after = lrn.size() - 1 - before;
        CodeBlock.Builder b = CodeBlock.builder();
        b.add("{\n").indent();
        b.addStatement("int in = $L", c.inRegion());
        b.addStatement("double beta = $Lf", (float) lrn.beta());
        b.addStatement("double c2 = 2.0 * (double) $Lf * beta / $L", (float) lrn.alpha(), lrn.size());
        b.addStatement("double[] tt = new double[$L]", channels);
        b.addStatement("double[] rt = new double[$L]", channels);
        b.beginControlFlow("for (int q = 0; q < n * $L; q++)", node.in().spatial());
        b.addStatement("int at = q * $L", channels);
        b.beginControlFlow("for (int j = 0; j < $L; j++)", channels);
        b.addStatement("int x = at + j");
        b.addStatement("double aj = a.get(in + x)");
        b.addStatement("double s = $L[x]", c.own("S"));
        b.addStatement("double p1 = Math.pow(s, -beta - 1)");
        b.addStatement("tt[j] = $L[x] * aj * p1", c.dOut());
        b.addStatement("rt[j] = ($L[x] * aj + $L[x] * $L[x]) * p1 - (beta + 1) * $L[x] * aj * p1 / s * $L[x]",
                c.rdOut(), c.dOut(), c.rIn(), c.dOut(), c.own("Rs"));
        b.endControlFlow();
        b.beginControlFlow("for (int i = 0; i < $L; i++)", channels);
        b.addStatement("double sum = 0");
        b.addStatement("double rsum = 0");
        b.beginControlFlow("for (int j = Math.max(0, i - $L); j <= Math.min($L, i + $L); j++)", after, channels - 1,
                before);
        b.addStatement("sum += tt[j]");
        b.addStatement("rsum += rt[j]");
        b.endControlFlow();
        b.addStatement("int x = at + i");
        b.addStatement("double ai = a.get(in + x)");
        b.addStatement("double s = $L[x]", c.own("S"));
        b.addStatement("double p0 = Math.pow(s, -beta)");
        b.addStatement("$L[x] += $L[x] * p0 - c2 * ai * sum", c.dIn(), c.dOut());
        b.addStatement("$L[x] += $L[x] * p0 - beta * $L[x] * p0 / s * $L[x] - c2 * ($L[x] * sum + ai * rsum)",
                c.rdIn(), c.rdOut(), c.dOut(), c.own("Rs"), c.rIn());
        b.endControlFlow();
        b.endControlFlow();
        b.unindent().add("}\n");
        return b.build();
    }
}
