package dev.lamina.samples;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The models the samples train: the one list that {@code train --model}, {@code bench --model}, the help and the
 * README's sample commands show (a test holds the README to it).
 */
public enum SampleModel {
    /** A multilayer perceptron on Fashion-MNIST. */
    MLP("a multilayer perceptron", Data.FASHION_MNIST, 2, true),
    /** LeNet-5 on Fashion-MNIST. */
    LENET("LeNet-5", Data.FASHION_MNIST, 2, true),
    /** An LSTM reading Fashion-MNIST's images row by row. */
    LSTM("an LSTM over the image rows", Data.FASHION_MNIST, 2, true),
    /** A small ResNet on Fashion-MNIST. */
    RESNET("a small ResNet", Data.FASHION_MNIST, 2, true),
    /** An Inception network on Fashion-MNIST. */
    INCEPTION("an Inception network", Data.FASHION_MNIST, 2, true),
    /** A small CNN on the UCI digits inside the jar. */
    DIGITS("a small CNN", Data.EMBEDDED_DIGITS, 2, false),
    /** The 8-3-8 identity problem: one small batch per epoch, so many epochs. */
    AUTOENCODER("the 8-3-8 identity problem", Data.NONE, 3000, false),
    /** A character LSTM on sonnets shipped in the jar, then sampled text. */
    CHARRNN("a character LSTM on sonnets shipped in the jar, then sampled text", Data.NONE, 40, false),
    /** A DCGAN writing a picture of generated images per epoch; its epochs depend on the data (see Dcgan). */
    GAN("a DCGAN writing a picture of generated images per epoch", Data.FASHION_MNIST_OR_DIGITS, 0, false);

    /** Where a model's examples come from. */
    public enum Data {
        /** Fashion-MNIST, from {@code --data DIR}. */
        FASHION_MNIST("Fashion-MNIST"),
        /** The UCI digits inside the jar. */
        EMBEDDED_DIGITS("embedded digits"),
        /** Fashion-MNIST where installed, else the embedded digits enlarged. */
        FASHION_MNIST_OR_DIGITS("Fashion-MNIST, else the embedded digits"),
        /** Data of its own, generated or inside the jar. */
        NONE("its own data");

        private final String label;

        Data(String label) {
            this.label = label;
        }

        /** The words the help shows. */
        public String label() {
            return label;
        }
    }

    private final String description;
    private final Data data;
    private final int defaultEpochs;
    private final boolean benchmarked;

    SampleModel(String description, Data data, int defaultEpochs, boolean benchmarked) {
        this.description = description;
        this.data = data;
        this.defaultEpochs = defaultEpochs;
        this.benchmarked = benchmarked;
    }

    /** The name on the command line ({@code --model NAME}). */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What the model is, for the help. */
    public String description() {
        return description;
    }

    /** The description and, unless the model brings its own, where its examples come from: as help and README show it. */
    public String summary() {
        return data == Data.NONE ? description : description + " (" + data.label() + ")";
    }

    /** Where its examples come from. */
    public Data data() {
        return data;
    }

    /** The epochs {@code train} runs without {@code --epochs}; 0 where the sample chooses (the GAN). */
    public int defaultEpochs() {
        return defaultEpochs;
    }

    /** Whether {@code bench} runs it (the peers' Fashion-MNIST models). */
    public boolean benchmarked() {
        return benchmarked;
    }

    /** Whether it trains only on the CPU ({@code --device cuda} refused). */
    public boolean cpuOnly() {
        return this == AUTOENCODER || this == CHARRNN || this == GAN;
    }

    /** The models {@code bench} runs, in the registry's order. */
    public static List<SampleModel> benchmarkedModels() {
        return Arrays.stream(values()).filter(SampleModel::benchmarked).toList();
    }

    /** The names of {@code models}, comma separated, as error messages list them. */
    public static String names(List<SampleModel> models) {
        return models.stream().map(SampleModel::cliName).collect(Collectors.joining(", "));
    }

    /**
     * The model called {@code name} on the command line.
     *
     * @throws IllegalArgumentException naming the valid models, for a name that is none of them
     */
    public static SampleModel of(String name) {
        for (SampleModel model : values()) {
            if (model.cliName().equals(name)) {
                return model;
            }
        }
        throw new IllegalArgumentException("unknown model '" + name + "': expected one of "
                + names(List.of(values())));
    }
}
