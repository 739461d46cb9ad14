package dev.pythread.demo;

import dev.pythread.Audit;
import dev.pythread.Lock;
import dev.pythread.PyFunction;
import dev.pythread.PyThread;
import dev.pythread.Signals;
import dev.pythread.Unraisable;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A short tour of {@code pythread-api}, the small example program the README runs: each step prints what it
 * does and what {@code _thread} would print for it.
 */
public final class ApiTour {

    private ApiTour() {
    }

    /**
     * Runs the tour.
     *
     * @param args ignored
     * @throws InterruptedException never, in practice
     */
    public static void main(String[] args) throws InterruptedException {
        // sys.addaudithook(hook): see every thread start.
        Audit.addHook((event, eventArgs) -> {
            if (event.startsWith("_thread.")) {
                System.out.println("  audit: " + event + " " + Arrays.deepToString(eventArgs));
            }
        });

        System.out.println("1. start_new_thread + allocate_lock: 4 threads add 10000 each under one lock");
        Lock lock = PyThread.allocateLock();
        int[] counter = {0};
        CountDownLatch done = new CountDownLatch(4);
        PyFunction add = new PyFunction() {
            @Override
            public void call(Object[] positional, Map<String, Object> keywords) {
                for (int n = 0; n < (int) positional[0]; n++) {
                    try (var held = lock.enter()) { // with lock:
                        counter[0]++;
                    }
                }
                done.countDown();
            }

            @Override
            public String toString() {
                return "<function add>";
            }
        };
        for (int i = 0; i < 4; i++) {
            PyThread.startNewThread(add, new Object[] {10_000}, Map.of("worker", i));
        }
        done.await();
        System.out.println("  counter = " + counter[0] + ", lock = " + lock);

        System.out.println("2. acquire with a timeout on a held lock");
        lock.acquire();
        System.out.println("  lock.acquire(timeout=0.1) -> " + lock.acquire(true, 0.1) + ", lock = " + lock);
        lock.release();

        System.out.println("3. a thread that raises: sys.unraisablehook reports it");
        CountDownLatch reported = new CountDownLatch(1);
        Unraisable.setHook(unraisable -> {
            System.out.println("  unraisable: " + unraisable.errMsg() + ": " + unraisable.object() + " -> "
                    + unraisable.excValue());
            reported.countDown();
        });
        Runnable failing = new Runnable() {
            @Override
            public void run() {
                throw new IllegalStateException("boom");
            }

            @Override
            public String toString() {
                return "<function failing>";
            }
        };
        PyThread.startNewThread(failing);
        reported.await();
        Unraisable.setHook(null);

        System.out.println("4. interrupt_main: a handler runs in the main thread while it waits on a lock");
        CountDownLatch handled = new CountDownLatch(1);
        Signals.signal(Signals.SIGUSR1, signum -> {
            System.out.println("  handler for signal " + signum + " ran in thread '"
                    + Thread.currentThread().getName() + "'");
            handled.countDown();
        });
        lock.acquire();
        Thread main = Thread.currentThread();
        PyThread.startNewThread(() -> {
            while (main.getState() != Thread.State.WAITING) {
                Thread.onSpinWait(); // until main waits in acquire()
            }
            PyThread.interruptMain(Signals.SIGUSR1);
            try {
                handled.await(); // main runs the handler, then waits again for the lock (PEP 475)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lock.release();
        });
        System.out.println("  main acquired the lock after the signal: " + lock.acquire());
        lock.release();

        System.out.println("5. identifiers: get_ident() = " + PyThread.getIdent()
                + ", get_native_id() = " + PyThread.getNativeId()
                + ", stack_size() = " + PyThread.stackSize() + ", TIMEOUT_MAX = " + PyThread.TIMEOUT_MAX);
    }
}
