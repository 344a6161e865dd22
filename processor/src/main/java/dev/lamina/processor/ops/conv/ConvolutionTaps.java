package dev.lamina.processor.ops.conv;

import com.palantir.javapoet.CodeBlock;

/**
 * Internal, not API. The loops of a convolution's R-rules, shared by Conv, Conv1d and ConvTranspose: every
 * (sample, position of the small side, tap, channel pair) that the convolution joins, as plain loops over the
 * runtime's channels-last layouts. A convolution maps its input (the big side) to its output (the small side); a
 * transposed one maps the small side to the big one with the same weights. In both the weights are laid out
 * {@code [small channel][kernel rows][kernel columns][big channel of the group]}, and the big position of a tap
 * is {@code small * stride - padding + tap * dilation} (taps outside the big side are padding). The body sees
 * {@code i} (the small side's value in the batch), {@code k} (the big side's) and {@code w} (the weight's index
 * past the tensor's offset).
 *
 * @param smallHeight   rows of the small side
 * @param smallWidth    columns of the small side
 * @param smallChannels channels of the small side
 * @param bigHeight     rows of the big side
 * @param bigWidth      columns of the big side
 * @param bigChannels   channels of the big side
 * @param kernelHeight  kernel rows (1 for a one-dimensional convolution)
 * @param kernelWidth   kernel columns
 * @param stride        the step between positions on the big side
 * @param rowPadding    zero padding before the first row of the big side
 * @param columnPadding zero padding before the first column of the big side
 * @param dilation      the step between taps
 * @param groups        channel groups (1 but for a grouped convolution)
 */
public record ConvolutionTaps(int smallHeight, int smallWidth, int smallChannels, int bigHeight, int bigWidth,
                              int bigChannels, int kernelHeight, int kernelWidth, int stride, int rowPadding,
                              int columnPadding, int dilation, int groups) {
    /** {@return the loops over the batch of {@code n} samples, running {@code body} for every joined pair} */
    public CodeBlock loops(CodeBlock body) {
        int smallGroup = smallChannels / groups;
        int bigGroup = bigChannels / groups;
        CodeBlock.Builder b = CodeBlock.builder();
        b.beginControlFlow("for (int s = 0; s < n; s++)");
        b.beginControlFlow("for (int sy = 0; sy < $L; sy++)", smallHeight);
        b.beginControlFlow("for (int sx = 0; sx < $L; sx++)", smallWidth);
        b.addStatement("int small = ((s * $L + sy) * $L + sx) * $L", smallHeight, smallWidth, smallChannels);
        b.beginControlFlow("for (int ky = 0; ky < $L; ky++)", kernelHeight);
        b.addStatement("int by = sy * $L - $L + ky * $L", stride, rowPadding, dilation);
        b.beginControlFlow("if (by < 0 || by >= $L)", bigHeight).addStatement("continue").endControlFlow();
        b.beginControlFlow("for (int kx = 0; kx < $L; kx++)", kernelWidth);
        b.addStatement("int bx = sx * $L - $L + kx * $L", stride, columnPadding, dilation);
        b.beginControlFlow("if (bx < 0 || bx >= $L)", bigWidth).addStatement("continue").endControlFlow();
        b.addStatement("int big = ((s * $L + by) * $L + bx) * $L", bigHeight, bigWidth, bigChannels);
        b.beginControlFlow("for (int sc = 0; sc < $L; sc++)", smallChannels);
        b.addStatement("int i = small + sc");
        b.addStatement("int bc = big + sc / $L * $L", smallGroup, bigGroup);
        b.addStatement("int wc = ((sc * $L + ky) * $L + kx) * $L", kernelHeight, kernelWidth, bigGroup);
        b.beginControlFlow("for (int j = 0; j < $L; j++)", bigGroup);
        b.addStatement("int k = bc + j");
        b.addStatement("int w = wc + j");
        b.add(body);
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        return b.build();
    }
}
