package dev.pythread.agent;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The file of {@code audit=jsonl:PATH}, opened for appending ({@code O_APPEND}: other writers of the file cannot
 * overwrite a record, and every record lands at the end, whatever happened to the file meanwhile), and safe to rotate:
 * <ul>
 *   <li>{@code copytruncate}: nothing to do — after the truncation, appends start again at the new end;</li>
 *   <li>rename, then a new file (logrotate's default), or the file deleted: before each write the sink compares the
 *       file now at PATH with the one it has open (device and inode, {@code BasicFileAttributes.fileKey()}); when
 *       they differ, or PATH is gone, it opens PATH anew — creating it — and writes there. No signal, no delay: the
 *       first record after the rename is in the new file, the ones before it in the renamed one. The check is one
 *       {@code stat} per record.</li>
 * </ul>
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

    private final Path path;
    private FileOutputStream out;
    /** The identity of the open file; {@code null} where the file system has none (then rotation is not noticed). */
    private Object fileKey;

    private JsonlFile(Path path) {
        this.path = path;
    }

    /** Opens (creating) {@code path} for appending, or throws the precise {@code java.nio.file} exception. */
    static JsonlFile open(Path path) throws IOException {
        // Through NIO first for its precise errors (NoSuchFileException, AccessDeniedException), which the agent
        // reports when it refuses to start; FileOutputStream would say only "FileNotFoundException".
        Files.newByteChannel(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                .close();
        JsonlFile file = new JsonlFile(path);
        file.openPath();
        return file;
    }

    @Override
    public void write(byte[] line) throws IOException {
        if (!stillAtPath()) {
            FileOutputStream previous = out;
            openPath();
            previous.close();
        }
        out.write(line);
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
