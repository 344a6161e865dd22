package dev.lamina.runtime.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that a reader sees the old content or the new, never half: write a temporary file in the same
 * directory, force it to disk, then rename it over the target.
 *
 * <p>The temporary file has one predictable name per target, {@code .NAME.tmp} beside {@code NAME}, so a save
 * killed half-way (SIGKILL, power loss) leaves at most one such file, and the next save of that target truncates
 * and reuses it. While a save runs it holds an exclusive lock on that file: a second save of the same target at
 * the same time, from this process or another, fails with an {@link IOException} instead of mixing its bytes into
 * the first one's. Temporary files of the older random naming ({@code .NAME<digits>.tmp}) are removed too.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * {@return the temporary file a save of {@code target} writes before renaming it}
     *
     * @param target the file a save writes
     */
    public static Path temporaryFor(Path target) {
        return target.toAbsolutePath().resolveSibling("." + target.getFileName() + ".tmp");
    }

    /**
     * Writes {@code parts} one after another to {@code target} through its temporary file, forced to disk and renamed
     * over {@code target}: a reader sees the old file or the whole new one, never a part; throws an {@link IOException}
     * when another save of the same target holds the lock.
     *
     * @param target the file written
     * @param parts the bytes, in order
     * @throws IOException when the file cannot be written or another save of it is running
     */
    public static void write(Path target, ByteBuffer... parts) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = temporaryFor(target);
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lock(out, target)) {
            // from here the temporary file is this save's: remove it if the save fails
            boolean moved = false;
            try {
                out.truncate(0); // a stale file of a killed save
                for (ByteBuffer part : parts) {
                    while (part.hasRemaining()) {
                        out.write(part);
                    }
                }
                out.force(true);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                moved = true;
            } finally {
                if (!moved) {
                    Files.deleteIfExists(temp);
                }
            }
        }
        removeOldTemporaries(dir, target.getFileName().toString());
    }

    private static FileLock lock(FileChannel channel, Path target) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new IOException(target + ": another save of this file is in progress (" + temporaryFor(target)
                    + " is locked)");
        }
        return lock;
    }

    /** Removes {@code .NAME<digits>.tmp}, what {@code Files.createTempFile} left when a save was killed. */
    private static void removeOldTemporaries(Path dir, String name) throws IOException {
        String prefix = "." + name;
        DirectoryStream.Filter<Path> older = p -> {
            String f = p.getFileName().toString();
            return f.length() > prefix.length() + 4 && f.startsWith(prefix) && f.endsWith(".tmp")
                    && f.substring(prefix.length(), f.length() - 4).chars().allMatch(Character::isDigit);
        };
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, older)) {
            for (Path p : old) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Writes {@code content} as UTF-8, atomically as {@link #write}.
     *
     * @param target the file written
     * @param content the text
     * @throws IOException when the file cannot be written or another save of it is running
     */
    public static void writeString(Path target, String content) throws IOException {
        write(target, ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
    }
}
