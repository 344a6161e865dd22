package dev.lamina.runtime.report;

import dev.lamina.runtime.Workers;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.openblas.global.openblas;

/** Internal, not API: the machine a run trained on, as the rows of the report's hardware table. */
final class Hardware {
    private Hardware() {
    }

    /** The processor, cores, memory, threads, JVM and operating system, by row name. */
    static Map<String, String> describe() {
        Map<String, String> rows = new LinkedHashMap<>();
        Runtime runtime = Runtime.getRuntime();
        rows.put("processor", processorName());
        rows.put("cores (available to the JVM)", Integer.toString(runtime.availableProcessors()));
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            rows.put("physical memory", gib(os.getTotalMemorySize()));
        }
        rows.put("JVM heap limit", gib(runtime.maxMemory()));
        rows.put("worker threads", Integer.toString(Workers.threads()));
        rows.put("OpenBLAS threads per call", Integer.toString(openblas.blas_get_num_threads()));
        rows.put("JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vm.vendor") + ")");
        rows.put("operating system", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        return rows;
    }

    /** The first "model name" of /proc/cpuinfo; the architecture where there is none (not Linux). */
    private static String processorName() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try (Stream<String> lines = Files.lines(cpuinfo)) {
                return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                        .findFirst().orElse(System.getProperty("os.arch"));
            } catch (IOException | java.io.UncheckedIOException e) {
                return System.getProperty("os.arch");
            }
        }
        return System.getProperty("os.arch");
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
