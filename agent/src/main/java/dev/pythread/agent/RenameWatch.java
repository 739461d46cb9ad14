package dev.pythread.agent;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

/**
 * Tells a {@link JsonlFile} that its name may have moved — renamed away, deleted, created anew — without a system call
 * per record: the JDK's {@link WatchService} on the file's directory (inotify on Linux, through one daemon thread of
 * the JDK's, {@code FileSystemWatchService}) queues the directory's events, and {@link #mayHaveMoved} only polls that
 * queue.
 *
 * <p>It answers "maybe": an event for another file of the directory is not one, but an event queue that overflowed is
 * (what it lost may have been one); and a watch that stopped working (the directory removed, the watch service
 * closed) says {@code true} from then on, so that the file falls back to checking its path before every record. It
 * never answers "no" for a rename it was told of, but it is told a moment after the rename: a record written in
 * between goes into the renamed file, where it stays.
 *
 * <p>Not thread-safe: its {@link JsonlFile} is used under one lock.
 */
final class RenameWatch {

    private final WatchService service;
    private final Path name;
    /** Set when the watch stopped working: from then on every record checks the path. */
    private boolean broken;

    private RenameWatch(WatchService service, Path name) {
        this.service = service;
        this.name = name;
    }

    /**
     * Watches {@code file}'s directory for {@code file}'s name, or returns {@code null} where the file system cannot
     * (no watch service, the user's inotify instances used up): the caller then checks the path before every record.
     */
    static RenameWatch of(Path file) {
        Path directory = file.getParent();
        if (directory == null) {
            return null;
        }
        WatchService service = null;
        try {
            service = directory.getFileSystem().newWatchService();
            directory.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
            return new RenameWatch(service, file.getFileName());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            closeQuietly(service);
            return null;
        }
    }

    /**
     * Whether the file's name may have changed since the last call: an event for it (or a lost event) is waiting, or
     * the watch stopped working. Costs a poll of an in-memory queue when nothing happened.
     */
    boolean mayHaveMoved() {
        if (broken) {
            return true;
        }
        try {
            WatchKey key = service.poll();
            if (key == null) {
                return false;
            }
            boolean moved = false;
            for (WatchEvent<?> event : key.pollEvents()) {
                moved |= event.kind() == StandardWatchEventKinds.OVERFLOW || name.equals(event.context());
            }
            if (!key.reset()) {
                stop(); // the directory is gone, or cannot be watched any longer
                return true;
            }
            return moved;
        } catch (ClosedWatchServiceException e) {
            stop();
            return true;
        }
    }

    /** Whether the watch still works; once it stopped, {@link #mayHaveMoved} says {@code true} for good. */
    boolean working() {
        return !broken;
    }

    private void stop() {
        broken = true;
        closeQuietly(service);
    }

    private static void closeQuietly(WatchService service) {
        if (service == null) {
            return;
        }
        try {
            service.close();
        } catch (IOException ignored) {
            // Only the JDK's watcher thread stays; the file checks its path before every record either way.
        }
    }
}
