package dev.pythread.junit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test or a test class while {@link ThreadLeakExtension} watches it: the threads it is responsible for.
 *
 * <p>Two ways to know them. Under pythread-agent the start of each thread is audited, in the starting thread, and
 * {@link StartRecorder} {@link #record records} it here with its starting frame if that thread belongs to this scope:
 * exact, also under parallel execution, and virtual threads included. A thread with no start record (no agent, or
 * {@code PyThread.startNewThread}'s) is judged at close by {@link #attributeUnrecorded()}: it appeared while this
 * scope was open (it is not in {@link #before}), so it is this scope's if this scope created any thread and no other
 * scope that created threads was open meanwhile.
 *
 * <p>{@link #record} and {@link #close} take the scope's lock, so that a thread started while its scope closes is
 * either in the list the scope checks or refused — and then recorded by the enclosing scope — never lost.
 */
final class LeakScope {

    /** Who a thread with no start record belongs to, when the scope that saw it appear closes. */
    enum Attribution {
        /** This scope: it created threads, and no other scope that did was open at the same time. */
        THIS,
        /** This test's class: other tests that created threads ran meanwhile, all of them in the same class. */
        CLASS,
        /** Nobody: it cannot be known who created it, and a false report is worse than a missed one. */
        NOBODY
    }

    /** The test's class, or a {@code @Nested} class's enclosing class, if watched too; else {@code null}. */
    final LeakScope parent;

    /** A test (a test method or one invocation of a test template), not a class. */
    final boolean test;

    final LeakSettings settings;

    /** For reports: {@code com.example.FooTest.bar()}, or {@code com.example.FooTest outside its tests}. */
    final String creator;

    /** The test or the class: {@code com.example.FooTest.bar()}, or {@code com.example.FooTest}. */
    private final String name;

    /** For messages: {@code "this test"} or {@code "this class"}. */
    final String during;

    /** The owner the opening thread had before this scope, restored when it closes; only that thread touches it. */
    LeakScope previousOwner;

    /** The identifiers of the platform threads alive when this scope opened; emptied when it closes. */
    private final Set<Long> before;

    /** Scopes open at some moment while this one was, other than its enclosing and enclosed ones. */
    private final Set<LeakScope> concurrent = ConcurrentHashMap.newKeySet();

    /** Set when a thread is created that inherits this scope (see {@link LeakScopes}). */
    private volatile boolean createdThreads;

    private final List<StartRecord> records = new ArrayList<>(); // guarded by this
    private int pruneAt = 16; // guarded by this
    private boolean closed; // guarded by this

    LeakScope(LeakScope parent, boolean test, LeakSettings settings, String name, Set<Long> before) {
        this.parent = parent;
        this.test = test;
        this.settings = settings;
        this.name = name;
        this.creator = test ? name : name + " outside its tests";
        this.during = test ? "this test" : "this class";
        this.before = before;
    }

    /** For a class: how its reports name a thread of one of its parallel tests (which one is not known). */
    String parallelTestCreator() {
        return "one of the parallel tests of " + name;
    }

    /** Whether the platform thread with identifier {@code id} was alive when this scope opened. */
    boolean existedBefore(long id) {
        return before.contains(id);
    }

    void threadCreated() {
        if (!createdThreads) {
            createdThreads = true;
        }
    }

    /** Whether {@code other} is this scope, or encloses it, or is enclosed by it. */
    boolean isRelatedTo(LeakScope other) {
        return other.encloses(this) || encloses(other);
    }

    /** Whether {@code other} is this scope or inside it. */
    boolean encloses(LeakScope other) {
        for (LeakScope s = other; s != null; s = s.parent) {
            if (s == this) {
                return true;
            }
        }
        return false;
    }

    /** Notes that {@code other}, unrelated to this scope, is open at the same time as this one. */
    void overlapsWith(LeakScope other) {
        concurrent.add(other);
    }

    /**
     * Holds {@code record} against this scope, unless it has closed. Drops the records of threads that ended, now and
     * then, so that a test starting thousands of short threads does not keep them all.
     *
     * @return {@code false} if closed: the caller tries the enclosing scope
     */
    synchronized boolean record(StartRecord record) {
        if (closed) {
            return false;
        }
        records.add(record);
        if (records.size() >= pruneAt) {
            records.removeIf(r -> !r.thread().isAlive());
            pruneAt = Math.max(16, 2 * records.size());
        }
        return true;
    }

    /**
     * Refuses every later {@link #record}, and forgets what could keep other objects reachable: a leaked thread keeps
     * its scope reachable (it inherited it), not the threads and scopes this one knew.
     *
     * @return the records, in the order they were made
     */
    synchronized List<StartRecord> close() {
        closed = true;
        List<StartRecord> recorded = List.copyOf(records);
        records.clear();
        return recorded;
    }

    /** Forgets the scopes that ran meanwhile and the threads that existed before; after {@link #attributeUnrecorded}. */
    void forget() {
        concurrent.clear();
        before.clear();
    }

    /** Who the threads that appeared during this scope with no start record belong to; see {@link Attribution}. */
    Attribution attributeUnrecorded() {
        if (!createdThreads || !settings.everyConcurrentTestSeen) {
            return Attribution.NOBODY;
        }
        boolean othersCreated = false;
        boolean allInClass = test && parent != null;
        for (LeakScope other : concurrent) {
            if (other.createdThreads) {
                othersCreated = true;
                allInClass &= parent != null && parent.encloses(other);
            }
        }
        if (!othersCreated) {
            return Attribution.THIS;
        }
        return allInClass ? Attribution.CLASS : Attribution.NOBODY;
    }
}
