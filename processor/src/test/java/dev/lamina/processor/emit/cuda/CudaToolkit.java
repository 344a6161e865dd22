package dev.lamina.processor.emit.cuda;

import dev.lamina.gpu.KernelLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the tests find nvcc: on PATH, in {@code $CUDA_HOME/bin}, or in {@code /usr/local/cuda/bin}; and the kernel
 * library's files (lamina-gpu's resources) written where nvcc can read them.
 */
final class CudaToolkit {
    private CudaToolkit() {
    }

    static Optional<Path> nvcc() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, "nvcc"));
                }
            }
        }
        String home = System.getenv("CUDA_HOME");
        if (home != null) {
            candidates.add(Path.of(home, "bin", "nvcc"));
        }
        candidates.add(Path.of("/usr/local/cuda/bin/nvcc"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /**
     * Writes the kernel library's source and the header every generated .cu includes into {@code dir}, the include
     * directory to give nvcc; returns the library's source there.
     */
    static Path library(Path dir) throws IOException {
        Files.writeString(dir.resolve(KernelLibrary.fileName(KernelLibrary.HEADER)), KernelLibrary.header());
        return Files.writeString(dir.resolve(KernelLibrary.fileName(KernelLibrary.SOURCE)), KernelLibrary.source());
    }
}
