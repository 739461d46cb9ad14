package dev.pythread.agent;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * The file of {@code audit=jsonl:PATH}, opened for appending ({@code O_APPEND}: other writers of the file cannot
 * overwrite a record, and every record lands at the end, whatever happened to the file meanwhile), and safe to rotate:
 * <ul>
 *   <li>{@code copytruncate}: nothing to do — after the truncation, appends start again at the new end;</li>
 *   <li>rename, then a new file (logrotate's default), or the file deleted: the sink compares the file now at PATH
 *       with the one it has open (device and inode, {@code BasicFileAttributes.fileKey()}); when they differ, or PATH
 *       is gone, it opens PATH anew — creating it — and writes there. No signal is needed.</li>
 * </ul>
 * <b>When it compares.</b> A {@code stat} of PATH before every record cost about 4% of a thread start (measured in
 * {@code docs/performance.md}), so it compares only when told that PATH may have changed: by a {@link RenameWatch} on
 * PATH's directory (inotify on Linux; a poll of an in-memory queue per record), and at the latest
 * {@link #CHECK_AT_LEAST_EVERY_NANOS one second} after its last comparison (a file system whose renames no watch sees:
 * another host's, over NFS). The notice comes a moment after a rename; a record written in between goes into the
 * renamed file, after the records before it, and stays there: nothing is lost, and a shipper that reads a renamed file
 * to its end (imfile, Filebeat, Vector, Fluent Bit) ships it. A file deleted rather than renamed takes with it what
 * was written into it, as it always did. Where no watch can be had (the user's inotify instances used up), or the watch
 * stops working, the sink compares before every record, as before; and so it does while its writes fail.
 * When PATH cannot be opened again (its directory removed, say), the write fails and {@link SinkFailures} reports it
 * and counts the records dropped until PATH works again.
 *
 * <p>A {@code FileOutputStream}, not a {@code FileChannel}: a channel is interruptible, and a write by a thread whose
 * interrupt status is set — any thread may start threads — would close it for good ({@code ClosedByInterruptException})
 * and lose every later record. The stream's {@code write} ignores the interrupt status, leaves it set for the
 * application, and writes the whole line.
 *
 * <p>Not thread-safe: its {@link LineSink} writes under its own lock.
 */
final class JsonlFile implements LineTarget {

    /** The longest this file goes without comparing PATH with the open file, whatever its watch says. */
    static final long CHECK_AT_LEAST_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Path path;
    /** Says when PATH may have changed; {@code null}: compare before every record. */
    private final RenameWatch watch;
    /** {@link System#nanoTime()} by which this file compares PATH again, whatever its watch says. */
    private long nextCheck;
    /**
     * Whether the last write failed: then the next one compares PATH first, so that a path mended (a directory removed,
     * a disk freed by moving the file away) is written to by the very next record.
     */
    private boolean failing;
    private FileOutputStream out;
    /** The identity of the open file; {@code null} where the file system has none (then rotation is not noticed). */
    private Object fileKey;

    private JsonlFile(Path path, RenameWatch watch) {
        this.path = path;
        this.watch = watch;
    }

    /**
     * Opens (creating) {@code path} for appending, watching its name, or throws the precise {@code java.nio.file}
     * exception.
     */
    static JsonlFile open(Path path) throws IOException {
        return open(path, true);
    }

    /**
     * Opens (creating) {@code path} for appending, or throws the precise {@code java.nio.file} exception.
     *
     * @param watch whether to watch PATH's directory ({@link RenameWatch}) rather than compare before every record
     */
    static JsonlFile open(Path path, boolean watch) throws IOException {
        // Through NIO first for its precise errors (NoSuchFileException, AccessDeniedException), which the agent
        // reports when it refuses to start; FileOutputStream would say only "FileNotFoundException".
        Files.newByteChannel(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                .close();
        JsonlFile file = new JsonlFile(path, watch ? RenameWatch.of(path.toAbsolutePath()) : null);
        file.openPath();
        return file;
    }

    @Override
    public void write(byte[] line) throws IOException {
        boolean compare = failing || mayHaveMoved();
        failing = true; // until this write is done
        if (compare && !stillAtPath()) {
            FileOutputStream previous = out;
            openPath();
            previous.close();
        }
        out.write(line);
        failing = false;
    }

    private void openPath() throws IOException {
        FileOutputStream opened = new FileOutputStream(path.toFile(), true);
        try {
            fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
        out = opened;
    }

    /** Whether PATH may name another file than the open one, so that it is worth a {@code stat}. */
    private boolean mayHaveMoved() {
        if (watch == null) {
            return true;
        }
        long now = System.nanoTime();
        // The watch is polled even when the clock says compare anyway: an event left queued would cost one more
        // comparison later. (While writes fail, write() compares without asking, and such an event costs just that.)
        if (watch.mayHaveMoved() || now - nextCheck >= 0) {
            nextCheck = now + CHECK_AT_LEAST_EVERY_NANOS;
            return true;
        }
        return false;
    }

    /** Whether the open file is still the one at PATH. */
    private boolean stillAtPath() throws IOException {
        if (fileKey == null) {
            return true;
        }
        try {
            return fileKey.equals(Files.readAttributes(path, BasicFileAttributes.class).fileKey());
        } catch (NoSuchFileException gone) {
            return false;
        }
    }
}
