package dev.pythread.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RenameWatch} on a real file system: what it reports, and what it does when the watch breaks. */
class RenameWatchTest {

    @TempDir
    Path dir;

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " not reported in 10 s");
            Thread.sleep(5);
        }
    }

    @Test
    void aRenameOfTheFileIsReported() throws IOException, InterruptedException {
        Path file = Files.createFile(dir.resolve("a.jsonl"));
        RenameWatch watch = assertWatching(file);
        assertFalse(watch.mayHaveMoved(), "nothing happened yet");
        Files.move(file, dir.resolve("a.jsonl.1"));
        awaitTrue(watch::mayHaveMoved, "the rename");
    }

    @Test
    void aNewFileAtThePathIsReported() throws IOException, InterruptedException {
        Path file = dir.resolve("a.jsonl");
        RenameWatch watch = assertWatching(file);
        Files.createFile(file);
        awaitTrue(watch::mayHaveMoved, "the creation");
    }

    @Test
    void otherFilesOfTheDirectoryAreNotReported() throws IOException, InterruptedException {
        Path file = Files.createFile(dir.resolve("a.jsonl"));
        RenameWatch watch = assertWatching(file);
        Files.move(Files.createFile(dir.resolve("b.jsonl")), dir.resolve("b.jsonl.1"));
        Thread.sleep(200); // the events of b arrive (or not: either way, they are not a's)
        assertFalse(watch.mayHaveMoved());
        Files.delete(file);
        awaitTrue(watch::mayHaveMoved, "the deletion after them");
    }

    @Test
    void aWatchWhoseDirectoryIsGoneSaysMaybeFromThenOn() throws IOException, InterruptedException {
        Path logs = Files.createDirectory(dir.resolve("logs"));
        Path file = Files.createFile(logs.resolve("a.jsonl"));
        RenameWatch watch = assertWatching(file);
        Files.delete(file);
        Files.delete(logs);
        awaitTrue(() -> watch.mayHaveMoved() && !watch.working(), "the removal");
        for (int i = 0; i < 3; i++) {
            assertTrue(watch.mayHaveMoved(), "the file must check its path before every record now");
        }
    }

    @Test
    void aPathWithoutADirectoryIsNotWatched() {
        assertNull(RenameWatch.of(Path.of("a.jsonl")));
    }

    private static RenameWatch assertWatching(Path file) {
        RenameWatch watch = RenameWatch.of(file);
        assertNotNull(watch, "this machine's file system has a watch service");
        return watch;
    }
}
