package dev.lamina.processor.pytorch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One PyTorch differential case as pytorch_fixtures.py wrote it: a safetensors file whose tensors (F32 or F64)
 * are read here as doubles, and whose {@code __metadata__} strings say which network and mode. The runtime's
 * Checkpoint reads F32 only, and its JSON reader is package-private, hence this small reader.
 */
final class Fixture {
    final Path path;
    final Map<String, String> metadata = new LinkedHashMap<>();
    private final Map<String, double[]> tensors = new LinkedHashMap<>();

    private Fixture(Path path) {
        this.path = path;
    }

    static Fixture read(Path path) throws IOException {
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = Math.toIntExact(file.getLong(0));
        String json = new String(file.array(), 8, headerLength, StandardCharsets.UTF_8);
        Fixture f = new Fixture(path);
        @SuppressWarnings("unchecked")
        Map<String, Object> header = (Map<String, Object>) new JsonReader(json).value();
        int data = 8 + headerLength;
        for (Map.Entry<String, Object> e : header.entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> entry = (Map<String, Object>) e.getValue();
            if (e.getKey().equals("__metadata__")) {
                entry.forEach((k, v) -> f.metadata.put(k, (String) v));
                continue;
            }
            List<?> offsets = (List<?>) entry.get("data_offsets");
            int from = data + ((Number) offsets.get(0)).intValue();
            int to = data + ((Number) offsets.get(1)).intValue();
            boolean f64 = "F64".equals(entry.get("dtype"));
            double[] values = new double[(to - from) / (f64 ? 8 : 4)];
            for (int i = 0; i < values.length; i++) {
                values[i] = f64 ? file.getDouble(from + 8 * i) : file.getFloat(from + 4 * i);
            }
            f.tensors.put(e.getKey(), values);
        }
        return f;
    }

    String name() {
        return path.getFileName().toString().replace(".safetensors", "");
    }

    boolean has(String tensor) {
        return tensors.containsKey(tensor);
    }

    double[] get(String tensor) {
        double[] t = tensors.get(tensor);
        if (t == null) {
            throw new IllegalArgumentException(path + " has no tensor " + tensor);
        }
        return t;
    }

    float[] floats(String tensor) {
        double[] t = get(tensor);
        float[] out = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = (float) t[i];
        }
        return out;
    }

    /** The names of the tensors that start with {@code prefix}, the prefix removed. */
    List<String> namesAfter(String prefix) {
        List<String> out = new ArrayList<>();
        for (String name : tensors.keySet()) {
            if (name.startsWith(prefix)) {
                out.add(name.substring(prefix.length()));
            }
        }
        return out;
    }

    /** Just enough JSON for a safetensors header: objects, arrays, strings, numbers. */
    private static final class JsonReader {
        private final String s;
        private int at;

        JsonReader(String s) {
            this.s = s;
        }

        Object value() {
            skip();
            char c = s.charAt(at);
            if (c == '{') {
                Map<String, Object> map = new LinkedHashMap<>();
                at++;
                while (next() != '}') {
                    String key = string();
                    expect(':');
                    map.put(key, value());
                    if (next() == ',') {
                        at++;
                    }
                }
                at++;
                return map;
            }
            if (c == '[') {
                List<Object> list = new ArrayList<>();
                at++;
                while (next() != ']') {
                    list.add(value());
                    if (next() == ',') {
                        at++;
                    }
                }
                at++;
                return list;
            }
            if (c == '"') {
                return string();
            }
            int start = at;
            while (at < s.length() && "+-.eE0123456789".indexOf(s.charAt(at)) >= 0) {
                at++;
            }
            return Double.parseDouble(s.substring(start, at));
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (s.charAt(at) != '"') {
                char c = s.charAt(at++);
                b.append(c == '\\' ? s.charAt(at++) : c);
            }
            at++;
            return b.toString();
        }

        private char next() {
            skip();
            return s.charAt(at);
        }

        private void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + at + " of " + s);
            }
            at++;
        }

        private void skip() {
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
                at++;
            }
        }
    }
}
