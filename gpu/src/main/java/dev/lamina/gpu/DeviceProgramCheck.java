package dev.lamina.gpu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Internal, not API: part of the device path behind {@link DeviceNetwork}, public for the Maven plugin and the
 * processor's tests; it may change in any release.
 *
 * <p>What can be checked of a device program without a GPU: every launch names a kernel of the network's .cu and
 * passes it as many arguments as it takes, each of the kind it takes and under the name of the parameter it fills;
 * every GEMM's grid covers the C it writes; and every address, clear and copy lies inside its area, for the batch
 * sizes asked about.
 */
public final class DeviceProgramCheck {
    /** The names of the built-in steps' arguments, in order. */
    private static final Map<String, List<String>> BUILT_INS = Map.of("zero", List.of("at", "count"),
            "copy", List.of("to", "from", "count"), "check", List.of("flag", "vocabulary"));

    private DeviceProgramCheck() {
    }

    /**
     * {@return the problems found, one line each naming the step; empty when the program is sound}
     *
     * @param program the device program
     * @param cudaSource the network's generated .cu text
     * @param batchSizes the batch sizes whose addresses are checked
     */
    public static List<String> problems(DeviceProgram program, String cudaSource, int... batchSizes) {
        Map<String, List<String>> kernels = KernelSignatures.of(cudaSource);
        Map<String, List<String>> parameters = parameterNames(KernelLibrary.source() + "\n" + cudaSource);
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
            if (!step.isLaunch() && !step.names().equals(BUILT_INS.get(step.action()))) {
                problems.add(step + ": " + step.action() + "'s arguments are named " + BUILT_INS.get(step.action()));
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
            List<String> names = parameters.getOrDefault(step.action(), List.of());
            for (int i = 0; i < args.size(); i++) {
                String name = i < names.size() ? names.get(i) : "?";
                if (!step.names().get(i).equals(name)) {
                    problems.add(step + ": argument " + (i + 1) + " is named " + step.names().get(i)
                            + ", the kernel's parameter is " + name);
                }
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

    /**
     * Kernel name to its parameters' names, in order: for each {@code extern "C" __global__ void NAME(...)}, the
     * last word of each parameter.
     */
    static Map<String, List<String>> parameterNames(String cudaSource) {
        Map<String, List<String>> kernels = new HashMap<>();
        int at = 0;
        while ((at = cudaSource.indexOf("extern \"C\"", at)) >= 0) {
            at += "extern \"C\"".length();
            int open = cudaSource.indexOf('(', at);
            int close = open < 0 ? -1 : cudaSource.indexOf(')', open);
            if (close < 0) {
                break;
            }
            List<String> words = words(cudaSource.substring(at, open));
            if (words.size() == 3 && words.get(0).equals("__global__") && words.get(1).equals("void")) {
                List<String> names = new ArrayList<>();
                String parameters = cudaSource.substring(open + 1, close);
                if (!parameters.isBlank()) {
                    for (String parameter : parameters.split(",")) {
                        List<String> parts = words(parameter.replace('*', ' '));
                        names.add(parts.isEmpty() ? "" : parts.get(parts.size() - 1));
                    }
                }
                kernels.put(words.get(2), names);
                at = close;
            }
        }
        return kernels;
    }

    /** The words of {@code text}, split at white space. */
    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (char c : (text + " ").toCharArray()) {
            if (Character.isWhitespace(c)) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        return words;
    }
}
