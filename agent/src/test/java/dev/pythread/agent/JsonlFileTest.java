package dev.pythread.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JsonlFile} on a real file system: appending, and what each way of rotating or removing the file does — once
 * noticed (files that compare their path before every record), and how it is noticed by a watched file.
 */
class JsonlFileTest {

    @TempDir
    Path dir;

    private static void write(JsonlFile file, String text) throws IOException {
        file.write((text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> lines(Path path) throws IOException {
        return Files.readAllLines(path, StandardCharsets.UTF_8);
    }

    @Test
    void appendsToWhatIsThere() throws IOException {
        Path path = dir.resolve("a.jsonl");
        Files.writeString(path, "earlier\n");
        JsonlFile file = JsonlFile.open(path);
        write(file, "one");
        write(file, "two");
        assertEquals(List.of("earlier", "one", "two"), lines(path));
    }

    @Test
    void afterARenameTheNextRecordGoesToANewFileAtThePath() throws IOException {
        Path path = dir.resolve("a.jsonl");
        JsonlFile file = JsonlFile.open(path, false);
        write(file, "before");
        Path rotated = dir.resolve("a.jsonl.1");
        Files.move(path, rotated);
        write(file, "after");
        assertEquals(List.of("before"), lines(rotated));
        assertEquals(List.of("after"), lines(path));
    }

    @Test
    void afterARenameAndANewEmptyFileTheRecordsGoToTheNewFile() throws IOException {
        Path path = dir.resolve("a.jsonl");
        JsonlFile file = JsonlFile.open(path, false);
        write(file, "before");
        Files.move(path, dir.resolve("a.jsonl.1"));
        Files.createFile(path); // logrotate's "create"
        write(file, "after");
        assertEquals(List.of("after"), lines(path));
    }

    @Test
    void aDeletedFileIsCreatedAgain() throws IOException {
        Path path = dir.resolve("a.jsonl");
        JsonlFile file = JsonlFile.open(path, false);
        write(file, "before");
        Files.delete(path);
        write(file, "after");
        assertEquals(List.of("after"), lines(path));
    }

    @Test
    void copytruncateNeedsNothing() throws IOException {
        Path path = dir.resolve("a.jsonl");
        JsonlFile file = JsonlFile.open(path, false);
        write(file, "before");
        Files.copy(path, dir.resolve("a.jsonl.1"));
        try (RandomAccessFile truncating = new RandomAccessFile(path.toFile(), "rw")) {
            truncating.setLength(0);
        }
        write(file, "after");
        assertEquals(List.of("after"), lines(path), "appends start at the new end: no hole of zeros");
        assertEquals(List.of("before"), lines(dir.resolve("a.jsonl.1")));
    }

    @Test
    void whenThePathCannotBeOpenedTheWriteFailsAndLaterWorksAgain() throws IOException {
        Path logs = Files.createDirectory(dir.resolve("logs"));
        Path path = logs.resolve("a.jsonl");
        JsonlFile file = JsonlFile.open(path, false);
        write(file, "before");
        Files.delete(path);
        Files.delete(logs);
        IOException failure = assertThrows(IOException.class, () -> write(file, "lost"));
        assertTrue(failure.getMessage().contains(path.toString()), failure::toString);
        Files.createDirectory(logs);
        write(file, "after");
        assertEquals(List.of("after"), lines(path));
    }

    @Test
    void aWatchedFileNoticesARenameAndLosesNoRecordBeforeIt() throws IOException, InterruptedException {
        Path path = dir.resolve("a.jsonl");
        JsonlFile file = JsonlFile.open(path);
        write(file, "before");
        Path rotated = dir.resolve("a.jsonl.1");
        Files.move(path, rotated);
        List<String> after = writeUntilAtPath(file, path);
        List<String> both = new ArrayList<>(lines(rotated));
        both.addAll(lines(path));
        assertEquals("before", both.get(0));
        assertEquals(after, both.subList(1, both.size()), "each record once, in order, in one of the two files");
        assertEquals(List.of(after.get(after.size() - 1)), lines(path), "the new file begins at the notice");
    }

    @Test
    void aWatchedFileNoticesADeletion() throws IOException, InterruptedException {
        Path path = dir.resolve("a.jsonl");
        JsonlFile file = JsonlFile.open(path);
        write(file, "before");
        Files.delete(path);
        List<String> after = writeUntilAtPath(file, path);
        assertEquals(List.of(after.get(after.size() - 1)), lines(path));
    }

    @Test
    void afterAFailedWriteTheNextOneComparesThePathAtOnce() throws IOException, InterruptedException {
        Path path = dir.resolve("a.jsonl");
        JsonlFile file = JsonlFile.open(path);
        write(file, "before");
        Files.move(path, dir.resolve("a.jsonl.1"));
        Files.createDirectory(path);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean failed = false;
        while (!failed) {
            assertTrue(System.nanoTime() < deadline, "the directory at PATH not noticed in 10 s");
            try {
                write(file, "into the renamed file, until the directory is noticed");
                Thread.sleep(1);
            } catch (IOException isADirectory) {
                failed = true;
            }
        }
        Files.delete(path);
        write(file, "after");
        assertEquals(List.of("after"), lines(path), "no waiting for the watch once a write failed");
    }

    /**
     * Writes numbered records until one lands at {@code path} (the file noticed the change; ten seconds at most),
     * and returns them all.
     */
    private static List<String> writeUntilAtPath(JsonlFile file, Path path) throws IOException, InterruptedException {
        List<String> written = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(path) || Files.size(path) == 0) {
            assertTrue(System.nanoTime() < deadline, "not noticed in 10 s: " + written.size() + " records");
            String record = "after-" + written.size();
            write(file, record);
            written.add(record);
            Thread.sleep(1);
        }
        return written;
    }

    @Test
    void anInterruptedWriterWritesAndKeepsItsInterruptStatus() throws IOException {
        Path path = dir.resolve("a.jsonl");
        JsonlFile file = JsonlFile.open(path);
        Thread.currentThread().interrupt();
        try {
            write(file, "interrupted");
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        write(file, "afterwards");
        assertEquals(List.of("interrupted", "afterwards"), lines(path));
    }

    @Test
    void aMissingDirectoryIsReportedPrecisely() {
        Path path = dir.resolve("missing/a.jsonl");
        assertThrows(NoSuchFileException.class, () -> JsonlFile.open(path));
    }
}
