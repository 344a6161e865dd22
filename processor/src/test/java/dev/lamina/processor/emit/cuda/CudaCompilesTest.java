package dev.lamina.processor.emit.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lamina.processor.nets.GradNets;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The kernel library and every .cu the processor wrote for the test networks (about forty, covering every layer
 * kind, each including the library's device functions) compile with nvcc to PTX for sm_90 and for sm_80, and
 * ptxas assembles each PTX: the check CI can make without a GPU. Skipped, with the reason, where no nvcc is found.
 */
class CudaCompilesTest {
    private static final List<String> ARCHITECTURES = List.of("90", "80");

    @Test
    void everyGeneratedCudaFileCompilesToPtxThatAssembles() throws Exception {
        Optional<Path> nvcc = CudaToolkit.nvcc();
        assumeTrue(nvcc.isPresent(), "nvcc not found on PATH, in $CUDA_HOME/bin or /usr/local/cuda/bin: the CUDA "
                + "compile check needs the CUDA toolkit");
        Path ptxas = nvcc.get().resolveSibling("ptxas");
        List<Path> sources;
        try (Stream<Path> files = Files.list(classesOf(GradNets.class))) {
            sources = files.filter(f -> f.toString().endsWith(".cu")).sorted().toList();
        }
        assertTrue(sources.size() >= 30, "expected the test networks' .cu files, found " + sources.size());
        Path work = Files.createTempDirectory("lamina-ptx");
        Path library = CudaToolkit.library(work);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (Path source : concat(library, sources)) {
                for (String arch : ARCHITECTURES) {
                    results.add(pool.submit(() -> compile(nvcc.get(), ptxas, source, arch, work)));
                }
            }
            List<String> failures = new ArrayList<>();
            for (Future<String> r : results) {
                String failure = r.get();
                if (failure != null) {
                    failures.add(failure);
                }
            }
            assertEquals(List.of(), failures);
        } finally {
            pool.shutdown();
        }
    }

    /** Null when nvcc and ptxas both succeed, else what they printed. */
    private static String compile(Path nvcc, Path ptxas, Path source, String arch, Path work)
            throws IOException, InterruptedException {
        String name = source.getFileName().toString().replace(".cu", "") + ".sm_" + arch;
        Path ptx = work.resolve(name + ".ptx");
        String failure = run(List.of(nvcc.toString(), "-ptx", "-arch=compute_" + arch, "-I", work.toString(),
                "-o", ptx.toString(), source.toString()), work);
        if (failure == null) {
            failure = run(List.of(ptxas.toString(), "-arch=sm_" + arch, "-o", work.resolve(name + ".cubin").toString(),
                    ptx.toString()), work);
        }
        return failure == null ? null : source.getFileName() + " for sm_" + arch + ": " + failure;
    }

    private static String run(List<String> command, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        return p.waitFor() == 0 ? null : String.join(" ", command) + "\n" + output;
    }

    private static List<Path> concat(Path first, List<Path> rest) {
        List<Path> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    private static Path classesOf(Class<?> type) throws URISyntaxException {
        Path root = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        return root.resolve(type.getPackageName().replace('.', '/'));
    }
}
