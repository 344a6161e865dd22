import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * What a build's training computes, exactly: trains a bench model as {@code bench} does (SGD momentum 0.05/0.9,
 * batch 128, seed per epoch) and prints each epoch's training loss and test accuracy in full, and a SHA-256 of the
 * parameters after each epoch. Two builds whose lines are equal did the same arithmetic bit for bit.
 *
 * <pre>java -cp SAMPLES.jar tools/TrainingFingerprint.java MODEL EPOCHS [THREADS]</pre>
 */
public final class TrainingFingerprint {
    public static void main(String[] args) throws Exception {
        String model = args[0];
        int epochs = Integer.parseInt(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Class.forName("dev.lamina.runtime.Workers").getMethod("setThreads", int.class).invoke(null, threads);
        String generated = switch (model) {
            case "mlp" -> "MlpNet";
            case "lenet" -> "LeNet5Net";
            case "lstm" -> "RowLstmNet";
            case "resnet" -> "PeerResNetNet";
            default -> throw new IllegalArgumentException(model);
        };
        Object net = Class.forName("dev.lamina.samples." + generated).getMethod("create", long.class).invoke(null, 0L);
        Class<?> modelType = Class.forName("dev.lamina.runtime.Model");
        Object data = Class.forName("dev.lamina.samples.SampleData").getDeclaredMethod("fashionMnist", Path.class);
        Method fashion = (Method) data;
        fashion.setAccessible(true);
        Path dir = (Path) Class.forName("dev.lamina.runtime.data.Mnist").getField("FASHION_MNIST_DIR").get(null);
        Object split = fashion.invoke(null, dir);
        Object train = split.getClass().getMethod("train").invoke(split);
        Object test = split.getClass().getMethod("test").invoke(split);
        Class<?> optimizer = Class.forName("dev.lamina.runtime.train.Optimizer");
        Object sgd = optimizer.getMethod("momentum", double.class, double.class).invoke(null, 0.05, 0.9);
        Class<?> trainer = Class.forName("dev.lamina.runtime.train.Trainer");
        Class<?> dataset = Class.forName("dev.lamina.runtime.data.Dataset");
        Class<?> evaluation = Class.forName("dev.lamina.runtime.train.Evaluation");
        for (int epoch = 1; epoch <= epochs; epoch++) {
            Object t = trainer.getMethod("of", modelType).invoke(null, net);
            t = trainer.getMethod("optimizer", optimizer).invoke(t, sgd);
            t = trainer.getMethod("batchSize", int.class).invoke(t, 128);
            t = trainer.getMethod("epochs", int.class).invoke(t, 1);
            t = trainer.getMethod("seed", long.class).invoke(t, (long) epoch);
            Object history = trainer.getMethod("fit", dataset).invoke(t, train);
            Object last = history.getClass().getMethod("last").invoke(history);
            double loss = (double) last.getClass().getMethod("trainLoss").invoke(last);
            Object eval = evaluation.getMethod("of", modelType, dataset, int.class).invoke(null, net, test, 1000);
            double accuracy = (double) evaluation.getMethod("accuracy").invoke(eval);
            float[] params = (float[]) modelType.getMethod("parameterArray").invoke(net);
            ByteBuffer bytes = ByteBuffer.allocate(params.length * 4);
            bytes.asFloatBuffer().put(params);
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
            System.out.printf("%s epoch %d: train loss %s, test accuracy %s, parameters sha256 %s%n", model, epoch,
                    Double.toString(loss), Double.toString(accuracy), hash.substring(0, 16));
        }
    }
}
