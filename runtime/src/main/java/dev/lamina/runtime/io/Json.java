package dev.lamina.runtime.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict JSON for a safetensors header, which is untrusted input, read with Jackson's streaming parser
 * (jackson-core): objects become {@link LinkedHashMap}s in the file's order, arrays {@link List}s, integers
 * {@link Long}s, other numbers {@link Double}s, {@code true}/{@code false} {@link Boolean}s, {@code null} null.
 * Refused with an {@link IOException} naming the source, the byte of the header and what was wrong: anything
 * that is not JSON (malformed UTF-8, bad escapes, raw control characters, comments, single quotes, {@code NaN}),
 * a name twice in one object, text after the object, nesting deeper than {@value #MAX_DEPTH}, an integer beyond
 * 64 bits, a number longer than {@value #MAX_NUMBER_LENGTH} characters. Internal, not API.
 */
final class Json {
    /** A header nests three deep ({@code __metadata__}'s values are strings); far deeper is an attack, not a file. */
    static final int MAX_DEPTH = 64;
    /** Offsets and shapes fit in 20 digits; longer numbers are refused before they are converted. */
    static final int MAX_NUMBER_LENGTH = 100;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH).build())
            .build();

    private Json() {
    }

    /**
     * Parses {@code length} bytes of {@code bytes} from {@code offset}, which must be exactly one JSON object in UTF-8
     * (with white space around it at most); malformed UTF-8 is refused, not replaced.
     *
     * @param bytes holds the JSON text
     * @param offset where the text begins in {@code bytes}
     * @param length the text's length in bytes
     * @param source the file it came from, for messages
     * @return the object's members, in the text's order
     * @throws IOException naming {@code source} and the byte where the text stops being a valid header
     */
    static Map<String, Object> parseObject(byte[] bytes, int offset, int length, String source) throws IOException {
        try (JsonParser p = FACTORY.createParser(bytes, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw error(source, p.currentTokenLocation(), "expected a JSON object, found "
                        + (p.currentToken() == null ? "nothing" : p.getText()));
            }
            Map<String, Object> object = object(p, source);
            if (p.nextToken() != null) {
                throw error(source, p.currentTokenLocation(), "expected the end of the header after its object,"
                        + " found '" + p.getText() + "'");
            }
            return object;
        } catch (JsonProcessingException e) {
            // Jackson's own message, without its source excerpt: the location is given as a byte offset
            throw error(source, e.getLocation(), e.getOriginalMessage());
        }
    }

    private static Map<String, Object> object(JsonParser p, String source) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String name; (name = p.nextFieldName()) != null; ) {
            JsonLocation at = p.currentTokenLocation();
            p.nextToken();
            if (map.containsKey(name)) {
                throw error(source, at, "expected each name once in an object, found \"" + name + "\" again");
            }
            map.put(name, value(p, source));
        }
        return map;
    }

    private static Object value(JsonParser p, String source) throws IOException {
        switch (p.currentToken()) {
            case START_OBJECT:
                return object(p, source);
            case START_ARRAY:
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(p, source));
                }
                return list;
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw error(source, p.currentTokenLocation(), "expected an integer within 64 bits, found "
                            + p.getText());
                }
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw error(source, p.currentTokenLocation(), "expected a value, found " + p.currentToken());
        }
    }

    private static IOException error(String source, JsonLocation at, String what) {
        String where = at == null || at.getByteOffset() < 0 ? "" : " at byte " + at.getByteOffset() + " of the header";
        return new IOException(source + ": bad safetensors header" + where + ": " + what);
    }
}
