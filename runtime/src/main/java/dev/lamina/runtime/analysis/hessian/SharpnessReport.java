package dev.lamina.runtime.analysis.hessian;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.lamina.runtime.io.AtomicFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How sharp the minimum a network sits in is, on one batch (what PyHessian reports): the loss, the gradient's
 * norm, the top eigenvalues of the Hessian ({@link PowerIteration}) and its trace ({@link Hutchinson}) with the
 * estimate's standard error. Printed by {@link #toString()}, written as JSON by {@link #toJson()} and
 * {@link #write(Path)}.
 *
 * @param network a label for the network (its name)
 * @param parameters the number of parameters W
 * @param loss the mean loss on the batch
 * @param gradientNorm the gradient's Euclidean norm
 * @param topEigenvalues the eigenvalues of largest magnitude, largest first
 * @param trace Hutchinson's estimate of the trace
 * @param traceStandardError its standard error
 * @param traceSamples the Rademacher vectors it drew
 */
public record SharpnessReport(String network, int parameters, double loss, double gradientNorm,
                              double[] topEigenvalues, double trace, double traceStandardError, int traceSamples) {
    /** Power iteration stops when the Rayleigh quotient changes by less than this, relative. */
    public static final double TOLERANCE = 1e-4;
    /** The most products power iteration spends on one eigenvalue. */
    public static final int MAX_ITERATIONS = 200;
    private static final JsonFactory JSON = new JsonFactory();

    /** Copies the eigenvalues. */
    public SharpnessReport {
        topEigenvalues = topEigenvalues.clone();
    }

    /**
     * {@return the report of {@code hvp}'s loss at its current parameters: {@code k} top eigenvalues (at most
     * {@link #MAX_ITERATIONS} products each, to {@link #TOLERANCE}) and the trace from {@code traceSamples}
     * vectors, all drawn from {@code seed}}
     *
     * @param network a label for the network
     * @param hvp the operator
     * @param k how many top eigenvalues
     * @param traceSamples how many Rademacher vectors, at least 2 for a standard error
     * @param seed the seed of the start vectors and the Rademacher vectors
     */
    public static SharpnessReport of(String network, HessianVectorProduct hvp, int k, int traceSamples, long seed) {
        double loss = hvp.loss();
        double gradientNorm = Vectors.norm(hvp.gradient());
        PowerIteration.Eigenpairs top = PowerIteration.top(hvp, k, MAX_ITERATIONS, TOLERANCE, seed);
        Hutchinson.Estimate trace = Hutchinson.trace(hvp, traceSamples, seed + 1);
        return new SharpnessReport(network, hvp.size(), loss, gradientNorm, top.values(), trace.trace(),
                trace.standardError(), trace.samples());
    }

    /** {@return the eigenvalues, a copy} */
    @Override
    public double[] topEigenvalues() {
        return topEigenvalues.clone();
    }

    /** {@return the report as JSON: one object, field names as the record's components} */
    public String toJson() {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("network", network);
            g.writeNumberField("parameters", parameters);
            g.writeNumberField("loss", loss);
            g.writeNumberField("gradientNorm", gradientNorm);
            g.writeArrayFieldStart("topEigenvalues");
            for (double v : topEigenvalues) {
                g.writeNumber(v);
            }
            g.writeEndArray();
            g.writeNumberField("trace", trace);
            g.writeNumberField("traceStandardError", traceStandardError);
            g.writeNumberField("traceSamples", traceSamples);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text + "\n";
    }

    /**
     * Writes {@link #toJson()} to {@code file}, atomically.
     *
     * @param file the file written
     * @throws IOException when it cannot be written
     */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson());
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append("Sharpness of ").append(network).append(" (").append(parameters).append(" parameters)\n");
        s.append(String.format(Locale.ROOT, "  loss            %.6g%n", loss));
        s.append(String.format(Locale.ROOT, "  gradient norm   %.6g%n", gradientNorm));
        for (int i = 0; i < topEigenvalues.length; i++) {
            s.append(String.format(Locale.ROOT, "  eigenvalue %-4d %.6g%n", i + 1, topEigenvalues[i]));
        }
        s.append(String.format(Locale.ROOT, "  trace           %.6g +- %.2g (%d Rademacher vectors)%n", trace,
                traceStandardError, traceSamples));
        return s.toString();
    }
}
