package dev.pythread.agent;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a {@link LineSink} writes: each call hands one whole record line to the operating system, so that a
 * {@code kill -9} right after the audited operation loses nothing (the page cache outlives the process; a machine
 * crash is not covered, as with any log without {@code fsync}).
 */
interface LineTarget {

    /** Writes {@code line} (ending in {@code \n}) completely, or throws. */
    void write(byte[] line) throws IOException;

    /**
     * A jsonl file, opened once, for appending ({@code O_APPEND}: other writers of the file cannot overwrite).
     *
     * <p>A {@code FileOutputStream}, not a {@code FileChannel}: a channel is interruptible, and a write by a thread
     * whose interrupt status is set — any thread may start threads — would close it for good
     * ({@code ClosedByInterruptException}) and lose every later record. The stream's {@code write} ignores the
     * interrupt status, leaves it set for the application, and writes the whole line.
     */
    static LineTarget file(Path path) throws IOException {
        // Opened through NIO first for its precise errors (NoSuchFileException, AccessDeniedException), which the
        // agent reports when it refuses to start; FileOutputStream would say only "FileNotFoundException".
        Files.newByteChannel(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                .close();
        FileOutputStream out = new FileOutputStream(path.toFile(), true);
        return out::write;
    }

    /** The process's standard error, file descriptor 2, even if the application replaces {@code System.err}. */
    static LineTarget stderr() {
        FileOutputStream out = new FileOutputStream(FileDescriptor.err);
        return out::write;
    }
}
