package dev.pythread.it.apps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WORKERS threads each start and join PER_WORKER threads named {@code rI-J}; the start that makes the shared count
 * reach ROTATE_AT renames LOG to ROTATED right after it, while the other workers go on starting — a
 * rename-then-reopen rotation (logrotate's default) in the middle of a busy audit log. Prints {@code rotated} and
 * {@code done}. A few names are long and hard (see {@link #name}).
 *
 * <p>With GATE, the start that makes the count reach ROTATE_AT - 1000 first prints {@code holding} and waits until
 * GATE exists, so that a test can freeze a log shipper there: the last 1000 records of the old file are then written
 * while the shipper is frozen, and renamed away before it reads them. For a gate that holds every start, use one
 * worker.
 */
public final class RotatingStarts {

    /** Records written between the gate and the rename. */
    private static final int AFTER_GATE = 1000;

    private RotatingStarts() {
    }

    /** @param args WORKERS PER_WORKER ROTATE_AT LOG ROTATED [GATE]; {@code %p} in LOG and ROTATED is the pid */
    public static void main(String[] args) throws InterruptedException {
        int workers = Integer.parseInt(args[0]);
        int perWorker = Integer.parseInt(args[1]);
        int rotateAt = Integer.parseInt(args[2]);
        String pid = Long.toString(ProcessHandle.current().pid());
        Path log = Path.of(args[3].replace("%p", pid));
        Path rotated = Path.of(args[4].replace("%p", pid));
        Path gate = args.length > 5 ? Path.of(args[5]) : null;
        AtomicInteger started = new AtomicInteger();
        List<Thread> starters = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            Thread starter = new Thread(() -> {
                for (int j = 0; j < perWorker; j++) {
                    Thread thread = new Thread(() -> { }, name(worker, j));
                    thread.start();
                    int count = started.incrementAndGet();
                    if (gate != null && count == rotateAt - AFTER_GATE) {
                        Out.line("holding");
                        awaitFile(gate);
                    }
                    if (count == rotateAt) {
                        rename(log, rotated);
                    }
                    try {
                        thread.join();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, "starter-" + w);
            starters.add(starter);
        }
        for (Thread starter : starters) {
            starter.start();
        }
        for (Thread starter : starters) {
            starter.join();
        }
        Out.line("done");
    }

    /**
     * {@code rW-J}; every 5 000th start (J = 123, 5 123, …) adds a long name a log shipper may mangle: over 20 000
     * characters (rsyslog's default message limit is 8 KiB), non-ASCII letters, an emoji, quotes, a backslash, a tab.
     */
    private static String name(int worker, int j) {
        String name = "r" + worker + "-" + j;
        return j % 5000 == 123 ? name + " é€😀 \"quoted\" back\\slash tab\t" + "x".repeat(20_000) : name;
    }

    private static void awaitFile(Path gate) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(gate)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + gate + " after 60 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void rename(Path from, Path to) {
        try {
            Files.move(from, to);
        } catch (IOException e) {
            throw new IllegalStateException("cannot rotate " + from, e);
        }
        Out.line("rotated");
    }
}
