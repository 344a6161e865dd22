package dev.lamina.gpu;

/**
 * Internal, not API: part of the device path behind {@link DeviceNetwork}, public for the Maven plugin and the
 * processor's tests; it may change in any release.
 *
 * <p>A size or offset of a device program that grows with the batch: {@code perRow * n + constant}, written
 * {@code 784n}, {@code 12}, {@code 784n+12} or {@code n}.
 *
 * @param perRow the part per batch row
 * @param constant the part that does not grow with the batch
 */
public record Linear(long perRow, long constant) {
    /**
     * {@return the value for a batch of {@code rows} rows: {@code perRow * rows + constant}}
     *
     * @param rows the batch size
     */
    public long at(int rows) {
        return perRow * rows + constant;
    }

    /**
     * Reads the written form ({@code 784n+12}, {@code n}, {@code 12}); throws {@link NumberFormatException} for a term
     * that is not a whole number.
     *
     * @param text the written form
     * @return the value
     */
    public static Linear parse(String text) {
        long perRow = 0;
        long constant = 0;
        for (String term : text.split("\\+")) {
            if (term.endsWith("n")) {
                String coefficient = term.substring(0, term.length() - 1);
                perRow += coefficient.isEmpty() ? 1 : Long.parseLong(coefficient);
            } else {
                constant += Long.parseLong(term);
            }
        }
        return new Linear(perRow, constant);
    }

    @Override
    public String toString() {
        String rows = perRow == 0 ? "" : perRow == 1 ? "n" : perRow + "n";
        return constant == 0 ? (rows.isEmpty() ? "0" : rows) : rows.isEmpty() ? Long.toString(constant)
                : rows + "+" + constant;
    }
}
