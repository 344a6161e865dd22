package dev.lamina.gpu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Internal, not API: part of the device path behind {@link DeviceNetwork}, public for the Maven plugin and the
 * processor's tests; it may change in any release.
 *
 * <p>The parameter kinds of each {@code extern "C" __global__} kernel a device program can launch, as the program's
 * argument prefixes name them: {@code f*} a float pointer, {@code i*} an int pointer, {@code d*} a double pointer,
 * {@code i} int, {@code l} a 64-bit integer, {@code f} float. Read from the CUDA source text of the two modules a
 * network's kernels come from: the kernel library's ({@link KernelLibrary}) and the network's own .cu. What a test
 * checks a program against, without a GPU.
 */
public final class KernelSignatures {
    private static final Pattern KERNEL = Pattern.compile(
            "extern\\s+\"C\"\\s+__global__\\s+void\\s+(\\w+)\\s*\\(([^)]*)\\)", Pattern.DOTALL);

    private KernelSignatures() {
    }

    /**
     * {@return kernel name to its parameters' kinds, in order: the library's kernels, then those of {@code
     * networkSource}
     * (a network's .cu)} A kernel of the network's with a library kernel's name would be shadowed at run time
     * ({@link NetworkKernels} takes the library's), so it is an error unless it is the same kernel.
     *
     * @param networkSource a network's generated .cu text
     * @throws IllegalArgumentException when the network's source redefines a library kernel differently
     */
    public static Map<String, List<String>> of(String networkSource) {
        Map<String, List<String>> kernels = new LinkedHashMap<>(Library.KERNELS);
        inSource(networkSource).forEach((name, kinds) -> {
            List<String> library = kernels.putIfAbsent(name, kinds);
            if (library != null && !library.equals(kinds)) {
                throw new IllegalArgumentException("the network's kernel " + name + kinds
                        + " has the name of the library's kernel " + name + library);
            }
        });
        return kernels;
    }

    /** The names of the kernel library's kernels. */
    static Set<String> library() {
        return Library.KERNELS.keySet();
    }

    /** The kernels defined in one CUDA source text, name to parameter kinds. */
    static Map<String, List<String>> inSource(String cudaSource) {
        Map<String, List<String>> kernels = new LinkedHashMap<>();
        Matcher m = KERNEL.matcher(cudaSource);
        while (m.find()) {
            List<String> kinds = new ArrayList<>();
            String params = m.group(2).trim();
            if (!params.isEmpty()) {
                for (String param : params.split(",")) {
                    kinds.add(kind(param.trim(), m.group(1)));
                }
            }
            kernels.put(m.group(1), kinds);
        }
        return kernels;
    }

    /** The library's kernels, read once, when first asked for. */
    private static final class Library {
        static final Map<String, List<String>> KERNELS = Collections.unmodifiableMap(inSource(KernelLibrary.source()));
    }

    private static String kind(String param, String kernel) {
        String type = param.replaceAll("\\b(const|__restrict__)\\b", "").replaceAll("\\w+$", "")
                .replaceAll("\\s+", " ").trim();
        return switch (type) {
            case "float*", "float *" -> "f*";
            case "int*", "int *" -> "i*";
            case "double*", "double *" -> "d*";
            case "int" -> "i";
            case "long", "long long", "unsigned long long" -> "l";
            case "float" -> "f";
            default -> throw new IllegalArgumentException("kernel " + kernel + " takes a '" + type
                    + "', which a device program cannot pass");
        };
    }

    /**
     * {@return the kind of a program argument: the area prefixes are float pointers but for I (ints) and D (doubles);
     * {@code N:0}, the null pointer (no initial state, no peepholes), is {@code *}, any pointer; a dropout key
     * {@code K:} is 64-bit, the training flag {@code R:} an int}
     *
     * @param argument a program argument as the program writes it
     */
    public static String kindOf(String argument) {
        String prefix = argument.substring(0, argument.indexOf(':'));
        return switch (prefix) {
            case "A", "P", "G", "B", "W", "T", "L" -> "f*";
            case "I" -> "i*";
            case "N" -> "*";
            case "K" -> "l";
            case "R" -> "i";
            case "D" -> "d*";
            case "i", "l", "f" -> prefix;
            default -> throw new IllegalArgumentException("unknown argument '" + argument + "'");
        };
    }
}
