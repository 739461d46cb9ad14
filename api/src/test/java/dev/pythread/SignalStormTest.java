package dev.pythread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * 10 000 simulated signals while the main thread takes and waits on a contended lock and runs their handler: the
 * handler runs only in the main thread, no signal is lost (the last one sent is handled), nothing deadlocks.
 * Signals coalesce, as in CPython, so the handler may run fewer times than signals were sent.
 */
class SignalStormTest {

    @AfterEach
    void restore() {
        Signals.signal(Signals.SIGUSR1, Signals.SIG_DFL);
        Thread.interrupted();
    }

    @Test
    void tenThousandSignalsWhileTheMainThreadWaitsOnALock() throws Exception {
        assumeTrue(Thread.currentThread() == Signals.mainThread(), "needs the JVM's main thread");
        int signals = 10_000;
        AtomicLong sent = new AtomicLong();
        AtomicLong handledUpTo = new AtomicLong();
        AtomicLong handlerRuns = new AtomicLong();
        AtomicBoolean outsideMain = new AtomicBoolean();
        Thread main = Thread.currentThread();
        Signals.signal(Signals.SIGUSR1, signum -> {
            outsideMain.compareAndSet(false, Thread.currentThread() != main);
            handlerRuns.incrementAndGet();
            handledUpTo.set(sent.get());
        });
        Lock lock = PyThread.allocateLock();
        AtomicBoolean done = new AtomicBoolean();
        try (Watchdog watchdog = Watchdog.arm("tenThousandSignalsWhileTheMainThreadWaitsOnALock", 240)) {
            Thread holder = new Thread(() -> {
                while (!done.get()) {
                    if (lock.acquire(true, 0.01)) {
                        Thread.onSpinWait();
                        lock.release();
                    }
                }
            }, "holder");
            Thread signaller = new Thread(() -> {
                for (int i = 0; i < signals; i++) {
                    sent.incrementAndGet();
                    PyThread.interruptMain(Signals.SIGUSR1);
                }
            }, "signaller");
            holder.start();
            signaller.start();
            long acquired = 0;
            while (signaller.isAlive()) {
                if (lock.acquire()) { // waits while the holder has it: handlers run in here
                    acquired++;
                    lock.release();
                }
            }
            Signals.checkSignals(); // the last checkpoint: the signaller has ended, every delivery has landed
            signaller.join();
            done.set(true);
            holder.join();
            assertTrue(acquired > 0);
        }
        assertFalse(outsideMain.get(), "a handler ran outside the main thread");
        assertTrue(handlerRuns.get() >= 1);
        assertEquals(signals, handledUpTo.get(), "the handler ran after the last signal was sent");
        assertFalse(Thread.currentThread().isInterrupted(), "every delivery was consumed by a checkpoint");
    }
}
