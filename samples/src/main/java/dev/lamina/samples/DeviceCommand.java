package dev.lamina.samples;

/** A command that takes {@code --device}: its value names the device in a "no GPU" message. */
interface DeviceCommand {
    /** The {@code --device} given, {@code cpu} by default. */
    String device();
}
