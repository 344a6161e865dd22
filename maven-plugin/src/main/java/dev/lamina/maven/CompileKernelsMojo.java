package dev.lamina.maven;

import dev.lamina.gpu.KernelLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Compiles every {@code Net.cu} the Lamina processor wrote into the classes directory to {@code Net.sm_XX.ptx}
 * beside it, for each configured architecture, and Lamina's kernel library once, for the same architectures, to
 * {@code META-INF/lamina/lamina_kernels.sm_XX.ptx} there; ptxas assembles each PTX as a check. The PTX goes into
 * the jar, where the GPU path loads it; the run time needs the NVIDIA driver only. The library's source and the
 * header of device functions each {@code Net.cu} includes come from this plugin's lamina-gpu dependency
 * ({@link KernelLibrary}), written to a scratch directory that is nvcc's include path.
 *
 * <p>Without nvcc the build goes on with a warning, and the networks' GPU path says at run time that they were
 * built without kernels; {@code -Dlamina.requireNvcc=true} makes a missing nvcc a build failure instead.
 */
@Mojo(name = "compile-kernels", defaultPhase = LifecyclePhase.PROCESS_CLASSES, threadSafe = true)
public final class CompileKernelsMojo extends AbstractMojo {
    @Parameter(defaultValue = "${project.build.outputDirectory}", required = true)
    private java.io.File classesDirectory;

    /** nvcc architectures to build PTX for: the newest first, and an older one that other GPUs load. */
    @Parameter(property = "lamina.architectures", defaultValue = "sm_90,sm_80")
    private String architectures;

    /** nvcc's path; by default it is looked for on PATH, in $CUDA_HOME/bin and in /usr/local/cuda/bin. */
    @Parameter(property = "lamina.nvcc")
    private java.io.File nvcc;

    /** Fail the build when nvcc is missing, instead of building without GPU kernels. */
    @Parameter(property = "lamina.requireNvcc", defaultValue = "false")
    private boolean requireNvcc;

    @Parameter(property = "lamina.kernels.skip", defaultValue = "false")
    private boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Lamina: kernel compilation skipped (lamina.kernels.skip)");
            return;
        }
        Path classes = classesDirectory.toPath();
        List<Path> sources = sources(classes);
        if (sources.isEmpty()) {
            getLog().info("Lamina: no generated CUDA in " + classes);
            return;
        }
        Optional<CudaToolchain> toolchain = CudaToolchain.find(nvcc == null ? null : nvcc.toPath(), System.getenv());
        if (toolchain.isEmpty()) {
            String where = nvcc != null ? nvcc.toString()
                    : "PATH, $CUDA_HOME/bin or /usr/local/cuda/bin";
            String message = "nvcc not found (looked in " + where + "): " + sources.size()
                    + " network(s) built without GPU kernels; their GPU path will say so at run time";
            if (requireNvcc) {
                throw new MojoFailureException(message + " (lamina.requireNvcc is set)");
            }
            getLog().warn("Lamina: " + message);
            return;
        }
        List<String> archs = architectures();
        getLog().info("Lamina: compiling the kernel library and " + sources.size() + " network(s) to PTX for " + archs
                + " with " + toolchain.get().nvcc());
        compileAll(toolchain.get(), sources, archs, classes);
    }

    private List<String> architectures() throws MojoExecutionException {
        List<String> archs = new ArrayList<>();
        for (String a : architectures.split(",")) {
            String arch = a.trim();
            if (!arch.matches("sm_\\d{2,3}")) {
                throw new MojoExecutionException("lamina.architectures takes nvcc architectures such as sm_90, got '"
                        + arch + "'");
            }
            archs.add(arch);
        }
        return archs;
    }

    private static List<Path> sources(Path classes) throws MojoExecutionException {
        if (!Files.isDirectory(classes)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(f -> f.toString().endsWith(".cu")).sorted().toList();
        } catch (IOException e) {
            throw new MojoExecutionException("cannot list " + classes, e);
        }
    }

    private void compileAll(CudaToolchain toolchain, List<Path> sources, List<String> archs, Path classes)
            throws MojoExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        try {
            Path scratch = Files.createTempDirectory("lamina-ptxas");
            Path library = library(scratch);
            Files.createDirectories(classes.resolve(KernelLibrary.ptx(archs.get(0))).getParent());
            List<Future<?>> jobs = new ArrayList<>();
            for (String arch : archs) {
                jobs.add(compile(pool, toolchain, library, classes.resolve(KernelLibrary.ptx(arch)), arch, scratch,
                        classes));
            }
            for (Path source : sources) {
                for (String arch : archs) {
                    Path ptx = source.resolveSibling(source.getFileName().toString().replace(".cu", "." + arch + ".ptx"));
                    jobs.add(compile(pool, toolchain, source, ptx, arch, scratch, classes));
                }
            }
            for (Future<?> job : jobs) {
                job.get();
            }
            try (Stream<Path> files = Files.list(scratch)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(scratch);
        } catch (ExecutionException e) {
            throw new MojoExecutionException("Lamina: generated CUDA did not compile (a bug in Lamina; please "
                    + "report it): " + e.getCause().getMessage(), e.getCause());
        } catch (IOException e) {
            throw new MojoExecutionException("Lamina: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One compile, queued; the library's files in {@code scratch} are on its include path. */
    private Future<?> compile(ExecutorService pool, CudaToolchain toolchain, Path source, Path ptx, String arch,
                              Path scratch, Path classes) {
        return pool.submit(() -> {
            toolchain.compile(source, ptx, arch, scratch, scratch);
            getLog().debug("Lamina: " + classes.relativize(ptx));
            return null;
        });
    }

    /** The kernel library's source and header, written into {@code dir}; returns the source's path. */
    static Path library(Path dir) throws IOException {
        Files.writeString(dir.resolve(KernelLibrary.fileName(KernelLibrary.HEADER)), KernelLibrary.header());
        return Files.writeString(dir.resolve(KernelLibrary.fileName(KernelLibrary.SOURCE)), KernelLibrary.source());
    }
}
