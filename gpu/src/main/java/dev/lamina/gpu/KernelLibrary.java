package dev.lamina.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Internal, not API: part of the device path behind {@link DeviceNetwork}, public for the Maven plugin and the
 * processor's tests; it may change in any release.
 *
 * <p>Where Lamina's kernel library lives, and how it reaches nvcc and the device: one copy, the resources of this
 * module (lamina-gpu), which every part that needs it depends on already: the run time loads the kernels, the
 * processor's tests check device programs against them, and the Maven plugin compiles them.
 * <ul>
 *   <li>{@value #SOURCE}: the generic {@code __global__} kernels (GEMMs, im2col, batch-norm statistics, pooling,
 *       optimizer steps, ...) that device programs launch by name. The plugin's {@code compile-kernels} goal
 *       compiles it on its own, once per build, into {@link #ptx(String) META-INF/lamina/lamina_kernels.sm_XX.ptx}
 *       in the project's classes, for the same architectures as the networks' PTX; {@link NetworkKernels} loads
 *       that module once per context, beside each network's own.</li>
 *   <li>{@value #HEADER}: the library's {@code __device__} functions that a network's generated kernels call too
 *       (the CPU's dropout stream, the recurrent cell templates). Each generated {@code Net.cu} includes it, so it
 *       holds only the network's own kernels; the plugin puts it on nvcc's include path.</li>
 * </ul>
 * {@link KernelSignatures} reads the library's kernels from {@value #SOURCE}, so a device program's launches are
 * checked against the library's kernels and the network's alike.
 */
public final class KernelLibrary {
    /** The library's kernels, as a class path resource. */
    public static final String SOURCE = "dev/lamina/gpu/lamina_kernels.cu";
    /** The device functions shared with generated kernels, as a class path resource. */
    public static final String HEADER = "dev/lamina/gpu/lamina_device.cuh";

    private KernelLibrary() {
    }

    /**
     * {@return the class path resource of the library's PTX for {@code arch} ("sm_90")} Under META-INF, which is no
     * Java
     * package, so that a project's jar adds no split package to lamina-gpu's.
     *
     * @param arch the architecture, as {@code sm_90}
     */
    public static String ptx(String arch) {
        return "META-INF/lamina/lamina_kernels." + arch + ".ptx";
    }

    /** {@return the text of {@value #SOURCE}} */
    public static String source() {
        return read(SOURCE);
    }

    /** {@return the text of {@value #HEADER}} */
    public static String header() {
        return read(HEADER);
    }

    /**
     * {@return the file name of a resource, which is what the source's {@code #include} names it by}
     *
     * @param resource a class path resource name
     */
    public static String fileName(String resource) {
        return resource.substring(resource.lastIndexOf('/') + 1);
    }

    private static String read(String resource) {
        try (InputStream in = KernelLibrary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the lamina-gpu jar lacks " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
