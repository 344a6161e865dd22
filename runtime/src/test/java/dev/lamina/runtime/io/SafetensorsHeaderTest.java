package dev.lamina.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Issue 15, item 10: a safetensors header is checked against the format, offsets tile the data exactly. */
class SafetensorsHeaderTest {
    /** A file of {@code header} (padded to 8) and {@code dataBytes} zero bytes. */
    static ByteBuffer file(String header, int dataBytes) {
        StringBuilder h = new StringBuilder(header);
        while (h.length() % 8 != 0) {
            h.append(' ');
        }
        byte[] json = h.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        return b.position(0);
    }

    private static String error(String header, int dataBytes) {
        return assertThrows(IOException.class, () -> SafetensorsHeader.read(file(header, dataBytes), "m.st"))
                .getMessage();
    }

    private static final String W = "\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}";
    private static final String B = "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]}";

    @Test
    void aWellFormedHeader() throws IOException {
        SafetensorsHeader h = SafetensorsHeader.read(file("{\"__metadata__\":{\"format\":\"pt\"}," + B + "," + W
                + "}", 32), "m.st");
        assertArrayEquals(new int[] {2, 3}, h.entry("w").shape());
        assertEquals(24, h.entry("b").begin());
        assertEquals(0, h.dataStart() % 8);
    }

    @Test
    void everyBreakOfTheFormatIsNamed() {
        assertTrue(error("{" + W + "," + B + "}", 36).contains("4 bytes left over"));
        assertTrue(error("{" + W + "," + B + "}", 28).contains("the file is truncated"));
        assertTrue(error("{" + W + "," + B.replace("[24,32]", "[28,36]") + "}", 36)
                .contains("tensor b: expected its data to begin at 24 (where w ends), found 28: a gap"));
        assertTrue(error("{" + W + "," + B.replace("[24,32]", "[20,28]") + "}", 32)
                .contains("found 20: the tensors overlap"));
        assertTrue(error("{" + W.replace("[0,24]", "[-4,20]") + "}", 24)
                .contains("m.st: tensor w: expected data_offsets [begin, end] (integers >= 0), found [-4, 20]"));
        assertTrue(error("{" + W.replace("[0,24]", "[0,20]") + "}", 20)
                .contains("tensor w: expected data_offsets spanning 24 bytes (F32 [2, 3]), found [0, 20], 20 bytes"));
        assertTrue(error("{" + W.replace("\"shape\":[2,3],", "") + "}", 24)
                .contains("m.st: tensor w: expected a shape (a list of integers >= 0), found null"));
        assertTrue(error("{" + W.replace("[2,3]", "[2,-3]") + "}", 24).contains("expected a shape"));
        assertTrue(error("{" + W.replace("\"F32\"", "7") + "}", 24).contains("tensor w: expected a dtype among"));
        assertTrue(error("{\"w\":[1,2]}", 0).contains("tensor w: expected an object"));
        assertTrue(error("{" + W.replace("[0,24]", "[0,24,32]") + "}", 24).contains("expected data_offsets"));
    }

    @Test
    void theHeaderLengthMustFitTheFile() {
        ByteBuffer b = file("{" + W + "}", 24);
        b.putLong(0, b.limit());
        IOException e = assertThrows(IOException.class, () -> SafetensorsHeader.read(b, "m.st"));
        assertTrue(e.getMessage().startsWith("m.st: not a safetensors file: expected a header length in [2, "),
                e.getMessage());
        // a header length a few bytes short still parses (the padding), but the data no longer tiles
        ByteBuffer c = file("{" + W + "}        ", 24);
        c.putLong(0, c.getLong(0) - 4);
        assertTrue(assertThrows(IOException.class, () -> SafetensorsHeader.read(c, "m.st")).getMessage()
                .contains("4 bytes left over"));
    }

    private static void assertContains(String message, String part) {
        assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
    }

    /** Issue 22, item 6: the header's JSON is read strictly (Jackson), each refusal saying where and what. */
    @Test
    void malformedJsonIsRefusedWithWhereAndWhat() {
        String dup = error("{" + W + "," + W.replace("[0,24]", "[24,48]") + "}", 48);
        assertTrue(dup.startsWith("m.st: bad safetensors header at byte "), dup);
        assertTrue(dup.contains("expected each name once in an object, found \"w\" again"), dup);
        String trailing = error("{" + W + "}x", 24);
        assertTrue(trailing.startsWith("m.st: bad safetensors header at byte " + ("{" + W + "}").length()), trailing);
        assertContains(error("{" + W + "}{}", 24), "expected the end of the header after its object, found '{'");
        String deep = error("{\"__metadata__\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}", 0);
        assertTrue(deep.startsWith("m.st: bad safetensors header") && deep.contains("nesting depth"), deep);
        assertContains(error("{" + W.replace("[0,24]", "[0,123456789012345678901234567890]") + "}", 24),
                "expected an integer within 64 bits, found 123456789012345678901234567890");
        assertContains(error("{\"__metadata__\":{\"n\":1" + "0".repeat(200) + "}}", 0), "Number value length");
        assertContains(error("{\"__metadata__\":{\"a\":\"\\x\"}}", 0), "Unrecognized character escape");
        assertContains(error("{\"__metadata__\":{\"a\":\"\\u12\"}}", 0), "escape");
        assertContains(error("{\"__metadata__\":{\"a\":\"tab\there\"}}", 0), "CTRL-CHAR");
        assertTrue(error("{\"__metadata__\":{\"a\":\"open}}", 0).startsWith("m.st: bad safetensors header"));
        assertTrue(error("{\"__metadata__\":{},}", 0).startsWith("m.st: bad safetensors header"));
        assertContains(error("[" + "1".repeat(4) + "]", 0), "expected a JSON object, found [");
        // malformed UTF-8 in a name is refused, not replaced with U+FFFD
        ByteBuffer bad = file("{\"__metadata__\":{\"a\":\"\u00e9\"}}", 0);
        int at = 8 + "{\"__metadata__\":{\"a\":\"".length();
        bad.put(at, (byte) 0xC3).put(at + 1, (byte) 0x28);
        String utf8 = assertThrows(IOException.class, () -> SafetensorsHeader.read(bad, "m.st")).getMessage();
        assertTrue(utf8.contains("UTF-8"), utf8);
    }
}
