package dev.pythread;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The kernel's identifier of the calling thread, behind {@link PyThread#getNativeId()}.
 *
 * <p>Linux's {@code /proc/thread-self} is a link that the kernel resolves, for the thread that reads it, to
 * {@code /proc/PID/task/TID}: one {@code readlink} system call gives the TID, with no native code, no
 * internal JDK API and no warning on any JDK. A virtual thread reads it on its carrier, so it gets the carrier's
 * TID at that moment. Nothing is cached: a virtual thread may move to another carrier between two calls.
 */
final class NativeThreadId {

    private static final Path THREAD_SELF = Paths.get("/proc/thread-self");

    private NativeThreadId() {
    }

    static long current() {
        Path target;
        try {
            target = Files.readSymbolicLink(THREAD_SELF);
        } catch (IOException | UnsupportedOperationException e) {
            throw unavailable(e);
        }
        // target is "/proc/<pid>/task/<tid>" (or "<pid>/task/<tid>" on some kernels): the TID is the last name.
        Path tid = target.getFileName();
        try {
            return Long.parseLong(tid == null ? "" : tid.toString());
        } catch (NumberFormatException e) {
            throw unavailable(e);
        }
    }

    private static UnsupportedOperationException unavailable(Exception cause) {
        UnsupportedOperationException e = new UnsupportedOperationException(
                "get_native_id() needs Linux's /proc/thread-self (kernel 3.17 or later), which is not readable on "
                        + System.getProperty("os.name") + ": " + cause);
        e.initCause(cause);
        return e;
    }
}
