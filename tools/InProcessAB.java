import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Two builds of the samples in one JVM, run alternately: the way to compare a change's speed on a busy machine.
 * Each build's Lamina classes load from its own shaded jar; the third-party classes (JavaCPP, OpenBLAS, JCuda)
 * load once, from the first jar, so both builds share one OpenBLAS.
 *
 * <pre>java tools/InProcessAB.java BEFORE.jar AFTER.jar MODEL EPOCHS ROUNDS [THREADS]</pre>
 *
 * Each round runs {@code bench --model MODEL --epochs EPOCHS} on both builds (which goes first alternates) and
 * prints each build's JSON lines; the last line gives the median ratio of samples per second, AFTER / BEFORE.
 */
public final class InProcessAB {
    private static final class LaminaFirst extends URLClassLoader {
        LaminaFirst(Path jar, ClassLoader shared) throws Exception {
            super(new URL[] {jar.toUri().toURL()}, shared);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.lamina.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        @Override
        public URL getResource(String name) {
            URL own = name.startsWith("dev/lamina/") ? findResource(name) : null;
            return own != null ? own : super.getResource(name);
        }
    }

    public static void main(String[] args) throws Exception {
        Path before = Path.of(args[0]);
        Path after = Path.of(args[1]);
        String model = args[2];
        String epochs = args[3];
        int rounds = Integer.parseInt(args[4]);
        String threads = args.length > 5 ? args[5] : "2";
        ClassLoader shared = new URLClassLoader(new URL[] {before.toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
        ClassLoader[] builds = {new LaminaFirst(before, shared), new LaminaFirst(after, shared)};
        String[] names = {"before", "after"};
        List<List<Double>> speeds = List.of(new ArrayList<>(), new ArrayList<>());
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < 2; k++) {
                int b = (round + k) % 2;
                for (String line : bench(builds[b], model, epochs, threads).split("\n")) {
                    if (line.startsWith("{")) {
                        System.out.println(names[b] + " " + line);
                        speeds.get(b).add(Double.parseDouble(
                                line.replaceAll(".*\"samples_per_s\": ([0-9.]+).*", "$1")));
                    }
                }
            }
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < speeds.get(0).size(); i++) {
            ratios.add(speeds.get(1).get(i) / speeds.get(0).get(i));
        }
        ratios.sort(null);
        System.out.printf("after/before samples_per_s: median %.3f, range %.3f-%.3f over %d epochs%n",
                ratios.get(ratios.size() / 2), ratios.get(0), ratios.get(ratios.size() - 1), ratios.size());
    }

    private static String bench(ClassLoader build, String model, String epochs, String threads) throws Exception {
        Thread.currentThread().setContextClassLoader(build);
        Method main = build.loadClass("dev.lamina.samples.Main").getMethod("main", String[].class);
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        try {
            main.invoke(null, (Object) new String[] {"bench", "--model", model, "--epochs", epochs,
                    "--threads", threads});
        } finally {
            System.setOut(out);
        }
        return captured.toString();
    }
}
