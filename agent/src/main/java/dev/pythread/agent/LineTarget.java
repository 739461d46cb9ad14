package dev.pythread.agent;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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

    /** A jsonl file, opened once, for appending ({@code O_APPEND}: other writers of the file cannot overwrite). */
    static LineTarget file(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        return line -> {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        };
    }

    /** The process's standard error, file descriptor 2, even if the application replaces {@code System.err}. */
    static LineTarget stderr() {
        FileOutputStream out = new FileOutputStream(FileDescriptor.err);
        return out::write;
    }
}
