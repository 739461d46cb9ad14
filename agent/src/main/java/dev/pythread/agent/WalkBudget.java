package dev.pythread.agent;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * How many stack walks {@link LiveThreads} may spend on finding who started a thread: a rate with a burst, so that
 * the inventory costs nothing measurable however fast an application starts threads.
 *
 * <p><b>Why a budget.</b> Finding the starting frame is a {@link StackWalker} walk, which on a thread start costs
 * about 6 µs on JDK 17 (measured: 5–8% of a 115 µs start+join, with the agent's record itself free) — cold caches
 * after the kernel's thread creation, compiled frames to decode. A service starts most of the threads that stay —
 * its pools, schedulers, clients — in a burst at start-up: the first {@link #BURST} starts are all walked. After
 * that, at most {@link #PER_SECOND} starts a second are, on average, and the rest are recorded unattributed: a JVM
 * starting 200 threads a second has 5% of them walked, so a line that leaks thousands still stands out among the
 * attributed ones, and the walks cost at most {@code PER_SECOND × 6 µs}, under 0.01% of a core, however fast threads
 * start. (An inventory of every start is {@code audit=jsonl}'s: a line sink that records each start's caller walks
 * every start anyway, and the inventory then takes its frame for free.) Measured with 100 a second: a benchmark whose
 * JVMs each started 200 threads a second had half its starts walked, 1.09× the agent with {@code inventory=off}.
 *
 * <p><b>Algorithm.</b> The generic cell rate algorithm: one {@code long}, the time the next walk would be due if walks
 * came evenly. A walk is allowed while that time is at most {@code BURST} intervals ahead of now, and moves it one
 * interval on (from now, if it lay in the past). One CAS per allowed walk, none per refused one; a start that loses
 * the CAS to another is refused rather than retried, as its competitor just spent the budget.
 */
final class WalkBudget {

    /** Walks a second, on average. */
    static final int PER_SECOND = 10;
    /** Walks at once, after a quiet time: a pool of a thousand threads at start-up is attributed whole. */
    static final int BURST = 1000;

    private final long intervalNanos;
    private final long toleranceNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong nextDue;

    WalkBudget() {
        this(PER_SECOND, BURST, System::nanoTime);
    }

    WalkBudget(int perSecond, int burst, LongSupplier nanoClock) {
        this.intervalNanos = 1_000_000_000L / perSecond;
        this.toleranceNanos = intervalNanos * (burst - 1);
        this.nanoClock = nanoClock;
        this.nextDue = new AtomicLong(nanoClock.getAsLong());
    }

    /** Whether this start may be walked; if so, one walk is spent. */
    boolean tryTake() {
        long now = nanoClock.getAsLong();
        long due = nextDue.get();
        if (due - now > toleranceNanos) {
            return false;
        }
        return nextDue.compareAndSet(due, Math.max(due, now) + intervalNanos);
    }
}
