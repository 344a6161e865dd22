package dev.lamina.runtime.pictures;

import dev.lamina.runtime.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Writes an image as PNG with the JDK's {@code javax.imageio}, atomically ({@link AtomicFiles}): a sample that
 * rewrites its picture every epoch never leaves a half-written file for a viewer to open.
 */
public final class Png {
    private Png() {
    }

    /**
     * Encodes {@code image} as PNG and writes it to {@code path}, creating its folder when missing.
     *
     * @param path the file to write
     * @param image the picture
     * @throws IOException when the file cannot be written
     */
    public static void write(Path path, BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", bytes)) {
            throw new IOException("the JDK has no PNG writer for an image of type " + image.getType());
        }
        AtomicFiles.write(path, ByteBuffer.wrap(bytes.toByteArray()));
    }
}
