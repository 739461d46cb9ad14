package dev.pythread.it.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application under {@link HostileHook}: {@value #STARTERS} starter threads at once, each starting and joining
 * {@value #PER_STARTER} threads {@code work-S-I} and one thread {@code die-S} that dies of an uncaught exception. A
 * start that throws is caught and printed ({@code refused NAME: EXCEPTION-CLASS}); at the end it prints
 * {@code ran N refused M} and {@code done}. Whatever the hooks do, it must get there.
 */
public final class HostileApp {

    public static final int STARTERS = 4;
    public static final int PER_STARTER = 5;

    private static final AtomicInteger RAN = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();

    private HostileApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<Thread> starters = new ArrayList<>();
        for (int s = 0; s < STARTERS; s++) {
            int starter = s;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < PER_STARTER; i++) {
                    startAndJoin(new Thread(RAN::incrementAndGet, "work-" + starter + "-" + i));
                }
                startAndJoin(new Thread(() -> {
                    throw new IllegalStateException("die-" + starter + " boom");
                }, "die-" + starter));
            }, "starter-" + s);
            thread.start();
            starters.add(thread);
        }
        for (Thread starter : starters) {
            starter.join();
        }
        Out.line("ran " + RAN.get() + " refused " + REFUSED.get());
        Out.line("done");
    }

    private static void startAndJoin(Thread thread) {
        try {
            thread.start();
        } catch (Throwable refused) {
            REFUSED.incrementAndGet();
            Out.line("refused " + thread.getName() + ": " + refused.getClass().getName());
            return;
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
