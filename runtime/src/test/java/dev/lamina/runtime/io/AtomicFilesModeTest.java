package dev.lamina.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, item 4: a file written by {@link AtomicFiles} gets the mode the process's umask gives any new file (the
 * mode of a plain {@code Files.createFile} in the same folder), not a fixed 0600. TrainingResumeTest runs a
 * training process under another umask and checks its checkpoint's mode too.
 */
class AtomicFilesModeTest {
    @TempDir
    Path dir;

    @Test
    void aNewFileAndAReplacedOneHaveTheModeTheUmaskGives() throws IOException {
        assertTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "the build machines are POSIX; this check needs file modes");
        Set<PosixFilePermission> umasked = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain")));
        Path target = dir.resolve("model.safetensors");
        AtomicFiles.writeString(target, "first");
        assertEquals(PosixFilePermissions.toString(umasked),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(target)), "a new file");
        AtomicFiles.writeString(target, "second");
        assertEquals(PosixFilePermissions.toString(umasked),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(target)), "a replaced file");
    }
}
