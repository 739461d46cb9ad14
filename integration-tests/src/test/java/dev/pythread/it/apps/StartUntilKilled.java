package dev.pythread.it.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Starts threads {@code k-0}, {@code k-1}, … until killed, printing each name once {@code start()} has returned.
 * Arguments, optional: {@code STARTERS} threads that start at once (default 1, the main thread), {@code TOTAL} starts
 * in all (default: no end), after which it prints {@code done}.
 */
public final class StartUntilKilled {

    private StartUntilKilled() {
    }

    public static void main(String[] args) throws InterruptedException {
        int starters = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        long total = args.length > 1 ? Long.parseLong(args[1]) : Long.MAX_VALUE;
        AtomicLong next = new AtomicLong();
        Runnable starting = () -> {
            for (long n = next.getAndIncrement(); n < total; n = next.getAndIncrement()) {
                Thread thread = new Thread(() -> { }, "k-" + n);
                thread.start();
                Out.line("started k-" + n);
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        if (starters == 1) {
            starting.run();
        } else {
            List<Thread> threads = new ArrayList<>();
            for (int s = 0; s < starters; s++) {
                Thread starter = new Thread(starting, "starter-" + s);
                starter.start();
                threads.add(starter);
            }
            for (Thread starter : threads) {
                starter.join();
            }
        }
        Out.line("done");
    }
}
