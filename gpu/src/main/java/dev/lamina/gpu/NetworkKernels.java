package dev.lamina.gpu;

import dev.lamina.gpu.emulation.CudaEmulation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import jcuda.driver.CUmodule;

/**
 * Internal, not API: part of the device path behind {@link DeviceNetwork}, public for the Maven plugin and the
 * processor's tests; it may change in any release.
 *
 * <p>The kernels a network's device program launches, from the two PTX modules the Maven plugin's
 * {@code compile-kernels} goal built: the network's own ({@code Net.sm_XX.ptx} beside the generated class
 * {@code Net}: its epilogues, activation steps and loss) and the kernel library ({@link KernelLibrary#ptx}, in
 * the same build's classes: GEMMs, pooling, optimizer steps, ...), which is loaded once per device context and
 * shared by every network on it. A kernel the library defines comes from the library's module, any other from the
 * network's. A device runs PTX built for its own architecture or an older one (the driver compiles it forward), so
 * for each module the newest one not newer than the device is taken.
 */
public final class NetworkKernels {
    /** Architectures looked for, newest first. */
    static final List<Integer> KNOWN = List.of(120, 100, 90, 89, 87, 86, 80, 75, 72, 70);

    /**
     * The library's module on each device, loaded once per context; weak, so that a closed device goes (the value
     * is the driver's handle, not a {@link CudaModule}, which would hold its device).
     */
    private static final Map<CudaDevice, CUmodule> LIBRARIES = new WeakHashMap<>();

    private final CudaModule network;
    private final CudaModule library;
    private final Set<String> libraryKernels = KernelSignatures.library();

    private NetworkKernels(CudaModule network, CudaModule library) {
        this.network = network;
        this.library = library;
    }

    /**
     * {@return the kernels of {@code network} on {@code device}: its own module, loaded now, and the library's}
     *
     * @param network the generated class, beside which its PTX lies
     * @param device the device to load on
     * @throws GpuUnavailableException when the network or the library was built without kernels, or only for newer
     *     devices
     */
    public static NetworkKernels load(Class<?> network, CudaDevice device) {
        if (Cuda.emulated()) {
            return emulated(network, device);
        }
        String name = resourceFor(network, device.architecture());
        CudaModule own = device.load(read(network.getResource(name), name + " beside " + network.getName()));
        return new NetworkKernels(own, library(device, () -> {
            String library = libraryResourceFor(network.getClassLoader(), device.architecture());
            return read(network.getClassLoader().getResource(library), library);
        }));
    }

    /**
     * On the emulation the modules are the CUDA sources themselves, compiled for the CPU: the network's {@code .cu}
     * (which the processor writes beside the class) and the library's, so no nvcc and no PTX are needed.
     */
    private static NetworkKernels emulated(Class<?> network, CudaDevice device) {
        CudaEmulation emulation = CudaEmulation.load();
        String name = network.getSimpleName() + ".cu";
        URL source = network.getResource(name);
        if (source == null) {
            throw new GpuUnavailableException(network.getName() + " has no generated CUDA source (" + name
                    + " beside the class), so the emulation has nothing to compile");
        }
        CudaModule own = device.load(emulation.moduleImage(network.getSimpleName(), read(source, name)));
        return new NetworkKernels(own, library(device, emulation::libraryImage));
    }

    /**
     * {@return the kernel {@code name}, from the library's module when the library has it, else from the network's}
     *
     * @param name the kernel's name
     */
    public Kernel kernel(String name) {
        return (libraryKernels.contains(name) ? library : network).kernel(name);
    }

    /** The library's module on {@code device}, loaded from {@code image} the first time a network there asks. */
    private static CudaModule library(CudaDevice device, Supplier<String> image) {
        synchronized (LIBRARIES) {
            CUmodule module = LIBRARIES.get(device);
            if (module == null) {
                module = device.load(image.get()).handle();
                LIBRARIES.put(device, module);
            }
            return new CudaModule(device, module);
        }
    }

    /**
     * The resource name of the PTX to load for a device of architecture {@code deviceArch} ("sm_90").
     *
     * @throws GpuUnavailableException when the network was built without kernels, or only for newer devices
     */
    static String resourceFor(Class<?> network, String deviceArch) {
        return newest(arch -> network.getSimpleName() + ".sm_" + arch + ".ptx", network::getResource, deviceArch,
                network.getName() + " was built without CUDA kernels: no " + network.getSimpleName()
                        + ".sm_XX.ptx beside the class",
                network.getName() + " has kernels");
    }

    /**
     * The resource name of the library's PTX, as {@code loader} finds it, for a device of {@code deviceArch}.
     *
     * @throws GpuUnavailableException when the build put no library PTX on the class path, or only for newer devices
     */
    static String libraryResourceFor(ClassLoader loader, String deviceArch) {
        return newest(arch -> KernelLibrary.ptx("sm_" + arch), loader::getResource, deviceArch,
                "Lamina's kernel library was not built: no " + KernelLibrary.ptx("sm_XX") + " on the class path",
                "Lamina's kernel library was built");
    }

    /** The newest of the {@link #KNOWN} architectures' resources present and not newer than the device. */
    private static String newest(IntFunction<String> resource, Function<String, URL> find,
                                 String deviceArch, String noneBuilt, String builtFor) {
        int device = Integer.parseInt(deviceArch.substring(deviceArch.indexOf('_') + 1));
        List<String> built = new ArrayList<>();
        for (int arch : KNOWN) {
            String name = resource.apply(arch);
            if (find.apply(name) != null) {
                if (arch <= device) {
                    return name;
                }
                built.add("sm_" + arch);
            }
        }
        if (built.isEmpty()) {
            throw new GpuUnavailableException(noneBuilt + ". Build with nvcc on the PATH (the lamina-maven-plugin's "
                    + "compile-kernels goal makes them), or train on the CPU.");
        }
        throw new GpuUnavailableException(builtFor + " for " + built + " only, and this device is " + deviceArch
                + ": rebuild with -Dlamina.architectures=" + deviceArch + " (or add it to the list)");
    }

    private static String read(URL resource, String what) {
        try (InputStream in = resource.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what, e);
        }
    }
}
