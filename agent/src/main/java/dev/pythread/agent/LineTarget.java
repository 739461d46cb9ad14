package dev.pythread.agent;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;

/**
 * Where a {@link LineSink} writes: each call hands one whole record line to the operating system, so that a
 * {@code kill -9} right after the audited operation loses nothing (the page cache outlives the process; a machine
 * crash is not covered, as with any log without {@code fsync}). The jsonl file is {@link JsonlFile}.
 */
interface LineTarget {

    /** Writes {@code line} (ending in {@code \n}) completely, or throws. */
    void write(byte[] line) throws IOException;

    /** The process's standard error, file descriptor 2, even if the application replaces {@code System.err}. */
    static LineTarget stderr() {
        FileOutputStream out = new FileOutputStream(FileDescriptor.err);
        return out::write;
    }
}
