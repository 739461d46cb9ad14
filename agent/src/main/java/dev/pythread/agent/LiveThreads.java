package dev.pythread.agent;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who started each live thread, and when: what {@code java -jar pythread-agent.jar PID threads} reports
 * ({@link ThreadInventory}). {@link ThreadDispatch#onStart} adds one record per start; nothing else writes.
 *
 * <p><b>Who started it</b> is the frame a line sink found for the start's audit record, if one asked; otherwise this
 * walks the stack for it, within a {@link WalkBudget}: a start beyond the budget is recorded unattributed.
 *
 * <p><b>Overview.</b> The records sit in a {@link ConcurrentLinkedQueue}: adding one is a CAS on its tail, so a
 * thread start never waits for another, or for a reader. Nothing is told when a thread ends — that would mean
 * instrumenting the JDK's thread exit, whose methods differ from release to release for virtual threads — so the
 * records of ended threads are pruned instead: when the queue holds {@link #pruneAt} records, the start that
 * reaches that count walks it once and unlinks every record whose thread has terminated, then sets the next
 * threshold to twice the records it kept (at least {@link #MIN_PRUNE_AT}).
 *
 * <p><b>Invariants.</b> The queue holds fewer than {@code max(MIN_PRUNE_AT, 2 × K)} records, K being the records
 * the last prune kept (the threads alive then), whatever the number of threads started and ended: ended threads
 * leave nothing lasting (a test starts 100 000). A prune costs one {@code getState()} per record and comes once per
 * at least as many starts as it kept records, so its cost per start is constant. One start prunes at a time; a start
 * arriving while another prunes skips it rather than wait ({@link #pruning}), and the next threshold catches up.
 *
 * <p>A record is added before the JDK starts the thread, which may then fail to start (no memory for its stack, a
 * thread container that has closed): such a thread stays {@code NEW} for ever, so a record still {@code NEW} after
 * {@link #FAILED_START_MILLIS} is pruned as a start that never happened.
 */
final class LiveThreads {

    /** The smallest prune threshold: a JVM with few threads prunes every 256 starts, not every other one. */
    static final int MIN_PRUNE_AT = 256;

    /** How long a thread may stay {@code NEW} after its record before its start counts as failed. */
    static final long FAILED_START_MILLIS = 10_000;

    /**
     * One start: the thread, the frame that started it and when.
     *
     * <p>The frame is kept as the walker found it and described only when the inventory is read: describing it
     * (method, file, line, jar) costs more than finding it, and most threads are never asked about.
     */
    static final class Started {
        final Thread thread;
        final long startedMillis;
        /** Whether the starting frame was looked for ({@code false}: the walk budget was spent). */
        final boolean attributed;
        /** The starting frame, already described (a line sink asked for it), or {@code null}. */
        private final Caller caller;
        /** The starting frame as walked, to describe on demand, or {@code null}. */
        private final StackWalker.StackFrame frame;

        Started(Thread thread, boolean attributed, Caller caller, StackWalker.StackFrame frame, long startedMillis) {
            this.thread = thread;
            this.attributed = attributed;
            this.caller = caller;
            this.frame = frame;
            this.startedMillis = startedMillis;
        }

        /**
         * Who started the thread, or {@code null}: the JDK, on a stack with no frame but its own (or nobody looked,
         * see {@link #attributed}).
         */
        Caller creator() {
            if (caller != null) {
                return caller;
            }
            return frame == null ? null : CallerFrame.describe(frame);
        }
    }

    private final ConcurrentLinkedQueue<Started> records = new ConcurrentLinkedQueue<>();
    /** The records in {@link #records}: its own {@code size()} walks the queue. */
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicBoolean pruning = new AtomicBoolean();
    private final WalkBudget walks;
    /** Starts whose record failed (no memory, no stack left): {@link ThreadInventory} says how many. */
    private final AtomicLong lost = new AtomicLong();
    private volatile int pruneAt = MIN_PRUNE_AT;
    private final long failedStartMillis;

    LiveThreads() {
        this(FAILED_START_MILLIS, new WalkBudget());
    }

    /**
     * @param failedStartMillis how long a recorded thread may stay {@code NEW} (tests shorten it)
     * @param walks             the stack walks this may spend
     */
    LiveThreads(long failedStartMillis, WalkBudget walks) {
        this.failedStartMillis = failedStartMillis;
        this.walks = walks;
    }

    /**
     * Records a start whose frame nobody has looked for yet: walks for it if the budget allows. In the starting
     * thread, before the thread runs. Never throws: the inventory must not be why a thread fails to start, so a
     * record that fails (a start deep in a stack that has no room left for the walk, no memory) is counted as lost.
     */
    void recordStart(Thread thread) {
        try {
            if (walks.tryTake()) {
                add(thread, true, null, CallerFrame.findFrame());
            } else {
                add(thread, false, null, null);
            }
        } catch (Throwable failed) {
            lost.incrementAndGet();
        }
    }

    /**
     * Records a start whose frame a line sink found already; never throws, as {@link #recordStart(Thread)}.
     *
     * @param caller the frame, or {@code null} when the JDK started the thread
     */
    void recordStart(Thread thread, Caller caller) {
        try {
            add(thread, true, caller, null);
        } catch (Throwable failed) {
            lost.incrementAndGet();
        }
    }

    /** How many starts could not be recorded. */
    long lost() {
        return lost.get();
    }

    /**
     * Records a start.
     *
     * @param attributed whether the frame was looked for
     * @param caller     its starting frame, described already, or {@code null}
     * @param frame      its starting frame as walked, or {@code null}; both {@code null} and {@code attributed}:
     *                   the JDK started it
     */
    void add(Thread thread, boolean attributed, Caller caller, StackWalker.StackFrame frame) {
        records.offer(new Started(thread, attributed, caller, frame, System.currentTimeMillis()));
        if (held.incrementAndGet() >= pruneAt) {
            prune();
        }
    }

    /** Unlinks the records of ended threads, unless another thread is at it already (then it catches up). */
    void prune() {
        if (!pruning.compareAndSet(false, true)) {
            return;
        }
        try {
            long now = System.currentTimeMillis();
            int kept = 0;
            for (Iterator<Started> it = records.iterator(); it.hasNext(); ) {
                Started record = it.next();
                if (hasEnded(record, now, failedStartMillis)) {
                    it.remove();
                    held.decrementAndGet();
                } else {
                    kept++;
                }
            }
            pruneAt = Math.max(MIN_PRUNE_AT, 2 * kept);
        } finally {
            pruning.set(false);
        }
    }

    private static boolean hasEnded(Started record, long now, long failedStartMillis) {
        Thread.State state = record.thread.getState();
        return state == Thread.State.TERMINATED
                || state == Thread.State.NEW && now - record.startedMillis > failedStartMillis;
    }

    /** The records of threads alive now, oldest first (records pruned first, so {@link #held} is current). */
    List<Started> alive() {
        prune();
        List<Started> alive = new ArrayList<>();
        for (Started record : records) {
            if (record.thread.isAlive()) {
                alive.add(record);
            }
        }
        return alive;
    }

    /** Every record held, live or not yet pruned, oldest first: for tests. */
    Iterable<Started> records() {
        return records;
    }

    /** How many records are held, live threads' and not yet pruned ones': the figure that must not grow. */
    int held() {
        return held.get();
    }
}
