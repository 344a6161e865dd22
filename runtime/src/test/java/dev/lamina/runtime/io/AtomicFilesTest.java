package dev.lamina.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15, item 10: a save killed half-way leaves one predictable file that the next save removes. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theNextSaveRemovesWhatAKilledSaveLeft() throws IOException {
        Path target = dir.resolve("m.safetensors");
        // what SIGKILL left: the old random names, and the new fixed one half-written
        Files.writeString(dir.resolve(".m.safetensors8123456789012345.tmp"), "half");
        Files.writeString(dir.resolve(".m.safetensors.tmp"), "a longer half-written file");
        Files.writeString(dir.resolve(".m.safetensors.notes.tmp"), "not ours");
        AtomicFiles.writeString(target, "new");
        assertEquals("new", Files.readString(target));
        assertEquals(List.of(".m.safetensors.notes.tmp", "m.safetensors"), files());
    }

    @Test
    void theTemporaryFileHasAPredictableName() {
        assertEquals(dir.resolve(".m.safetensors.tmp"), AtomicFiles.temporaryFor(dir.resolve("m.safetensors")));
    }

    @Test
    void aSecondSaveOfTheSameFileAtOnceFailsInsteadOfMixingBytes() throws IOException {
        Path target = dir.resolve("h.json");
        AtomicFiles.writeString(target, "old");
        try (FileChannel other = FileChannel.open(AtomicFiles.temporaryFor(target), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = other.lock()) {
            IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(target, "new"));
            assertTrue(e.getMessage().contains("another save of this file is in progress"), e.getMessage());
            assertTrue(Files.exists(AtomicFiles.temporaryFor(target)), "the other save's file is left alone");
        }
        assertEquals("old", Files.readString(target));
        assertFalse(files().contains("new"));
    }
}
