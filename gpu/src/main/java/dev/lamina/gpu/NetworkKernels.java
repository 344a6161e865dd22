package dev.lamina.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The PTX a network was built with: {@code Net.sm_XX.ptx} beside the generated class {@code Net}, one per
 * architecture the Maven plugin's {@code compile-kernels} goal built. A device runs PTX built for its own
 * architecture or an older one (the driver compiles it forward), so the newest one not newer than the device is
 * taken.
 */
public final class NetworkKernels {
    /** Architectures looked for, newest first. */
    static final List<Integer> KNOWN = List.of(120, 100, 90, 89, 87, 86, 80, 75, 72, 70);

    private NetworkKernels() {
    }

    /** The module of {@code network}'s kernels for {@code device}. */
    public static CudaModule load(Class<?> network, CudaDevice device) {
        String name = resourceFor(network, device.architecture());
        try (InputStream in = network.getResourceAsStream(name)) {
            return device.load(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " beside " + network.getName(), e);
        }
    }

    /**
     * The resource name of the PTX to load for a device of architecture {@code deviceArch} ("sm_90").
     *
     * @throws GpuUnavailableException when the network was built without kernels, or only for newer devices
     */
    static String resourceFor(Class<?> network, String deviceArch) {
        int device = Integer.parseInt(deviceArch.substring(deviceArch.indexOf('_') + 1));
        List<String> built = new ArrayList<>();
        for (int arch : KNOWN) {
            String name = network.getSimpleName() + ".sm_" + arch + ".ptx";
            if (network.getResource(name) != null) {
                if (arch <= device) {
                    return name;
                }
                built.add("sm_" + arch);
            }
        }
        if (built.isEmpty()) {
            throw new GpuUnavailableException(network.getName() + " was built without CUDA kernels: no "
                    + network.getSimpleName() + ".sm_XX.ptx beside the class. Build with nvcc on the PATH (the "
                    + "lamina-maven-plugin's compile-kernels goal makes them), or train on the CPU.");
        }
        throw new GpuUnavailableException(network.getName() + " has kernels for " + built + " only, and this device is "
                + deviceArch + ": rebuild with -Dlamina.architectures=" + deviceArch + " (or add it to the list)");
    }
}
