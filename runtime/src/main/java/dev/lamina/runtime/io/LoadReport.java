package dev.lamina.runtime.io;

import java.util.Arrays;
import java.util.List;

/**
 * What {@link Checkpoint#load(dev.lamina.runtime.Model, java.nio.file.Path, Checkpoint.Options)} did. Names of
 * model tensors are the model's ({@code c1.weight}); names of file tensors are the file's, before renaming.
 *
 * @param source the file loaded
 * @param loaded the model tensors overwritten from the file, in the model's order
 * @param kept the model tensors left as they were (absent from the file, or mismatched), in the model's order
 * @param unused the file's tensors no model tensor took (absent from the model, or mismatched), in file order
 * @param mismatches the model tensors found in the file with another dtype or shape; not loaded
 */
public record LoadReport(String source, List<String> loaded, List<String> kept, List<String> unused,
                         List<Mismatch> mismatches) {
    /**
     * Copies the lists: a report does not change.
     *
     * @param source the file loaded
     * @param loaded the model tensors overwritten from the file
     * @param kept the model tensors left as they were
     * @param unused the file's tensors no model tensor took
     * @param mismatches the model tensors found with another dtype or shape
     */
    public LoadReport {
        loaded = List.copyOf(loaded);
        kept = List.copyOf(kept);
        unused = List.copyOf(unused);
        mismatches = List.copyOf(mismatches);
    }

    /**
     * A model tensor whose file tensor has another dtype or shape.
     *
     * @param name the model tensor's name
     * @param fileName the file tensor's name, before renaming
     * @param expected the model tensor's shape (its dtype is F32)
     * @param foundDtype the file tensor's dtype
     * @param found the file tensor's shape
     */
    public record Mismatch(String name, String fileName, int[] expected, String foundDtype, int[] found) {
        /**
         * Copies the shapes.
         *
         * @param name the model tensor's name
         * @param fileName the file tensor's name
         * @param expected the model tensor's shape
         * @param foundDtype the file tensor's dtype
         * @param found the file tensor's shape
         */
        public Mismatch {
            expected = expected.clone();
            found = found.clone();
        }

        /** {@return the model tensor's shape, a copy} */
        @Override
        public int[] expected() {
            return expected.clone();
        }

        /** {@return the file tensor's shape, a copy} */
        @Override
        public int[] found() {
            return found.clone();
        }

        /** As {@code out.weight: expected F32 [3, 16], found F32 [5, 16]}. */
        @Override
        public String toString() {
            return name + (fileName.equals(name) ? "" : " (" + fileName + " in the file)") + ": expected F32 "
                    + Arrays.toString(expected) + ", found " + foundDtype + " " + Arrays.toString(found);
        }

        /** Equal when every component is, shapes by content. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Mismatch m && name.equals(m.name) && fileName.equals(m.fileName)
                    && Arrays.equals(expected, m.expected) && foundDtype.equals(m.foundDtype)
                    && Arrays.equals(found, m.found);
        }

        /** Consistent with {@link #equals}. */
        @Override
        public int hashCode() {
            return (name.hashCode() * 31 + fileName.hashCode()) * 31 + Arrays.hashCode(expected) * 17
                    + foundDtype.hashCode() + Arrays.hashCode(found);
        }
    }

    /** {@return whether every model tensor was loaded} */
    public boolean complete() {
        return kept.isEmpty();
    }

    /** Several lines: the counts, then each loaded, kept, unused and mismatched name. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Loaded ").append(loaded.size()).append(" of ")
                .append(loaded.size() + kept.size()).append(" tensors from ").append(source);
        section(s, "loaded", loaded);
        section(s, "kept as they were", kept);
        section(s, "in the file, not used", unused);
        if (!mismatches.isEmpty()) {
            s.append("\n  mismatched (not loaded):");
            for (Mismatch m : mismatches) {
                s.append("\n    ").append(m);
            }
        }
        return s.toString();
    }

    private static void section(StringBuilder s, String title, List<String> names) {
        if (!names.isEmpty()) {
            s.append("\n  ").append(title).append(" (").append(names.size()).append("): ")
                    .append(String.join(", ", names));
        }
    }
}
