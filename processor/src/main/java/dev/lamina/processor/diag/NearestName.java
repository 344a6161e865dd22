package dev.lamina.processor.diag;

import java.util.List;

/**
 * The "did you mean" of a message naming something that does not exist: the candidate nearest the written name by
 * edit distance (insertions, deletions, substitutions and swaps of neighbours each count one), offered only when it
 * is close enough that the written name is plausibly a misspelling of it.
 */
public final class NearestName {
    private NearestName() {
    }

    /**
     * {@code "; did you mean 'conv2'?"} for the candidate nearest {@code written}, or "" when none is within
     * {@link #tolerance} edits of it. Of equally near candidates the first is offered.
     */
    public static String suggestion(String written, List<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(written, candidate);
            if (d < bestDistance && !candidate.equals(written)) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= tolerance(written) ? "; did you mean '" + best + "'?" : "";
    }

    /**
     * The most edits a misspelling of a name as long as {@code written} is taken to have: one per three characters,
     * at least one, so that "c1" may be "c2" but "conv" is not "pool".
     */
    static int tolerance(String written) {
        return Math.max(1, written.length() / 3);
    }

    /** The optimal string alignment distance between {@code a} and {@code b}, ignoring case. */
    static int distance(String a, String b) {
        String s = a.toLowerCase(java.util.Locale.ROOT);
        String t = b.toLowerCase(java.util.Locale.ROOT);
        int[][] d = new int[s.length() + 1][t.length() + 1];
        for (int i = 0; i <= s.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= t.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= s.length(); i++) {
            for (int j = 1; j <= t.length(); j++) {
                int cost = s.charAt(i - 1) == t.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && s.charAt(i - 1) == t.charAt(j - 2) && s.charAt(i - 2) == t.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[s.length()][t.length()];
    }
}
