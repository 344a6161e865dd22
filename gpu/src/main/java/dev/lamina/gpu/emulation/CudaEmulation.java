package dev.lamina.gpu.emulation;

import dev.lamina.gpu.GpuUnavailableException;
import dev.lamina.gpu.KernelLibrary;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Internal, not API: the CUDA emulation behind the tests of the GPU path; it may change in any release.
 *
 * <p>CUDA's execution model on the CPU, for machines without a GPU: the generated CUDA C (a network's {@code .cu}
 * and the kernel library, unchanged) compiled by the system C++ compiler against {@code cuda_emulation.h}, and a
 * stand-in for the NVIDIA driver library ({@code libcuda.so.1}, built from {@code driver.cpp}) that JCuda binds to
 * instead of the real one. Everything above the driver API ({@code CudaDevice}, {@code DeviceNetwork}, its graphs)
 * runs unchanged. The stand-in must be loaded before JCuda's own native library, whose dependency on
 * {@code libcuda.so.1} the dynamic linker then satisfies with it; {@code dev.lamina.gpu.Cuda} does that when the
 * emulation is chosen.
 *
 * <p>Compiled libraries are cached by the SHA-256 of the compiler's identity, its flags and every source text, in
 * {@code lamina.emulation.cache} (by default a folder under {@code java.io.tmpdir}), so that a second test run, or
 * a second JVM of the same build, compiles nothing. Each is written under a temporary name and moved into place, so
 * that concurrent builds never load a half-written library.
 */
public final class CudaEmulation {
    /** The image {@code cuModuleLoadData} receives for an emulated module: this prefix and the library's path. */
    public static final String MODULE_IMAGE_PREFIX = "lamina-emulated-module:";

    private static final String RESOURCES = "dev/lamina/gpu/emulation/";
    /** The emulation's sources, as class path resources under {@value #RESOURCES}. */
    private static final List<String> SOURCES = List.of("cuda_emulation.h", "include/mma.h", "driver.cpp");
    private static final Pattern KERNEL = Pattern.compile("extern\\s+\"C\"\\s+__global__\\s+void\\s+(\\w+)\\s*\\(");
    private static final List<String> FLAGS = List.of("-std=c++20", "-O2", "-fPIC", "-shared", "-pthread",
            "-fno-strict-aliasing");

    private static CudaEmulation loaded;

    private final Compiler compiler;
    private final Path cache;
    private final Path sources;
    private final Map<String, Path> modules = new ConcurrentHashMap<>();

    private CudaEmulation(Compiler compiler, Path cache, Path sources) {
        this.compiler = compiler;
        this.cache = cache;
        this.sources = sources;
    }

    /**
     * Builds the stand-in driver (or finds it built) and loads it into this process; once per process.
     *
     * @return the loaded emulation
     * @throws GpuUnavailableException when no C++ compiler is found or the driver does not build
     */
    public static synchronized CudaEmulation load() {
        if (loaded == null) {
            String os = System.getProperty("os.name", "");
            if (!os.startsWith("Linux")) {
                // the stand-in works through the dynamic linker's sonames, as JCuda's Linux library finds libcuda.so.1
                throw new GpuUnavailableException("the CUDA emulation runs on Linux only, and this is " + os);
            }
            Compiler compiler = Compiler.find();
            Path cache = cacheFolder();
            Path sources = unpackSources(cache);
            CudaEmulation emulation = new CudaEmulation(compiler, cache, sources);
            Path driver = emulation.buildDriver();
            System.load(driver.toString());
            loaded = emulation;
        }
        return loaded;
    }

    /** {@return whether this process has loaded the emulation (then JCuda runs on it, not on a device)} */
    public static synchronized boolean isLoaded() {
        return loaded != null;
    }

    /** {@return what runs the kernels, for messages and reports ("the CUDA emulation on the CPU (g++ 12.2.0)")} */
    public String description() {
        return "the CUDA emulation on the CPU (" + compiler.identity() + ")";
    }

