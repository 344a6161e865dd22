package dev.lamina.gpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What can be checked of a device program without a GPU: every launch names a kernel of the network's .cu and
 * passes it as many arguments as it takes, each of the kind it takes; every GEMM's grid covers the C it writes;
 * and every address, clear and copy lies inside its area, for the batch sizes asked about.
 */
public final class DeviceProgramCheck {
    private DeviceProgramCheck() {
    }

    /** The problems found, one line each naming the step; empty when the program is sound. */
    public static List<String> problems(DeviceProgram program, String cudaSource, int... batchSizes) {
        Map<String, List<String>> kernels = KernelSignatures.of(cudaSource);
        List<String> problems = new ArrayList<>();
        for (DeviceProgram.Carried c : program.carried()) {
            for (int rows : batchSizes) {
                inside(program, null, c.region(), (long) c.perRow() * rows, rows, problems);
            }
        }
        for (DeviceProgram.Step step : program.steps()) {
            List<String> args = step.args();
            if (!List.of("always", "train", "eval", "carry").contains(step.when())) {
                problems.add(step + ": runs '" + step.when() + "', not always, train, eval or carry");
            }
            if (step.action().equals("check")) {
                if (args.size() != 2 || !args.get(1).startsWith("i:")) {
                    problems.add(step + ": check takes the flag's address and the vocabulary size i:");
                } else {
                    for (int rows : batchSizes) {
                        inside(program, step, args.get(0), 1, rows, problems);
                    }
                }
                continue;
            }
            if (!step.isLaunch()) {
                int count = step.action().equals("zero") ? 1 : 2;
                if (args.size() != count + 1 || !args.get(count).startsWith("l:")) {
                    problems.add(step + ": " + step.action() + " takes " + count + " address(es) and a count l:");
                    continue;
                }
                for (int rows : batchSizes) {
                    long length = Linear.parse(args.get(count).substring(2)).at(rows);
                    for (int i = 0; i < count; i++) {
                        inside(program, step, args.get(i), length, rows, problems);
                    }
                }
                continue;
            }
            List<String> kinds = kernels.get(step.action());
            if (kinds == null) {
                problems.add(step + ": no kernel " + step.action() + " in the .cu");
                continue;
            }
            if (kinds.size() != args.size()) {
                problems.add(step + ": " + step.action() + " takes " + kinds.size() + " arguments, given "
                        + args.size());
                continue;
            }
            for (int i = 0; i < args.size(); i++) {
                String kind = KernelSignatures.kindOf(args.get(i));
                boolean nullPointer = kind.equals("*") && kinds.get(i).endsWith("*");
                if (!kind.equals(kinds.get(i)) && !nullPointer) {
                    problems.add(step + ": argument " + (i + 1) + " is " + kind + ", the kernel takes " + kinds.get(i));
                }
                if (kind.endsWith("*") && !nullPointer) {
                    for (int rows : batchSizes) {
                        inside(program, step, args.get(i), 0, rows, problems);
                    }
                }
            }
            if (step.grid().startsWith("gemm:")) {
                String[] mn = step.grid().substring(5).split(",");
                if (!args.get(0).equals("i:" + mn[0]) || !args.get(1).equals("i:" + mn[1])) {
                    problems.add(step + ": the grid covers " + mn[0] + " x " + mn[1] + ", the GEMM writes "
                            + args.get(0) + " x " + args.get(1));
                }
                for (int rows : batchSizes) {
                    gemmExtents(program, step, rows, problems);
                }
            }
        }
        return problems;
    }

    /**
     * A GEMM's three matrices inside their areas: {@code op(A)} is m x k, {@code op(B)} k x n, C m x n, each stored
     * row-major with its leading dimension, which must hold a stored row.
     */
    private static void gemmExtents(DeviceProgram p, DeviceProgram.Step step, int rows, List<String> problems) {
        List<String> a = step.args();
        boolean ta = step.action().endsWith("_tn");
        boolean tb = step.action().endsWith("_nt");
        long m = value(a.get(0), rows);
        long n = value(a.get(1), rows);
        long k = value(a.get(2), rows);
        matrix(p, step, a.get(4), ta ? k : m, ta ? m : k, value(a.get(5), rows), rows, "A", problems);
        matrix(p, step, a.get(6), tb ? n : k, tb ? k : n, value(a.get(7), rows), rows, "B", problems);
        matrix(p, step, a.get(9), m, n, value(a.get(10), rows), rows, "C", problems);
    }

    /** A stored {@code height x width} matrix at {@code address} with leading dimension {@code ld}. */
    private static void matrix(DeviceProgram p, DeviceProgram.Step step, String address, long height, long width,
                               long ld, int rows, String name, List<String> problems) {
        if (ld < width) {
            problems.add(step + ": " + name + "'s leading dimension " + ld + " is less than its rows' " + width
                    + " at n = " + rows);
            return;
        }
        if (height > 0 && width > 0) {
            inside(p, step, address, (height - 1) * ld + width, rows, problems);
        }
    }

    private static long value(String argument, int rows) {
        return Linear.parse(argument.substring(2)).at(rows);
    }

    /** Whether {@code [at, at + length)} of the area an address names fits in it for {@code rows} rows. */
    private static void inside(DeviceProgram p, DeviceProgram.Step step, String address, long length, int rows,
                               List<String> problems) {
        long at = Linear.parse(address.substring(2)).at(rows);
        long size = switch (address.charAt(0)) {
            case 'A' -> (long) p.arena() * rows;
            case 'I' -> (long) p.indices() * rows;
            case 'P', 'G' -> p.parameters();
            case 'B' -> p.buffers();
            case 'W' -> p.work();
            case 'D' -> p.doubles();
            case 'T' -> (long) p.outputSize() * rows;
            case 'L' -> p.lossRows().at(rows);
            default -> -1;
        };
        // an address one past an empty area is what an unused pointer argument gets (a null mask, no bias)
        boolean fits = at >= 0 && (at + length <= size || length == 0 && at == 0);
        if (!fits) {
            problems.add((step == null ? "carried state" : step.toString()) + ": " + address + " (+" + length
                    + ") is outside its area of " + size + " at n = " + rows);
        }
    }
}
