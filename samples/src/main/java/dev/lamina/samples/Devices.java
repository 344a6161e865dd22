package dev.lamina.samples;

import dev.lamina.gpu.Cuda;
import dev.lamina.gpu.DeviceNetwork;
import dev.lamina.runtime.Model;

/** The samples' {@code --device cpu|cuda|cuda:N}: the network as built, or the same network on a CUDA device. */
final class Devices {
    private Devices() {
    }

    /**
     * {@code model} on {@code device}.
     *
     * @throws dev.lamina.gpu.GpuUnavailableException for {@code cuda} without a driver or device, or a network
     *                                                built without kernels or with layers the GPU path lacks
     */
    static Model on(String device, Model model) {
        if (device.equals("cpu")) {
            return model;
        }
        if (device.equals("cuda") || device.startsWith("cuda:")) {
            int index = device.equals("cuda") ? 0 : Integer.parseInt(device.substring("cuda:".length()));
            return new DeviceNetwork(model, Cuda.open(index));
        }
        throw new IllegalArgumentException("unknown device '" + device + "': use cpu, cuda or cuda:N");
    }

    /** What the JSON lines and the summary call the device. */
    static String describe(Model model) {
        return model instanceof DeviceNetwork d ? d.device().toString() : "cpu";
    }
}