    /**
     * {@return the image to pass to {@code cuModuleLoadData} for a module compiled from {@code cudaSource}}
     * Compiled at the first call for a text, from the cache after that.
     *
     * @param name the module's name, for the file and for messages ("LeNet5Net", "lamina_kernels")
     * @param cudaSource the module's CUDA source text; it may include the kernel library's header
     */
    public String moduleImage(String name, String cudaSource) {
        String key = digest(List.of(name, cudaSource));
        Path library = modules.computeIfAbsent(key, k -> buildModule(name, cudaSource));
        return MODULE_IMAGE_PREFIX + library;
    }

    /** {@return the kernel library's image} */
    public String libraryImage() {
        return moduleImage("lamina_kernels", KernelLibrary.source());
    }

    private Path buildDriver() {
        List<String> texts = new ArrayList<>();
        for (String source : SOURCES) {
            texts.add(resource(RESOURCES + source));
        }
        texts.add(compiler.identity());
        Path target = cache.resolve("libcuda-" + digest(texts) + ".so.1");
        if (Files.isRegularFile(target)) {
            return target;
        }
        String javaHome = System.getProperty("java.home");
        Path jni = Path.of(javaHome, "include");
        if (!Files.isRegularFile(jni.resolve("jni.h"))) {
            throw new GpuUnavailableException("the CUDA emulation builds its driver against the JDK's jni.h, and "
                    + jni.resolve("jni.h") + " is missing: run on a JDK, not a JRE");
        }
        List<String> command = new ArrayList<>(List.of(compiler.path().toString()));
        command.addAll(FLAGS);
        command.addAll(List.of("-Wl,-soname,libcuda.so.1", "-I" + sources, "-I" + sources.resolve("include"),
                "-I" + jni, "-I" + jni.resolve("linux"), sources.resolve("driver.cpp").toString(), "-ldl"));
        compile(command, target, "the emulated CUDA driver");
        return target;
    }

    private Path buildModule(String name, String cudaSource) {
        List<String> texts = new ArrayList<>(List.of(cudaSource, KernelLibrary.header()));
        for (String source : SOURCES) {
            texts.add(resource(RESOURCES + source));
        }
        texts.add(compiler.identity());
        Path target = cache.resolve(name + "-" + digest(texts) + ".so");
        if (Files.isRegularFile(target)) {
            return target;
        }
        try {
            Path work = Files.createTempDirectory(cache, name + "-src");
            Files.writeString(work.resolve(name + ".cu"), cudaSource);
            Files.writeString(work.resolve(KernelLibrary.fileName(KernelLibrary.HEADER)), KernelLibrary.header());
            Path wrapper = work.resolve(name + ".emulated.cpp");
            Files.writeString(wrapper, wrapper(name, cudaSource));
            List<String> command = new ArrayList<>(List.of(compiler.path().toString()));
            command.addAll(FLAGS);
            command.addAll(List.of("-include", sources.resolve("cuda_emulation.h").toString(), "-I" + work,
                    "-I" + sources.resolve("include"), wrapper.toString()));
            compile(command, target, "the kernels of " + name);
            deleteTree(work);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the emulated module of " + name + " under " + cache, e);
        }
        return target;
    }

    /** The translation unit of a module: its source, then the table of its kernels for the driver. */
    static String wrapper(String name, String cudaSource) {
        Set<String> kernels = new LinkedHashSet<>();
        Matcher m = KERNEL.matcher(cudaSource);
        while (m.find()) {
            kernels.add(m.group(1));
        }
        StringBuilder out = new StringBuilder();
        out.append("#include \"").append(name).append(".cu\"\n\n");
        out.append("LAMINA_EMULATED_KERNELS_BEGIN\n");
        for (String kernel : kernels) {
            out.append("LAMINA_EMULATED_KERNEL(").append(kernel).append(")\n");
        }
        out.append("LAMINA_EMULATED_KERNELS_END\n");
        return out.toString();
    }

