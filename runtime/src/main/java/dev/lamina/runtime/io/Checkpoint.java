package dev.lamina.runtime.io;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters and running statistics in the safetensors format (an 8-byte little-endian header length, a JSON
 * header of {@code name: {dtype, shape, data_offsets}}, then the raw little-endian floats), so that PyTorch's
 * {@code safetensors} and others can read them. Tensor names are the user's fields: {@code c1.weight}.
 * Writes are atomic ({@link AtomicFiles}); a load checks the header against the format ({@link SafetensorsHeader}:
 * types, offsets that tile the data exactly) and then every name, dtype and shape before it changes anything.
 */
public final class Checkpoint {
    private Checkpoint() {
    }

    public static void save(Model model, Path path) throws IOException {
        List<Tensor> tensors = tensors(model);
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\",\"network\":\"")
                .append(model.name()).append("\"}");
        long offset = 0;
        for (Tensor t : tensors) {
            long end = offset + 4L * t.length();
            header.append(",\"").append(t.name()).append("\":{\"dtype\":\"F32\",\"shape\":")
                    .append(Arrays.toString(t.shape()).replace(" ", "")).append(",\"data_offsets\":[")
                    .append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        header.append('}');
        while ((header.length() + 8) % 8 != 0) {
            header.append(' ');
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).flip();
        ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(offset)).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor t : tensors) {
            for (int i = 0; i < t.length(); i++) {
                data.putFloat(t.get(i));
            }
        }
        AtomicFiles.write(path, prefix, ByteBuffer.wrap(json), data.flip());
    }

    /**
     * Loads every tensor of the model from {@code path}; on any mismatch throws and leaves the model unchanged.
     * A loaded model is in inference mode, as a new one is.
     */
    public static void load(Model model, Path path) throws IOException {
        ByteBuffer file;
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
            if (in.size() > Integer.MAX_VALUE - 8) {
                throw new IOException(path + ": " + in.size() + " bytes: checkpoints of 2 GiB or more are not read");
            }
            file = ByteBuffer.allocate((int) in.size()).order(ByteOrder.LITTLE_ENDIAN);
            while (file.hasRemaining() && in.read(file) >= 0) {
                // read all
            }
            file.flip();
        }
        SafetensorsHeader header = SafetensorsHeader.read(file, path.toString());
        int dataStart = header.dataStart();
        Map<Tensor, float[]> loaded = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Tensor t : tensors(model)) {
            SafetensorsHeader.Entry e = header.entry(t.name());
            if (e == null) {
                problems.add("missing " + t.name() + " " + Arrays.toString(t.shape()));
                continue;
            }
            if (!"F32".equals(e.dtype()) || !Arrays.equals(e.shape(), t.shape())) {
                problems.add(t.name() + ": expected F32 " + Arrays.toString(t.shape()) + ", found " + e.dtype() + " "
                        + Arrays.toString(e.shape()));
                continue;
            }
            long from = e.begin();
            float[] values = new float[t.length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = file.getFloat(dataStart + (int) from + 4 * i);
            }
            loaded.put(t, values);
        }
        if (!problems.isEmpty()) {
            throw new IOException(path + " does not fit network " + model.name() + ": " + String.join("; ", problems));
        }
        loaded.forEach(Tensor::copyFrom);
        model.parametersChanged();
        model.setTraining(false);
    }

    private static List<Tensor> tensors(Model model) {
        List<Tensor> all = new ArrayList<>(model.parameterTensors());
        all.addAll(model.bufferTensors());
        return all;
    }
}
