package dev.lamina.samples;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.data.Mnist;
import dev.lamina.runtime.pictures.ImageGrid;
import dev.lamina.runtime.train.GanTrainer;
import dev.lamina.runtime.train.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The DCGAN sample ({@code train --model gan}): {@link DcganGenerator} against {@link DcganDiscriminator} on
 * Fashion-MNIST (or, where it is not installed, the embedded 8x8 digits enlarged to 28x28), trained by
 * {@link GanTrainer} with Adam (learning rate 2e-4, rho1 0.5, as in the DCGAN paper). Writes {@code real.png}
 * (64 training images) and, after every epoch, {@code epoch-N.png}: the generator's images for 64 fixed noise
 * vectors, so that the pictures show the same samples improving.
 *
 * <p>Options: {@code --out DIR} (target/gan), {@code --epochs N} (5 on Fashion-MNIST, 80 on the 1,437 digits),
 * {@code --samples N} training images used (25,600: a subset, so that the defaults finish in a few minutes on 2
 * cores), {@code --batch M} (64), {@code --seed S} (1), {@code --data DIR}.
 */
public final class Dcgan {
    /** Images in each picture, 8 to a row. */
    static final int SHOWN = 64;
    static final int COLUMNS = 8;
    static final int ZOOM = 2;
    static final int GAP = 2;
    private static final int SIDE = 28;

    private Dcgan() {
    }

    /** Runs the sample with the command line's options; returns the pictures written, in order. */
    public static List<Path> run(Map<String, String> options, Path data, String device) throws Exception {
        if (!device.equals("cpu")) {
            throw new IllegalArgumentException("the gan sample runs on the CPU only: expected --device cpu, found "
                    + device);
        }
        Path out = Path.of(options.getOrDefault("out", "target/gan"));
        boolean fashion = Mnist.isPresent(data);
        // about 2,000 generator steps by default: shapes of garments (or digits), a minute or two on 2 cores
        int epochs = positive(options, "epochs", fashion ? 5 : 80);
        int samples = positive(options, "samples", 25_600);
        int batch = positive(options, "batch", 64);
        long seed = Long.parseLong(options.getOrDefault("seed", "1"));

        Dataset images = images(data, fashion, samples);
        Model generator = DcganGeneratorNet.create(seed);
        Model discriminator = DcganDiscriminatorNet.create(seed + 1);
        GanTrainer gan = GanTrainer.of(generator, discriminator)
                .generatorOptimizer(Optimizer.adam(2e-4, 0.5, 0.999, 1e-8))
                .discriminatorOptimizer(Optimizer.adam(2e-4, 0.5, 0.999, 1e-8))
                .batchSize(batch).seed(seed);
        float[] fixedNoise = GanTrainer.Noise.NORMAL.draw(new Rng(seed + 2), SHOWN * DcganGenerator.NOISE);

        Files.createDirectories(out);
        List<Path> written = new ArrayList<>();
        Path real = out.resolve("real.png");
        grid(images.slice(0, Math.min(SHOWN, images.size())).features(), Math.min(SHOWN, images.size()))
                .write(real);
        written.add(real);
        System.out.printf(Locale.ROOT, "DCGAN on %d images %s, batches of %d, %d epochs; pictures in %s%n",
                images.size(), Arrays.toString(images.shape()), batch, epochs, out);
        long start = System.nanoTime();
        gan.fit(images, epochs, (epoch, losses) -> {
            Path picture = out.resolve("epoch-" + epoch + ".png");
            grid(generator.predict(fixedNoise, SHOWN), SHOWN).write(picture);
            written.add(picture);
            System.out.printf(Locale.ROOT, "epoch %d: discriminator loss %.4f, generator loss %.4f (%.0f s) -> %s%n",
                    epoch, losses.discriminator(), losses.generator(), (System.nanoTime() - start) / 1e9, picture);
        });
        return written;
    }

    /** Pixels in [-1, 1] (the generator's tanh range), 8 to a row, each pixel 2x2, grey scale fixed to [-1, 1]. */
    static ImageGrid grid(float[] pixels, int count) {
        return ImageGrid.of(pixels, count, 1, SIDE, SIDE).columns(COLUMNS).zoom(ZOOM).gap(GAP).range(-1, 1);
    }

    /** The first {@code samples} training images in [-1, 1]: Fashion-MNIST if present, else the digits enlarged. */
    static Dataset images(Path data, boolean fashion, int samples) throws IOException {
        Dataset source;
        if (fashion) {
            source = SampleData.fashionMnist(data).train();
        } else {
            System.out.println("Fashion-MNIST not found in " + data + ": the embedded 8x8 digits, enlarged to 28x28");
            source = enlarged(SampleData.digits(7).train());
        }
        Dataset subset = source.slice(0, Math.min(samples, source.size()));
        float[] x = subset.features().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] = 2 * x[i] - 1;
        }
        return new Dataset(x, subset.shape(), new float[0], 0);
    }

    /** Images of any size resized to 28x28 by bilinear interpolation (pixel centres aligned). */
    static Dataset enlarged(Dataset small) {
        int h = small.shape()[1];
        int w = small.shape()[2];
        float[] from = small.features();
        float[] to = new float[small.size() * SIDE * SIDE];
        for (int n = 0; n < small.size(); n++) {
            for (int y = 0; y < SIDE; y++) {
                double sy = Math.min(Math.max((y + 0.5) * h / SIDE - 0.5, 0), h - 1);
                int y0 = (int) sy;
                int y1 = Math.min(y0 + 1, h - 1);
                double fy = sy - y0;
                for (int x = 0; x < SIDE; x++) {
                    double sx = Math.min(Math.max((x + 0.5) * w / SIDE - 0.5, 0), w - 1);
                    int x0 = (int) sx;
                    int x1 = Math.min(x0 + 1, w - 1);
                    double fx = sx - x0;
                    int base = n * h * w;
                    double top = from[base + y0 * w + x0] * (1 - fx) + from[base + y0 * w + x1] * fx;
                    double bottom = from[base + y1 * w + x0] * (1 - fx) + from[base + y1 * w + x1] * fx;
                    to[(n * SIDE + y) * SIDE + x] = (float) (top * (1 - fy) + bottom * fy);
                }
            }
        }
        return new Dataset(to, new int[] {1, SIDE, SIDE}, new float[0], 0);
    }

    private static int positive(Map<String, String> options, String name, int fallback) {
        int value = Integer.parseInt(options.getOrDefault(name, String.valueOf(fallback)));
        if (value < 1) {
            throw new IllegalArgumentException("expected a positive --" + name + ", found " + value);
        }
        return value;
    }
}
