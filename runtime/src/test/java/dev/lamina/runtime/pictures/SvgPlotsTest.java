package dev.lamina.runtime.pictures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.metrics.ConfusionMatrix;
import dev.lamina.runtime.train.EpochRecord;
import dev.lamina.runtime.train.History;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Issue 22, item 2: every plot as SVG beside PNG; the SVG parses as XML, has an svg root and drawn content. */
class SvgPlotsTest {
    @TempDir
    Path dir;

    /** Three epochs with validation figures and one metric, through the package-private add of History. */
    static History threeEpochs() {
        History h = new History();
        try {
            Method add = History.class.getDeclaredMethod("add", EpochRecord.class);
            add.setAccessible(true);
            for (int e = 1; e <= 3; e++) {
                add.invoke(h, new EpochRecord(e, 1.0 / e, 0.5 + 0.1 * e, 1.2 / e, 0.45 + 0.1 * e, 0.05, 1.5, 900,
                        Map.of("train_f1_macro", 0.4 + 0.1 * e, "validation_f1_macro", 0.35 + 0.1 * e)));
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        return h;
    }

    static ConfusionMatrix threeClasses() {
        return ConfusionMatrix.of(new int[] {0, 0, 1, 1, 2, 2, 2}, new int[] {0, 1, 1, 1, 2, 0, 2}, 3);
    }

    /** The parsed document; its root must be an SVG {@code svg} element of that size. */
    static Document parse(String svg, int width, int height) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        Element root = doc.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        assertEquals("http://www.w3.org/2000/svg", root.getNamespaceURI());
        assertEquals(Integer.toString(width), root.getAttribute("width"));
        assertEquals(Integer.toString(height), root.getAttribute("height"));
        assertFalse(svg.contains("<!DOCTYPE"), "no DOCTYPE: nothing to fetch when parsed");
        return doc;
    }

    private static int count(Document doc, String element) {
        return doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", element).getLength();
    }

    private static String texts(Document doc) {
        StringBuilder s = new StringBuilder();
        var nodes = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
        for (int i = 0; i < nodes.getLength(); i++) {
            s.append(nodes.item(i).getTextContent()).append('|');
        }
        return s.toString();
    }

    @Test
    void trainingCurvesAsSvgAndPngOfTheSameSize() throws Exception {
        History h = threeEpochs();
        Path svg = dir.resolve("curves.svg");
        Path png = dir.resolve("curves.png");
        TrainingCurves.writeSvg(svg, h);
        TrainingCurves.write(png, h);
        // loss, accuracy and f1_macro: three charts of 640 x 320
        Document doc = parse(Files.readString(svg), 640, 960);
        // XChart draws its text as glyph outlines: titles, ticks and legends are paths too
        assertTrue(count(doc, "path") > 100, "lines, markers, axes and text are drawn: " + count(doc, "path"));
        String text = Files.readString(svg);
        for (String colour : new String[] {"rgb(31,119,180)", "rgb(255,127,14)"}) {
            assertTrue(text.contains(colour), "the training and validation colours are drawn: " + colour);
        }
        BufferedImage image = ImageGridTest.readBack(png);
        assertEquals(640, image.getWidth());
        assertEquals(960, image.getHeight());
        assertTrue(ImageGridTest.colours(image) > 20, "lines and text, not one flat colour");
    }

    @Test
    void confusionMatrixAsSvgHasACellAndACountPerPair() throws Exception {
        Path svg = dir.resolve("confusion.svg");
        ConfusionPicture.writeSvg(svg, threeClasses());
        ConfusionPicture.write(dir.resolve("confusion.png"), threeClasses());
        Document doc = parse(Files.readString(svg), 180, 180);
        // the background, 9 cells and the frame; Batik writes filled rectangles as rect or path
        assertTrue(count(doc, "rect") + count(doc, "path") >= 10, "cells are drawn");
        String text = texts(doc);
        assertTrue(text.contains("predicted") && text.contains("actual"), text);
        assertEquals(3 + 3 + 9 + 2, count(doc, "text"), "two label rows, nine counts and two titles: " + text);
        BufferedImage image = ImageGridTest.readBack(dir.resolve("confusion.png"));
        assertEquals(180, image.getWidth());
        assertEquals(180, image.getHeight());
    }

    @Test
    void scatterPlotAsSvgNamesEachClass() throws Exception {
        int n = 30;
        double[] points = new double[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            points[2 * i] = labels[i] * 5 + Math.cos(i);
            points[2 * i + 1] = labels[i] + Math.sin(i);
        }
        Path svg = dir.resolve("scatter.svg");
        ScatterPlot.of(points, labels).title("three").classNames("zero", "one", "two").size(500, 400).writeSvg(svg);
        Document doc = parse(Files.readString(svg), 500, 400);
        assertTrue(count(doc, "path") + count(doc, "circle") + count(doc, "ellipse") >= n, "a marker per point");
        String text = Files.readString(svg);
        for (String colour : new String[] {"rgb(31,119,180)", "rgb(255,127,14)", "rgb(44,160,44)"}) {
            assertTrue(text.contains(colour), "each class's colour is drawn: " + colour);
        }
    }

    @Test
    void aCanvasOfNoSizeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Svg.draw(0, 10, g -> { }));
        assertTrue(e.getMessage().contains("0 x 10"), e.getMessage());
    }
}
