package dev.lamina.runtime.data;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits CSV text into records of cells, as RFC 4180 says: cells separated by commas, records by CR LF or LF (a
 * lone CR too), a cell in double quotes may hold commas, line breaks and doubled quotes ({@code ""} for one). A
 * quote inside an unquoted cell, text after a closing quote, or a quote left open at the end is an error naming
 * the line. A leading byte-order mark is skipped. Each record knows the line it starts on, for the caller's
 * messages.
 */
final class CsvRecords {
    /** One record: its cells, unquoted, and the (1-based) line it starts on. */
    record Line(int number, List<String> cells) {
    }

    private final Reader in;
    private final String name;
    private int line = 1;
    private int peeked = -2;

    CsvRecords(Reader in, String name) {
        this.in = in;
        this.name = name;
    }

    /** The next record, or null at the end of the text. */
    Line next() throws IOException {
        if (line == 1 && peek() == '\uFEFF') {
            read(); // the byte-order mark spreadsheets write first
        }
        if (peek() < 0) {
            return null;
        }
        int start = line;
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        while (true) {
            int c = read();
            if (c == '"' && cell.toString().isBlank()) {
                cell.setLength(0);
                readQuoted(cell);
                c = skipSpaces();
                if (c != ',' && c != '\n' && c != '\r' && c >= 0) {
                    throw new IOException(name + ":" + line + ": expected a comma or the end of the line after a"
                            + " closing quote, found '" + (char) c + "'");
                }
            } else if (c == '"') {
                throw new IOException(name + ":" + line + ": a quote inside an unquoted cell ('" + cell
                        + "\"'): quote the whole cell and double the quote");
            }
            if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else if (c < 0 || c == '\n' || c == '\r') {
                if (c == '\r' && peek() == '\n') {
                    read();
                }
                if (c >= 0) {
                    line++;
                }
                cells.add(cell.toString());
                return new Line(start, cells);
            } else {
                cell.append((char) c);
            }
        }
    }

    /** Reads a quoted cell's content after its opening quote, up to and including the closing one. */
    private void readQuoted(StringBuilder cell) throws IOException {
        int opened = line;
        while (true) {
            int c = read();
            if (c < 0) {
                throw new IOException(name + ":" + opened + ": a quoted cell opened here is never closed");
            }
            if (c == '"') {
                if (peek() != '"') {
                    return;
                }
                read();
            } else if (c == '\n' || (c == '\r' && peek() != '\n')) {
                line++;
            }
            cell.append((char) c);
        }
    }

    /** Skips spaces and tabs after a closing quote; returns the next other character (consumed). */
    private int skipSpaces() throws IOException {
        int c = read();
        while (c == ' ' || c == '\t') {
            c = read();
        }
        return c;
    }

    private int peek() throws IOException {
        if (peeked == -2) {
            peeked = in.read();
        }
        return peeked;
    }

    private int read() throws IOException {
        int c = peek();
        peeked = -2;
        return c;
    }
}
