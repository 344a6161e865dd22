package dev.lamina.maven;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One network's summary as a table, from the {@code Net.summary.tsv} the processor wrote: a title line (the
 * network and its input), a row per layer (output shape, parameters, forward FLOPs and activation memory per
 * sample), and the totals, with the arena a training step keeps per sample.
 */
final class SummaryTable {
    private static final String[] HEADINGS = {"layer", "kind", "output", "parameters", "FLOPs/sample",
        "activations/sample"};

    private SummaryTable() {
    }

    /**
     * The table for the text of one summary file.
     *
     * @throws IllegalArgumentException when the text is not a Lamina summary, naming what was expected
     */
    static String format(String tsv, String file) {
        String[] lines = tsv.split("\n");
        if (lines.length < 2 || !lines[0].startsWith("# ") || !lines[1].startsWith("layer\tkind\toutput")) {
            throw new IllegalArgumentException(file + " is not a Lamina network summary: expected a '# ' title line "
                    + "and the header 'layer\\tkind\\toutput...', found '" + (lines.length > 0 ? lines[0] : "") + "'");
        }
        String[] title = lines[0].substring(2).split("\t");
        long arena = Long.parseLong(title[title.length - 1].replaceAll("\\D", ""));
        List<String[]> rows = new ArrayList<>();
        long params = 0;
        long flops = 0;
        long activations = 0;
        for (int i = 2; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] f = lines[i].split("\t");
            if (f.length != 6) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected 6 tab-separated fields, "
                        + "found " + f.length);
            }
            long p = Long.parseLong(f[3]);
            long fl = Long.parseLong(f[4]);
            long a = Long.parseLong(f[5]);
            params += p;
            flops += fl;
            activations += a;
            rows.add(new String[] {f[0], f[1], f[2], count(p), flopCount(fl), bytes(4 * a)});
        }
        rows.add(new String[] {"total", "", "", count(params), flopCount(flops), bytes(4 * activations)});
        StringBuilder out = new StringBuilder();
        out.append(title[0]).append("  (").append(String.join(", ", List.of(title).subList(1, title.length - 1)))
                .append(")\n");
        table(out, rows);
        out.append(String.format(Locale.ROOT, "training keeps %s per sample (the arena: activations, masks and "
                + "gradient slots); training costs about 3x the forward FLOPs%n", bytes(4 * arena)));
        return out.toString();
    }

    private static void table(StringBuilder out, List<String[]> rows) {
        int[] widths = new int[HEADINGS.length];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = HEADINGS[c].length();
            for (String[] r : rows) {
                widths[c] = Math.max(widths[c], r[c].length());
            }
        }
        line(out, HEADINGS, widths);
        StringBuilder rule = new StringBuilder();
        for (int w : widths) {
            rule.append("-".repeat(w)).append("  ");
        }
        out.append(rule.toString().stripTrailing()).append('\n');
        for (String[] r : rows) {
            line(out, r, widths);
        }
    }

    private static void line(StringBuilder out, String[] cells, int[] widths) {
        StringBuilder l = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            // names and shapes left-aligned, numbers right-aligned
            String cell = cells[c];
            l.append(c < 3 ? pad(cell, widths[c], false) : pad(cell, widths[c], true)).append("  ");
        }
        out.append(l.toString().stripTrailing()).append('\n');
    }

    private static String pad(String s, int width, boolean right) {
        String space = " ".repeat(width - s.length());
        return right ? space + s : s + space;
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String flopCount(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f G", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.2f M", n / 1e6);
        }
        if (n >= 1_000L) {
            return String.format(Locale.ROOT, "%.1f k", n / 1e3);
        }
        return Long.toString(n);
    }

    static String bytes(long n) {
        if (n >= 1L << 20) {
            return String.format(Locale.ROOT, "%.2f MiB", n / (double) (1L << 20));
        }
        if (n >= 1L << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", n / (double) (1L << 10));
        }
        return n + " B";
    }
}
