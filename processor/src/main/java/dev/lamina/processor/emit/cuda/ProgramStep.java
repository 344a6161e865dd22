package dev.lamina.processor.emit.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of a device program being written: a launch of a kernel (or a built-in {@code zero}, {@code copy} or
 * {@code check}) by a layer, its grid, and its arguments, each under the name of the kernel parameter it fills.
 * Arguments are the program's typed values ({@code A:784n}, {@code i:28}, {@code f:1.0}, ...; see
 * {@link DeviceProgram}).
 */
public final class ProgramStep {
    private final String pass;
    private final String when;
    private final String layer;
    private final String action;
    private final String grid;
    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();

    ProgramStep(String pass, String when, String layer, String action, String grid) {
        this.pass = pass;
        this.when = when;
        this.layer = layer;
        this.action = action;
        this.grid = grid;
    }

    /** The argument {@code value} for the kernel's parameter {@code name}. */
    public ProgramStep arg(String name, String value) {
        names.add(name);
        values.add(value);
        return this;
    }

    /** An int argument. */
    public ProgramStep i(String name, int value) {
        return arg(name, "i:" + value);
    }

    /** An int argument that counts in batch rows ({@code a*n+b}). */
    public ProgramStep i(String name, String linear) {
        return arg(name, "i:" + linear);
    }

    /** A 64-bit count in batch rows ({@code a*n+b}). */
    public ProgramStep l(String name, String linear) {
        return arg(name, "l:" + linear);
    }

    /** A float argument, as the CPU path rounds it. */
    public ProgramStep f(String name, double value) {
        return arg(name, "f:" + (float) value);
    }

    /** The null pointer, for a pointer the kernel may go without. */
    public ProgramStep none(String name) {
        return arg(name, "N:0");
    }

    /** {@code PASS WHEN LAYER ACTION GRID NAME=VALUE...}. */
    String line() {
        StringBuilder b = new StringBuilder();
        b.append(pass).append(' ').append(when).append(' ').append(layer).append(' ').append(action).append(' ')
                .append(grid);
        for (int k = 0; k < values.size(); k++) {
            b.append(' ').append(names.get(k)).append('=').append(values.get(k));
        }
        return b.toString();
    }
}
