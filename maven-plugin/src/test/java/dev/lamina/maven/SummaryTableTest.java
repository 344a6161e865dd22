package dev.lamina.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTableTest {
    private static final String TSV = "# demo.Small -> demo.SmallNet\tinput [1, 8, 8]\tarena floats per sample 4096\n"
            + "layer\tkind\toutput\tparameters\tflops\tactivations\n"
            + "conv\tConv\t[4, 8, 8]\t36\t4608\t256\n"
            + "hidden\tDense\t[6]\t1500000\t3000000\t6\n";

    @Test
    void aTableWithTotals() {
        String table = SummaryTable.format(TSV, "SmallNet.summary.tsv");
        List<String> lines = List.of(table.split("\n"));
        assertEquals("demo.Small -> demo.SmallNet  (input [1, 8, 8])", lines.get(0));
        assertEquals("layer   kind   output     parameters  FLOPs/sample  activations/sample", lines.get(1));
        assertEquals("conv    Conv   [4, 8, 8]          36         4.6 k             1.0 KiB", lines.get(3));
        assertEquals("hidden  Dense  [6]         1,500,000        3.00 M                24 B", lines.get(4));
        assertEquals("total                      1,500,036        3.00 M             1.0 KiB", lines.get(5));
        assertTrue(lines.get(6).startsWith("training keeps 16.0 KiB per sample"), lines.get(6));
    }

    @Test
    void anotherFileIsRefusedWithWhatWasExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SummaryTable.format("hello\nworld\n", "x.summary.tsv"));
        assertTrue(e.getMessage().startsWith("x.summary.tsv is not a Lamina network summary: expected"),
                e.getMessage());
    }

    @Test
    void nvccIsLookedForOnThePathThenInCudaHome() {
        List<Path> candidates = CudaToolchain.candidates(Map.of("PATH", "/a:/b", "CUDA_HOME", "/opt/cuda"));
        assertEquals(List.of(Path.of("/a/nvcc"), Path.of("/b/nvcc"), Path.of("/opt/cuda/bin/nvcc"),
                Path.of("/usr/local/cuda/bin/nvcc")), candidates);
    }
}
