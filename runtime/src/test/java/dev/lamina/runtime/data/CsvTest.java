package dev.lamina.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15, item 2: the CSV reader never drops or changes a row silently. */
class CsvTest {
    @TempDir
    Path dir;

    private static Dataset read(String csv, int classes, Csv.Header header) throws IOException {
        return Csv.readClassification(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "t.csv",
                classes, header);
    }

    private static String error(String csv, int classes) {
        return assertThrows(IOException.class, () -> read(csv, classes, Csv.Header.DETECT)).getMessage();
    }

    @Test
    void anEmptyCellInTheFirstRowIsAnErrorNotAHeader() throws IOException {
        Path p = dir.resolve("three.csv");
        Files.writeString(p, "0.1,,0.3,0\n0.4,0.5,0.6,1\n0.7,0.8,0.9,2\n");
        IOException e = assertThrows(IOException.class, () -> Csv.readClassification(p, 3));
        assertTrue(e.getMessage().startsWith(p + ":1: column 2: expected a finite number, found an empty cell"),
                e.getMessage());
    }

    @Test
    void everyMalformedRowIsAnErrorWithItsLine() {
        assertTrue(error("1,2,0\n3,x,1\n", 2).startsWith("t.csv:2: column 2: expected a finite number, found 'x'"));
        assertTrue(error("1,2,0\n3,4\n", 2).startsWith("t.csv:2: expected 3 cells (as in the first row), found 2"));
        assertTrue(error("1,0\n3,4,1\n", 2).startsWith("t.csv:2: expected 2 cells (as in the first row), found 3"));
        assertTrue(error("1,2,0\n3,4,1,5\n", 2).startsWith("t.csv:2: expected 3 cells"));
        assertTrue(error("1,NaN,0\n", 2).contains("t.csv:1: column 2: expected a finite number, found 'NaN'"));
        assertTrue(error("1,2,0\n-Infinity,2,0\n", 2).startsWith("t.csv:2: column 1: expected a finite number"));
        assertTrue(error("1,1e39,0\n", 2).startsWith("t.csv:1: column 2: 1e39 is beyond the float range"));
        assertTrue(error("a,b,c\n1,0\n1,2,1\n", 2).startsWith("t.csv:3: expected 2 cells (as in the first row)"));
    }

    @Test
    void labelsAreIntegersInRange() {
        assertTrue(error("1,2,NaN\n", 2).startsWith(
                "t.csv:1: column 3 (the label): expected an integer in [0, 2), found 'NaN'"));
        assertTrue(error("1,2,1.7\n", 2).contains("expected an integer in [0, 2), found '1.7'"));
        assertTrue(error("1,2,2\n", 2).contains("found '2'"));
        assertTrue(error("1,2,-1\n", 2).contains("found '-1'"));
        assertTrue(error("1,2,\n", 2).contains("found an empty cell"));
    }

    @Test
    void aHeaderIsDetectedOnlyWhenNoCellIsANumber() throws IOException {
        Dataset d = read("x,\"y, in cm\",label\n1,2,0\n3,4,1\n", 2, Csv.Header.DETECT);
        assertEquals(2, d.size());
        // a declared header may hold numbers (iris.csv: 150,4,setosa,versicolor,virginica)
        assertEquals(1, read("2,2,a\n1,2,0\n", 2, Csv.Header.PRESENT).size());
        assertTrue(assertThrows(IOException.class, () -> read("a,b,c\n1,2,0\n", 2, Csv.Header.ABSENT)).getMessage()
                .startsWith("t.csv:1: column 1: expected a finite number, found 'a'"));
        assertEquals(1, read("1.0,2,1.0\r\n\r\n", 2, Csv.Header.DETECT).label(0));
        assertEquals(1, read("\uFEFFx,y,label\n1,2,0\n", 2, Csv.Header.DETECT).size());
    }

    @Test
    void quotedCellsFollowRfc4180() throws IOException {
        Dataset d = read("\"name, \"\"quoted\"\"\",\"b\nc\",label\n\"1.5\", 2 ,\"1\"\n", 2, Csv.Header.DETECT);
        assertEquals(1, d.size());
        assertArrayEquals(new float[] {1.5f, 2f}, d.features());
        assertEquals(1, d.label(0));
        assertTrue(error("a,b\n\"1,2\n", 2).startsWith("t.csv:2: a quoted cell opened here is never closed"));
        assertTrue(error("1,2\"x\",0\n", 2).startsWith("t.csv:1: a quote inside an unquoted cell"));
        assertTrue(error("\"1\"x,2,0\n", 2).startsWith("t.csv:1: expected a comma or the end of the line"));
        // a line break inside quotes: later lines keep their numbers
        assertTrue(error("\"a\nb\",c,d\n1,2,0\n1,x,0\n", 2).startsWith("t.csv:4: column 2"));
    }
}
