package dev.lamina.samples;

import dev.lamina.gpu.GpuUnavailableException;
import dev.lamina.runtime.Workers;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.data.Mnist;
import dev.lamina.runtime.train.Evaluation;
import dev.lamina.runtime.train.History;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.ProgressBar;
import dev.lamina.runtime.train.Trainer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The samples' command line.
 * <pre>
 *   java -jar lamina-samples.jar                      the default sample: LeNet on Fashion-MNIST if installed,
 *                                                     else a small CNN on the UCI digits inside the jar
 *   java -jar lamina-samples.jar train --model mlp|lenet|lstm|resnet|inception|digits|autoencoder|charrnn [--epochs N] [--threads T] [--data DIR] [--device cpu|cuda]
 *   java -jar lamina-samples.jar train --model gan [--out DIR] [--epochs N] [--samples N]   DCGAN on Fashion-MNIST,
 *                                                     a PNG of generated images per epoch (CPU; see Dcgan)
 *   java -jar lamina-samples.jar bench --model mlp|lenet|lstm|resnet --epochs N --threads T [--data DIR] [--device cpu|cuda]
 *   java -jar lamina-samples.jar features --model digits [--out DIR] [--epochs N]   pictures of what the digits
 *                                                     CNN learnt: filters, feature maps, PCA and t-SNE (CPU)
 *   java -jar lamina-samples.jar transfer [--out DIR] [--source-epochs N] [--epochs N] [--per-class K]
 *                                                     transfer learning: a frozen feature extractor, a new head
 *   java -jar lamina-samples.jar fgsm|saliency [--out DIR] [--epochs N]   input gradients of the digits CNN:
 *                                                     accuracy under attack and adversarial digits, saliency maps
 *   java -jar lamina-samples.jar maximise [--out DIR] [--epochs N] [--steps S]   an image maximising each class
 *   java -jar lamina-samples.jar style [--out DIR] [--steps S]   style transfer through a random conv net
 *                                                     (these four on the CPU; pictures in target/analysis)
 * </pre>
 * {@code --device cuda} (or {@code cuda:N}) trains on a CUDA device through the network's device program; a
 * machine without one, or a network with layers the GPU path lacks, stops with a message that says which.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length > 0 && !args[0].startsWith("--") ? args[0] : "default";
        Map<String, String> options = options(args, command.equals("default") ? 0 : 1);
        if (options.containsKey("threads")) {
            Workers.setThreads(Integer.parseInt(options.get("threads")));
        }
        Path data = Path.of(options.getOrDefault("data", Mnist.FASHION_MNIST_DIR.toString()));
        String device = options.getOrDefault("device", "cpu");
        try {
            run(command, options, data, device);
        } catch (GpuUnavailableException e) {
            System.err.println("--device " + device + ": " + e.getMessage());
            System.exit(3);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String command, Map<String, String> options, Path data, String device) throws Exception {
        switch (command) {
            case "default" -> {
                if (Mnist.isPresent(data)) {
                    train("lenet", 2, data, device);
                } else {
                    System.out.println("Fashion-MNIST not found in " + data + " (install Debian's dataset-fashion-mnist"
                            + " or pass --data DIR): training the digits sample instead.");
                    train("digits", 30, data, device);
                }
            }
            case "train" -> {
                String model = options.getOrDefault("model", "lenet");
                if (model.equals("gan")) { // DCGAN on the CPU, with options of its own (see Dcgan)
                    Dcgan.run(options, data, device);
                    return;
                }
                // the 8-sample identity problem takes one small batch per epoch: many epochs
                String epochs = options.getOrDefault("epochs", switch (model) {
                    case "autoencoder" -> "3000";
                    case "charrnn" -> "40";
                    default -> "2";
                });
                train(model, Integer.parseInt(epochs), data, device);
            }
            case "features" -> {
                String model = options.getOrDefault("model", "digits");
                if (!model.equals("digits") || !device.equals("cpu")) {
                    throw new IllegalArgumentException("features: expected --model digits on the CPU, found --model "
                            + model + " --device " + device);
                }
                FeaturePictures.run(Path.of(options.getOrDefault("out", "target/pictures")),
                        Integer.parseInt(options.getOrDefault("epochs", "15")));
            }
            case "transfer" -> TransferLearning.run(Path.of(options.getOrDefault("out", "target/transfer")),
                    Integer.parseInt(options.getOrDefault("source-epochs", "20")),
                    Integer.parseInt(options.getOrDefault("epochs", "30")),
                    Integer.parseInt(options.getOrDefault("per-class", "20")));
            case "fgsm" -> AdversarialDigits.run(Path.of(options.getOrDefault("out", "target/analysis")),
                    Integer.parseInt(options.getOrDefault("epochs", "30")));
            case "saliency" -> SaliencyDigits.run(Path.of(options.getOrDefault("out", "target/analysis")),
                    Integer.parseInt(options.getOrDefault("epochs", "30")));
            case "maximise" -> MaximisedDigits.run(Path.of(options.getOrDefault("out", "target/analysis")),
                    Integer.parseInt(options.getOrDefault("epochs", "30")),
                    Integer.parseInt(options.getOrDefault("steps", "300")));
            case "style" -> StyledPicture.run(Path.of(options.getOrDefault("out", "target/analysis")),
                    Integer.parseInt(options.getOrDefault("steps", "300")));
            case "bench" -> Bench.run(options.getOrDefault("model", "mlp"),
                    Integer.parseInt(options.getOrDefault("epochs", "2")), data, device);
            default -> {
                System.err.println("unknown command '" + command + "': use train, bench, features, transfer, fgsm,"
                        + " saliency, maximise, style, or no command");
                System.exit(2);
            }
        }
    }

    static Map<String, String> options(String[] args, int from) {
        Map<String, String> options = new HashMap<>();
        for (int i = from; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, found '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static void train(String modelName, int epochs, Path data, String device) throws Exception {
        if ((modelName.equals("autoencoder") || modelName.equals("charrnn")) && !device.equals("cpu")) {
            throw new IllegalArgumentException("the " + modelName + " sample runs on the CPU only: leave out --device");
        }
        if (modelName.equals("autoencoder")) {
            IdentityProblem.run(epochs);
            return;
        }
        if (modelName.equals("charrnn")) {
            CharRnn.run(epochs);
            return;
        }
        Mnist.Split split;
        Model model;
        Trainer trainer;
        if (modelName.equals("digits")) {
            split = SampleData.digits(7);
            model = Devices.on(device, DigitsCnnNet.create(1));
            trainer = Trainer.of(model).optimizer(Optimizer.momentum(0.05, 0.9)).batchSize(32);
        } else {
            split = SampleData.fashionMnist(data);
            model = Devices.on(device, Bench.create(modelName));
            trainer = Trainer.of(model).optimizer(Optimizer.momentum(0.05, 0.9)).batchSize(128);
        }
        System.out.println(model.summary());
        System.out.println("on " + Devices.describe(model));
        History history = trainer.epochs(epochs).seed(42).listener(new ProgressBar()).fit(split.train(),
                split.test());
        Evaluation test = Evaluation.of(model, split.test(), 1000);
        System.out.printf(Locale.ROOT, "%s: test accuracy %.4f (loss %.4f) after %d epochs%n", model.name(),
                test.accuracy(), test.loss(), history.epochs().size());
    }
}
