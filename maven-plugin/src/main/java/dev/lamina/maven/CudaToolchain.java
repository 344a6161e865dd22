package dev.lamina.maven;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * nvcc and ptxas: where they are, and one compile of a .cu to PTX for an architecture, checked by assembling the
 * PTX with ptxas (the PTX is what ships; the driver compiles it for the device it meets).
 */
final class CudaToolchain {
    private final Path nvcc;
    private final Path ptxas;

    private CudaToolchain(Path nvcc) {
        this.nvcc = nvcc;
        this.ptxas = nvcc.resolveSibling("ptxas");
    }

    /** Where nvcc is looked for, in order, when no path is configured. */
    static List<Path> candidates(Map<String, String> env) {
        List<Path> candidates = new ArrayList<>();
        String path = env.get("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, "nvcc"));
                }
            }
        }
        String home = env.get("CUDA_HOME");
        if (home != null) {
            candidates.add(Path.of(home, "bin", "nvcc"));
        }
        candidates.add(Path.of("/usr/local/cuda/bin/nvcc"));
        return candidates;
    }

    /** The toolchain of {@code configured} when given, else of the first nvcc found. */
    static Optional<CudaToolchain> find(Path configured, Map<String, String> env) {
        if (configured != null) {
            return Files.isExecutable(configured) ? Optional.of(new CudaToolchain(configured)) : Optional.empty();
        }
        return candidates(env).stream().filter(Files::isExecutable).findFirst().map(CudaToolchain::new);
    }

    Path nvcc() {
        return nvcc;
    }

    /**
     * {@code source} to {@code ptx} for {@code arch} ("sm_90"), its {@code #include}s looked for in
     * {@code includes} too, then ptxas on it.
     *
     * @throws IOException naming the command and what it printed, when either step fails
     */
    void compile(Path source, Path ptx, String arch, Path includes, Path scratch)
            throws IOException, InterruptedException {
        String number = arch.substring(arch.indexOf('_') + 1);
        run(List.of(nvcc.toString(), "-ptx", "-arch=compute_" + number, "-I", includes.toString(), "-o",
                ptx.toString(), source.toString()));
        Path cubin = Files.createTempFile(scratch, "check", ".cubin");
        try {
            run(List.of(ptxas.toString(), "-arch=" + arch, "-o", cubin.toString(), ptx.toString()));
        } finally {
            Files.deleteIfExists(cubin);
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + output);
        }
    }
}
