package dev.pythread.it.apps;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes whole lines to stdout with one {@code write} system call each. Audit hooks can run inside another
 * thread's {@code System.out.println}: on JDK 21+ a virtual thread that blocks in it may make the JDK start a
 * compensating carrier thread right there, whose start hook then prints. With one {@code write} per line, lines
 * may come in any order but are never cut in two.
 */
public final class Out {

    private static final FileOutputStream STDOUT = new FileOutputStream(FileDescriptor.out);

    private Out() {
    }

    /** Writes {@code text} and a newline to stdout in one system call. */
    public static void line(String text) {
        try {
            STDOUT.write((text + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A thread as the tests name it: {@code name#id}, unique even for unnamed virtual threads. */
    @SuppressWarnings("deprecation") // getId(): threadId() is JDK 19+, the apps compile for 17
    static String label(Thread thread) {
        return thread.getName() + "#" + thread.getId();
    }
}
