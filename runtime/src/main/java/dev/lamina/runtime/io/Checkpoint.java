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
 * header of {@code name: {dtype, shape, data_offsets}}, then the raw little-endian values), in PyTorch's names and
 * layouts, so that {@code torch.nn.Module.load_state_dict(state, strict=True)} of the equivalent PyTorch module
 * takes a Lamina checkpoint as it is, and a state dict PyTorch saved with {@code safetensors.torch.save_file} loads
 * into Lamina. Each tensor is written as its {@link Tensor#fileLayout()} says (the generated network declares it):
 * convolution weights {@code [filters, channels, kh, kw]} (Lamina keeps them channels last), a 1-d convolution's
 * {@code [filters, channels, k]}, a transposed convolution's {@code [in, out, kh, kw]}, a dense layer fed by a
 * flatten of a {@code C x H x W} map with its columns in {@code (c, h, w)} order (Lamina's are {@code (h, w, c)}),
 * recurrent tensors as {@code weight_ih_l0}; the rest as Lamina holds them, which is PyTorch's layout too. Each
 * batch norm also gets PyTorch's {@code num_batches_tracked} (I64, shape {@code []}), written as 0: Lamina does not
 * count batches (its running statistics use a fixed momentum, as PyTorch's default does); it is ignored at load.
 * Tensors of Lamina-only layers keep their Lamina names and layouts: PyTorch has no equivalent of an LSTM with
 * peepholes or coupled gates, of a dense layer after a {@code Reshape} or after a flattened sequence.
 *
 * <p>The metadata say {@code "format": "pt"}, the network's name and {@code "lamina_layout": "pytorch-1"}. A file
 * without {@code lamina_layout} whose metadata name a {@code network} was written by an earlier Lamina, in
 * Lamina's own layouts: it is loaded in those layouts (layout version 0), so old checkpoints keep working; a file
 * with no such metadata (as PyTorch writes them) is read in PyTorch's layouts; any other {@code lamina_layout} is
 * refused, naming the version found. Saving always writes the current layout.
 *
 * <p>Writes are atomic ({@link AtomicFiles}); a load checks the header against the format ({@link SafetensorsHeader}:
 * types, offsets that tile the data exactly) and then every name, dtype and shape before it changes anything.
 * A load is strict by default; {@link Options#partial()} loads what matches, {@link Options#rename} maps the file's
 * name prefixes first, and {@link #load(Model, Path, Options)} says what it did in a {@link LoadReport}.
 */
public final class Checkpoint {
    /** The metadata key naming the layouts a file holds. */
    public static final String LAYOUT_KEY = "lamina_layout";
    /** The layout version this class writes: PyTorch's names and layouts. */
    public static final String LAYOUT = "pytorch-1";
    private static final String BATCHES_TRACKED = "num_batches_tracked";
    private static final String RUNNING_MEAN = "running_mean";

    private Checkpoint() {
    }

    /**
     * Writes the model's parameters, then its running statistics, to {@code path} (atomically), as F32 in PyTorch's
     * names and layouts (each tensor's {@link Tensor#fileLayout()}), then each batch norm's {@code num_batches_tracked}
     * (I64, 0), with the network's name and the layout version in the metadata.
     *
     * @param model the model to save
     * @param path the file to write (replaced whole, or left as it was)
     * @throws IOException when the file cannot be written
     */
    public static void save(Model model, Path path) throws IOException {
        List<Tensor> tensors = tensors(model);
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\",\"network\":\"")
                .append(model.name()).append("\",\"").append(LAYOUT_KEY).append("\":\"").append(LAYOUT)
                .append("\"}");
        long offset = 0;
        for (Tensor t : tensors) {
            Tensor.FileLayout layout = t.fileLayout();
            offset = entry(header, layout.name(), "F32", layout.shape(), offset, 4L * t.length());
        }
        List<String> counters = batchCounters(tensors);
        for (String name : counters) {
            offset = entry(header, name, "I64", new int[0], offset, 8);
        }
        header.append('}');
        while ((header.length() + 8) % 8 != 0) {
            header.append(' ');
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).flip();
        ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(offset)).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor t : tensors) {
            for (float v : t.fileLayout().toFile(t.toArray())) {
                data.putFloat(v);
            }
        }
        for (int i = 0; i < counters.size(); i++) {
            data.putLong(0L);
        }
        AtomicFiles.write(path, prefix, ByteBuffer.wrap(json), data.flip());
    }

    private static long entry(StringBuilder header, String name, String dtype, int[] shape, long offset,
                              long bytes) {
        header.append(",\"").append(name).append("\":{\"dtype\":\"").append(dtype).append("\",\"shape\":")
                .append(Arrays.toString(shape).replace(" ", "")).append(",\"data_offsets\":[").append(offset)
                .append(',').append(offset + bytes).append("]}");
        return offset + bytes;
    }

    /** PyTorch's batch counter of each batch norm: one per {@code running_mean}, under the file's prefix. */
    private static List<String> batchCounters(List<Tensor> tensors) {
        List<String> names = new ArrayList<>();
        for (Tensor t : tensors) {
            String name = t.fileLayout().name();
            if (t.kind() == Tensor.Kind.STATISTIC && name.endsWith("." + RUNNING_MEAN)) {
                names.add(name.substring(0, name.length() - RUNNING_MEAN.length()) + BATCHES_TRACKED);
            }
        }
        return names;
    }

    /** Whether the file holds PyTorch's layouts (true) or, written by Lamina before them, Lamina's own. */
    private static boolean torchLayouts(SafetensorsHeader header, Path path) throws IOException {
        Object layout = header.metadata(LAYOUT_KEY);
        if (layout == null) {
            return header.metadata("network") == null;
        }
        if (!LAYOUT.equals(layout)) {
            throw new IOException(path + ": expected tensors in layout " + LAYOUT + " (or a file without "
                    + LAYOUT_KEY + "), found " + LAYOUT_KEY + " " + layout + ": written by a newer Lamina?");
        }
        return true;
    }

    /**
     * Loads every tensor of the model from {@code path}; on any mismatch throws and leaves the model unchanged.
     * A loaded model is in inference mode, as a new one is. The same as {@code load(model, path, Options.strict())};
     * tensors of the file that the model lacks are ignored.
     *
     * @param model the model to load into
     * @param path the checkpoint file
     * @throws IOException when the file cannot be read or is not a checkpoint of this model
     */
    public static void load(Model model, Path path) throws IOException {
        load(model, path, Options.strict());
    }

    /**
     * Loads the model's tensors from {@code path} as {@code options} say and reports what was loaded. The file's
     * names are first renamed by the options' prefix rules, then matched with the names the model's tensors have in files
     * (parameters and running statistics: {@link Tensor#fileLayout()}, PyTorch's names; a file of layout version 0
     * uses the tensors' own) and converted from the file's layout to the tensor's. Strict options: every model
     * tensor must be found as F32 with its file shape, or this
     * throws naming each missing tensor and each mismatch (expected and found) and changes nothing. Partial
     * options: the tensors found with the right dtype and shape are loaded, the others are left as they were and
     * reported ({@link LoadReport#kept}, {@link LoadReport#mismatches}), never loaded. Either way the header is
     * checked against the format first, and two file tensors renamed to the same name are an error: nothing is
     * written unless every check passed. After a strict load, or a partial one that wrote anything, the model takes the new values
     * ({@link Model#parametersChanged}) and is in inference mode, as a new one is.
     *
     * @return what was loaded, kept, not used and mismatched
     * @param model the model to load into
     * @param path the checkpoint file
     * @param options how names are matched and whether a partial load is allowed
     * @throws IOException the file cannot be read, breaks the format, renames two tensors to one name, or (strict)
     *     does not fit the model
     */
    public static LoadReport load(Model model, Path path, Options options) throws IOException {
        java.util.Objects.requireNonNull(options, "options");
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
        boolean torch = torchLayouts(header, path);
        int dataStart = header.dataStart();
        // the file's entries under their renamed names
        Map<String, SafetensorsHeader.Entry> byName = new LinkedHashMap<>();
        for (SafetensorsHeader.Entry e : header.entries()) {
            String renamed = options.renamed(e.name());
            SafetensorsHeader.Entry before = byName.put(renamed, e);
            if (before != null) {
                throw new IOException(path + ": tensors " + before.name() + " and " + e.name()
                        + " are both renamed to " + renamed + " by " + options);
            }
        }
        Map<Tensor, float[]> loaded = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<String> loadedNames = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        List<LoadReport.Mismatch> mismatches = new ArrayList<>();
        java.util.Set<String> used = new java.util.HashSet<>();
        for (Tensor t : tensors(model)) {
            Tensor.FileLayout layout = torch ? t.fileLayout() : Tensor.FileLayout.identity(t.name(), t.shape());
            SafetensorsHeader.Entry e = byName.get(layout.name());
            if (e == null) {
                problems.add("missing " + layout.name() + " " + Arrays.toString(layout.shape()));
                kept.add(t.name());
                continue;
            }
            if (!"F32".equals(e.dtype()) || !Arrays.equals(e.shape(), layout.shape())) {
                String from = e.name().equals(t.name()) ? "" : " (" + e.name() + " in the file)";
                problems.add(t.name() + from + ": expected F32 " + Arrays.toString(layout.shape()) + ", found "
                        + e.dtype() + " " + Arrays.toString(e.shape()));
                mismatches.add(new LoadReport.Mismatch(t.name(), e.name(), layout.shape(), e.dtype(), e.shape()));
                kept.add(t.name());
                continue;
            }
            long from = e.begin();
            float[] values = new float[t.length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = file.getFloat(dataStart + (int) from + 4 * i);
            }
            loaded.put(t, layout.toMemory(values));
            loadedNames.add(t.name());
            used.add(e.name());
        }
        if (!options.isPartial() && !problems.isEmpty()) {
            throw new IOException(path + " does not fit network " + model.name() + ": " + String.join("; ", problems));
        }
        List<String> unused = new ArrayList<>();
        for (SafetensorsHeader.Entry e : header.entries()) {
            // PyTorch's batch counters have no Lamina twin: expected, not "unused"
            if (!used.contains(e.name()) && !(torch && e.name().endsWith("." + BATCHES_TRACKED))) {
                unused.add(e.name());
            }
        }
        if (!options.isPartial() || !loaded.isEmpty()) {
            loaded.forEach(Tensor::copyFrom);
            model.parametersChanged();
            model.setTraining(false);
        }
        return new LoadReport(path.toString(), loadedNames, kept, unused, mismatches);
    }

    /**
     * How {@link #load(Model, Path, Options)} matches a file with a model: strict (the default: every model tensor
     * must be in the file with its shape) or partial (load what matches, report the rest), and prefix renames
     * applied to the file's names before matching. Immutable: {@link #rename} returns new options.
     */
    public static final class Options {
        private final boolean partial;
        private final List<String[]> renames;

        private Options(boolean partial, List<String[]> renames) {
            this.partial = partial;
            this.renames = List.copyOf(renames);
        }

        /** {@return all or nothing, as {@link Checkpoint#load(Model, Path)}: the default} */
        public static Options strict() {
            return new Options(false, List.of());
        }

        /**
         * Loads the tensors whose names and shapes match; leaves the others as they are and reports them.
         *
         * @return options for a partial load, with no renames
         */
        public static Options partial() {
            return new Options(true, List.of());
        }

        /**
         * {@return these options with one more rename: a file tensor whose name begins with {@code fromPrefix} is
         * matched
         * under that prefix replaced by {@code toPrefix} ({@code rename("features.", "backbone.")} matches the
         * file's {@code features.c1.weight} with the model's {@code backbone.c1.weight}; an empty
         * {@code fromPrefix} prepends, an empty {@code toPrefix} strips)} Rules are tried in the order given and
         * the first whose prefix fits is applied, once; names no rule fits are matched as they are.
         *
         * @param fromPrefix a name prefix as the file has it
         * @param toPrefix the prefix the model's tensors have instead
         */
        public Options rename(String fromPrefix, String toPrefix) {
            java.util.Objects.requireNonNull(fromPrefix, "fromPrefix");
            java.util.Objects.requireNonNull(toPrefix, "toPrefix");
            List<String[]> more = new ArrayList<>(renames);
            more.add(new String[] {fromPrefix, toPrefix});
            return new Options(partial, more);
        }

        /** {@return whether tensors that do not match are left as they are (true) or make the load fail (false)} */
        public boolean isPartial() {
            return partial;
        }

        /**
         * {@code fileName} as the rename rules map it.
         *
         * @param fileName a tensor name as the file has it
         * @return the name the model's tensor is looked up under
         */
        public String renamed(String fileName) {
            for (String[] r : renames) {
                if (fileName.startsWith(r[0])) {
                    return r[1] + fileName.substring(r[0].length());
                }
            }
            return fileName;
        }

        /** As {@code partial, renaming "features." to "backbone."}. */
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(partial ? "partial" : "strict");
            for (int i = 0; i < renames.size(); i++) {
                s.append(i == 0 ? ", renaming " : ", ").append('"').append(renames.get(i)[0]).append("\" to \"")
                        .append(renames.get(i)[1]).append('"');
            }
            return s.toString();
        }
    }

    private static List<Tensor> tensors(Model model) {
        List<Tensor> all = new ArrayList<>(model.parameterTensors());
        all.addAll(model.bufferTensors());
        return all;
    }
}