    /** Runs the compiler to a temporary file beside {@code target}, then moves it into place. */
    private void compile(List<String> command, Path target, String what) {
        Path partial = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
        List<String> withOutput = new ArrayList<>(command);
        withOutput.addAll(List.of("-o", partial.toString()));
        try {
            Process process = new ProcessBuilder(withOutput).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                Files.deleteIfExists(partial);
                throw new GpuUnavailableException("the CUDA emulation could not compile " + what + " with "
                        + compiler.identity() + ":\n" + String.join(" ", withOutput) + "\n" + output);
            }
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new GpuUnavailableException("the CUDA emulation could not run " + compiler.path() + " to compile "
                    + what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GpuUnavailableException("interrupted while compiling " + what + " for the CUDA emulation");
        }
    }

    private static Path cacheFolder() {
        String configured = System.getProperty("lamina.emulation.cache");
        Path folder = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("java.io.tmpdir"), "lamina-cuda-emulation-" + System.getProperty("user.name"));
        try {
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the CUDA emulation's cache folder " + folder, e);
        }
    }

    /** The emulation's sources, written once per content into the cache, where the compiler reads them. */
    private static Path unpackSources(Path cache) {
        List<String> texts = new ArrayList<>();
        for (String source : SOURCES) {
            texts.add(resource(RESOURCES + source));
        }
        Path folder = cache.resolve("sources-" + digest(texts));
        if (Files.isDirectory(folder)) {
            return folder;
        }
        try {
            Path work = Files.createTempDirectory(cache, "sources");
            for (int i = 0; i < SOURCES.size(); i++) {
                Path file = work.resolve(SOURCES.get(i));
                Files.createDirectories(file.getParent());
                Files.writeString(file, texts.get(i));
            }
            try {
                Files.move(work, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isDirectory(folder)) {
                    throw e;
                }
                deleteTree(work);  // another process put the same sources there first
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the CUDA emulation's sources under " + cache, e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String resource(String name) {
        try (InputStream in = CudaEmulation.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the lamina-gpu jar lacks " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    private static String digest(List<String> texts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(String.join(" ", FLAGS).getBytes(StandardCharsets.UTF_8));
            for (String text : texts) {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                sha.update(Long.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** The system's C++ compiler: {@code lamina.cxx}, then {@code $CXX}, then g++, c++ or clang++ on the PATH. */
    record Compiler(Path path, String identity) {
        static Compiler find() {
            String property = System.getProperty("lamina.cxx");
            if (property != null && !property.isBlank()) {
                // asked for by name: that compiler or an error, never another one in its place
                Path asked = Path.of(property);
                if (!Files.isExecutable(asked)) {
                    throw new GpuUnavailableException("-Dlamina.cxx=" + property + " names no executable file: "
                            + "give the path of a C++ compiler (g++ or clang++)");
                }
                return new Compiler(asked, version(asked));
            }
            List<String> looked = new ArrayList<>();
            List<String> candidates = new ArrayList<>();
            String environment = System.getenv("CXX");
            if (environment != null && !environment.isBlank()) {
                candidates.add(environment);
            }
            candidates.addAll(List.of("g++", "c++", "clang++"));
            String pathVariable = System.getenv().getOrDefault("PATH", "");
            for (String candidate : candidates) {
                List<Path> places = new ArrayList<>();
                if (candidate.contains(File.separator)) {
                    places.add(Path.of(candidate));
                } else {
                    for (String dir : pathVariable.split(File.pathSeparator)) {
                        if (!dir.isEmpty()) {
                            places.add(Path.of(dir, candidate));
                        }
                    }
                }
                for (Path place : places) {
                    if (Files.isExecutable(place)) {
                        return new Compiler(place, version(place));
                    }
                }
                looked.add(candidate);
            }
            throw new GpuUnavailableException("the CUDA emulation needs a C++ compiler and found none (looked for "
                    + String.join(", ", looked) + " on the PATH; set -Dlamina.cxx=/path/to/g++ or $CXX, or install "
                    + "g++: apt-get install g++)");
        }

        private static String version(Path compiler) {
            try {
                Process process = new ProcessBuilder(compiler.toString(), "--version").redirectErrorStream(true).start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                process.waitFor(1, TimeUnit.MINUTES);
                String first = output.lines().findFirst().orElse("").trim();
                return first.isEmpty() ? compiler.toString() : first;
            } catch (IOException e) {
                throw new GpuUnavailableException("the C++ compiler " + compiler + " does not run: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return compiler.toString();
            }
        }
    }
}
