package dev.lamina.gpu;

import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuInit;

import dev.lamina.gpu.emulation.CudaEmulation;
import dev.lamina.gpu.emulation.EmulatorControl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import jcuda.CudaException;
import jcuda.driver.JCudaDriver;

/**
 * The entry to the GPU: whether the CUDA driver and a device are there, and a {@link CudaDevice} to work on.
 *
 * <p>Lamina uses the driver API only (kernels arrive as PTX that the Maven plugin built with nvcc), so a machine
 * needs the NVIDIA driver ({@code libcuda.so.1}) and no CUDA toolkit. The probe runs once per process; its
 * outcome, with the reason when the answer is no, is kept.
 *
 * <p>The system property {@value #MODE_PROPERTY} chooses what runs the kernels: {@code device} (the default) the
 * NVIDIA driver and a GPU; {@code emulated} {@link CudaEmulation}, CUDA's execution model on the CPU (the same
 * generated kernels compiled by the system C++ compiler, for tests on machines without a GPU); {@code auto} the
 * device where the machine has an NVIDIA driver's device files, else the emulation (what the build's tests use).
 * The choice is made once per process, before JCuda's native library loads.
 */
public final class Cuda {
    /** The system property that chooses between the device and the emulation. */
    public static final String MODE_PROPERTY = "lamina.cuda";

    private static String unavailable;
    private static int devices = -1;
    private static boolean emulated;

    private Cuda() {
    }

    /** {@return whether the driver loads and reports at least one device} */
    public static synchronized boolean available() {
        probe();
        return unavailable == null;
    }

    /**
     * Why {@link #available()} is false (null when it is true).
     *
     * @return the reason, or null
     */
    public static synchronized String unavailableReason() {
        probe();
        return unavailable;
    }

    /**
     * Devices the driver reports (0 when it does not load).
     *
     * @return the number of devices
     */
    public static synchronized int deviceCount() {
        probe();
        return Math.max(devices, 0);
    }

    /** {@return whether the kernels run on the CUDA emulation on the CPU rather than on a GPU} */
    public static synchronized boolean emulated() {
        probe();
        return emulated;
    }

    /**
     * {@return what runs the kernels, for reports: the emulation, the device count, or why there is none}
     */
    public static synchronized String describe() {
        probe();
        if (unavailable != null) {
            return "no GPU: " + unavailable;
        }
        return emulated ? CudaEmulation.load().description() : devices + " CUDA device(s)";
    }

    /**
     * {@return {@code e} with the driver's detail of the failure added where there is one} The emulation explains
     * an illegal address (which kernel, which address, which allocation); the NVIDIA driver has no more to say than
     * the error's name.
     *
     * @param e what JCuda threw
     */
    public static RuntimeException explained(CudaException e) {
        if (CudaEmulation.isLoaded()) {
            String detail = EmulatorControl.lastError();
            if (!detail.isEmpty()) {
                return new CudaException(e.getMessage() + ": " + detail, e);
            }
        }
        return e;
    }

    /**
     * {@return a context and a stream on device {@code index}}
     *
     * @param index the device's ordinal, in {@code [0, deviceCount())}
     * @throws GpuUnavailableException when there is no driver, no device, or no device of that index
     */
    public static synchronized CudaDevice open(int index) {
        probe();
        if (unavailable != null) {
            throw new GpuUnavailableException(unavailable);
        }
        if (index < 0 || index >= devices) {
            throw new GpuUnavailableException("CUDA device " + index + " asked for, but the driver reports "
                    + devices + " device(s): use an index from 0 to " + (devices - 1));
        }
        return new CudaDevice(index);
    }

    private static void probe() {
        if (devices >= 0 || unavailable != null) {
            return;
        }
        String mode = System.getProperty(MODE_PROPERTY, "device").trim().toLowerCase(Locale.ROOT);
        switch (mode) {
            case "device" -> emulated = false;
            case "emulated" -> emulated = true;
            case "auto" -> emulated = !nvidiaDeviceFiles();
            default -> throw new IllegalArgumentException("-D" + MODE_PROPERTY + "=" + mode
                    + " is not a choice: use device (a GPU through the NVIDIA driver), emulated (the CUDA emulation"
                    + " on the CPU) or auto (the device where there is one, else the emulation)");
        }
        if (emulated) {
            try {
                CudaEmulation.load();
            } catch (GpuUnavailableException e) {
                devices = 0;
                unavailable = "the CUDA emulation was asked for (-D" + MODE_PROPERTY + "=" + mode
                        + ") and cannot run: " + e.getMessage();
                emulated = false;
                return;
            }
        }
        try {
            JCudaDriver.setExceptionsEnabled(true);
            cuInit(0);
            int[] count = new int[1];
            cuDeviceGetCount(count);
            devices = count[0];
            if (devices == 0) {
                unavailable = "the NVIDIA driver (libcuda.so.1) loaded, but it reports no CUDA device";
            }
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            devices = 0;
            unavailable = "no NVIDIA driver: JCuda's driver library needs libcuda.so.1 (the NVIDIA driver, not the "
                    + "CUDA toolkit) on the library path, and loading it failed: " + firstLine(e.getMessage());
        } catch (CudaException e) {
            devices = 0;
            unavailable = "the NVIDIA driver did not initialise (cuInit): " + e.getMessage();
        }
    }

    /** Whether the NVIDIA driver's device files are there (a GPU machine, or a container given one). */
    private static boolean nvidiaDeviceFiles() {
        return Files.exists(Path.of("/dev/nvidiactl")) || Files.exists(Path.of("/dev/dxg"));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
