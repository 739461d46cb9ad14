package dev.pythread.junit;

import java.util.ArrayList;
import java.util.List;

/**
 * A test or a test class while it runs: what the threads that die during it are held against. Opened by
 * {@link ThreadExceptionExtension}'s {@code before} callbacks, closed by its {@code after} callbacks.
 *
 * <p>{@link #record} and {@link #close} take the scope's lock, so that a thread dying while its test ends is either
 * in the list the test reports or refused — and then recorded by the class — never lost between the two.
 */
final class Scope {

    /** The test's class, or a {@code @Nested} class's enclosing class; {@code null} at the top. */
    final Scope parent;

    /** A test (a test method or one invocation of a test template), not a class. */
    final boolean test;

    /** {@link AllowThreadExceptions} applies: what dies here is dropped when the scope closes. */
    final boolean allowed;

    final ThreadExceptionExtension.Mode mode;

    /** For messages: {@code "this test"} or {@code "this class, outside its tests"}. */
    final String during;

    /** For warning lines: the test's class and method, or the class. */
    final String where;

    /**
     * The owner the opening thread had before this scope, restored when it closes. Only that thread touches it
     * (JUnit runs a {@code before} callback and its {@code after} callback in the same thread).
     */
    Scope previousOwner;

    private final List<DeadThread> dead = new ArrayList<>(); // guarded by this
    private boolean closed; // guarded by this

    Scope(Scope parent, boolean test, boolean allowed, ThreadExceptionExtension.Mode mode, String where) {
        this.parent = parent;
        this.test = test;
        this.allowed = allowed;
        this.mode = mode;
        this.during = test ? "this test" : "this class, outside its tests";
        this.where = where;
    }

    /** Holds {@code deadThread} against this scope, unless it has closed. */
    synchronized boolean record(DeadThread deadThread) {
        if (closed) {
            return false;
        }
        dead.add(deadThread);
        return true;
    }

    /** Refuses every later {@link #record}; returns what was recorded, in order. */
    synchronized List<DeadThread> close() {
        closed = true;
        List<DeadThread> recorded = List.copyOf(dead);
        // A long-lived thread started during this scope keeps it reachable (see Collector.OWNER): not its exceptions.
        dead.clear();
        return recorded;
    }
}
