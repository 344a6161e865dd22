package dev.lamina.runtime.pictures;

import dev.lamina.runtime.io.AtomicFiles;
import java.awt.Dimension;
import java.awt.Graphics2D;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.batik.svggen.SVGGraphics2D;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Draws a picture into SVG: the same Java2D painting that fills an image goes to Apache Batik's
 * {@code SVGGraphics2D} (Apache-2.0), which records each line, shape and text as SVG elements, so plots stay sharp
 * at any zoom. XChart's own SVG export is not used: it needs VectorGraphics2D, which is LGPL. The document is the
 * JDK's DOM; the result has no DOCTYPE (nothing to fetch when it is parsed) and a {@code viewBox}, so it scales when
 * a page sizes it.
 */
public final class Svg {
    private Svg() {
    }

    /**
     * {@return the SVG text of what {@code painter} draws on a {@code width x height} canvas}
     *
     * @param width the canvas width in pixels; positive
     * @param height the canvas height in pixels; positive
     * @param painter draws the picture on the graphics it is given
     * @throws IllegalArgumentException when a size is not positive
     */
    public static String draw(int width, int height, Consumer<Graphics2D> painter) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("expected a positive canvas size, found " + width + " x " + height);
        }
        Document document;
        try {
            document = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot make an empty document", e);
        }
        SVGGraphics2D g = new SVGGraphics2D(document);
        g.setSVGCanvasSize(new Dimension(width, height));
        painter.accept(g);
        Element root = g.getRoot();
        root.setAttributeNS(null, "viewBox", "0 0 " + width + " " + height);
        StringWriter text = new StringWriter();
        try {
            g.stream(root, text, true, false);
        } catch (IOException e) {
            throw new UncheckedIOException("Batik could not serialise the SVG", e);
        }
        g.dispose();
        // Batik writes an XML declaration and a DOCTYPE pointing at the W3C's DTD: keep the svg element alone
        String svg = text.toString();
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg.substring(svg.indexOf("<svg"));
    }

    /**
     * Writes SVG text to {@code path} atomically ({@link AtomicFiles}), creating its folder when missing.
     *
     * @param path the file to write
     * @param svg the SVG text, as {@link #draw} returns it
     * @throws IOException when the file cannot be written
     */
    public static void write(Path path, String svg) throws IOException {
        AtomicFiles.writeString(path, svg);
    }
}
