package dev.lamina.runtime.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header of a safetensors file, checked against the format before anything is read by it: the 8-byte length
 * fits the file; every entry but {@code __metadata__} is an object with a known {@code dtype} (a string), a
 * {@code shape} (a list of non-negative integers) and {@code data_offsets} (two integers, begin <= end) whose span
 * is the shape's element count times the dtype's width; and the entries, in offset order, tile the data region
 * exactly: the first begins at 0, each begins where the one before ends, the last ends at the end of the file. A
 * file that breaks any of this would otherwise load wrong parameters silently; each error names the file, the
 * tensor, what was expected and what was found.
 */
final class SafetensorsHeader {
    /** One tensor's entry; offsets are relative to the start of the data region. */
    record Entry(String name, String dtype, int[] shape, long begin, long end) {
    }

    private static final Map<String, Integer> WIDTHS = Map.ofEntries(Map.entry("F64", 8), Map.entry("F32", 4),
            Map.entry("F16", 2), Map.entry("BF16", 2), Map.entry("F8_E4M3", 1), Map.entry("F8_E5M2", 1),
            Map.entry("I64", 8), Map.entry("I32", 4), Map.entry("I16", 2), Map.entry("I8", 1), Map.entry("U64", 8),
            Map.entry("U32", 4), Map.entry("U16", 2), Map.entry("U8", 1), Map.entry("BOOL", 1));

    private final Map<String, Entry> entries;
    private final int dataStart;
    private final Map<?, ?> metadata;

    private SafetensorsHeader(Map<String, Entry> entries, int dataStart, Map<?, ?> metadata) {
        this.entries = entries;
        this.dataStart = dataStart;
        this.metadata = metadata;
    }

    /** The {@code __metadata__} entry's value for {@code key} (a string), or null when absent. */
    Object metadata(String key) {
        return metadata.get(key);
    }

    /** The entry named {@code name}, or null. */
    Entry entry(String name) {
        return entries.get(name);
    }

    /** Every tensor entry (not {@code __metadata__}), in the header's order. */
    java.util.Collection<Entry> entries() {
        return entries.values();
    }

    /** Where the data region begins in the file. */
    int dataStart() {
        return dataStart;
    }

    /** Parses and checks the header of {@code file}, the whole file's bytes (little-endian); {@code source} names it. */
    static SafetensorsHeader read(ByteBuffer file, String source) throws IOException {
        long size = file.limit();
        if (size < 8) {
            throw new IOException(source + ": not a safetensors file: expected at least 8 bytes (the header length),"
                    + " found " + size);
        }
        long headerLength = file.getLong(0);
        if (headerLength < 2 || headerLength > size - 8) {
            throw new IOException(source + ": not a safetensors file: expected a header length in [2, " + (size - 8)
                    + "] for a file of " + size + " bytes, found " + headerLength);
        }
        Map<String, Object> header = Json.parseObject(file.array(), file.arrayOffset() + 8, (int) headerLength,
                source);
        int dataStart = 8 + (int) headerLength;
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<?, ?> metadata = Map.of();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                if (!(e.getValue() instanceof Map<?, ?> m)) {
                    throw new IOException(source + ": expected __metadata__ to be an object, found " + e.getValue());
                }
                metadata = m;
                continue;
            }
            entries.put(e.getKey(), entry(e.getKey(), e.getValue(), source));
        }
        checkTiling(entries.values(), size - dataStart, source);
        return new SafetensorsHeader(entries, dataStart, metadata);
    }

    private static Entry entry(String name, Object value, String source) throws IOException {
        String where = source + ": tensor " + name + ": ";
        if (!(value instanceof Map<?, ?> e)) {
            throw new IOException(where + "expected an object with dtype, shape and data_offsets, found " + value);
        }
        if (!(e.get("dtype") instanceof String dtype) || !WIDTHS.containsKey(dtype)) {
            throw new IOException(where + "expected a dtype among " + new java.util.TreeSet<>(WIDTHS.keySet())
                    + ", found " + e.get("dtype"));
        }
        long[] shape = integers(e.get("shape"), -1, where + "expected a shape (a list of integers >= 0)");
        long[] offsets = integers(e.get("data_offsets"), 2, where + "expected data_offsets [begin, end] (integers >= 0)");
        if (offsets[0] > offsets[1]) {
            throw new IOException(where + "expected data_offsets with begin <= end, found " + Arrays.toString(offsets));
        }
        int[] dims = new int[shape.length];
        long bytes = WIDTHS.get(dtype);
        try {
            for (int i = 0; i < shape.length; i++) {
                dims[i] = Math.toIntExact(shape[i]);
                bytes = Math.multiplyExact(bytes, shape[i]);
            }
        } catch (ArithmeticException x) {
            throw new IOException(where + "shape " + Arrays.toString(shape) + " is too large");
        }
        if (offsets[1] - offsets[0] != bytes) {
            throw new IOException(where + "expected data_offsets spanning " + bytes + " bytes (" + dtype + " "
                    + Arrays.toString(shape) + "), found " + Arrays.toString(offsets) + ", " + (offsets[1] - offsets[0])
                    + " bytes");
        }
        return new Entry(name, dtype, dims, offsets[0], offsets[1]);
    }

    /** A JSON list of non-negative integers, of {@code length} (or any length for -1). */
    private static long[] integers(Object value, int length, String expected) throws IOException {
        if (!(value instanceof List<?> list) || (length >= 0 && list.size() != length)
                || !list.stream().allMatch(o -> o instanceof Long l && l >= 0)) {
            throw new IOException(expected + ", found " + value);
        }
        return list.stream().mapToLong(o -> (Long) o).toArray();
    }

    /** The entries in offset order must cover [0, dataLength) with neither gap nor overlap. */
    private static void checkTiling(java.util.Collection<Entry> entries, long dataLength, String source)
            throws IOException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        String previous = null;
        for (Entry e : sorted) {
            if (e.begin() != expected) {
                throw new IOException(source + ": tensor " + e.name() + ": expected its data to begin at " + expected
                        + (previous == null ? " (the start of the data region)" : " (where " + previous + " ends)")
                        + ", found " + e.begin() + (e.begin() < expected ? ": the tensors overlap" : ": a gap"));
            }
            expected = e.end();
            previous = e.name();
        }
        if (expected != dataLength) {
            throw new IOException(source + ": expected the tensors' data to end at the end of the file, "
                    + dataLength + " bytes after the header, found " + (previous == null ? "no tensor" : "the last, "
                    + previous + ", ending at " + expected) + (expected > dataLength ? ": the file is truncated"
                    : ": " + (dataLength - expected) + " bytes left over"));
        }
    }
}
