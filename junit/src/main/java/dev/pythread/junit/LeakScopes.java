package dev.pythread.junit;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The open {@link LeakScope}s of the JVM, which one each thread belongs to, and what is known of the threads started
 * while they are open. One per JVM.
 *
 * <p><b>Ownership by creation.</b> A thread belongs to the scope that was open in the thread that created it: the
 * scope is an {@link InheritableThreadLocal}, copied into a new {@code Thread} by its constructor, in the
 * constructing thread — the same mechanism as {@link ThreadExceptionExtension}'s, but a scope of its own, since either
 * extension may run without the other. Its {@link InheritableThreadLocal#childValue childValue} is called right
 * there, which tells a scope that it created a thread even when nothing audits thread starts.
 *
 * <p><b>Nothing dead is kept.</b> The threads that had a start record, and those a scope has already judged, are
 * remembered in weak sets: a dead thread is collected as if they did not exist.
 */
final class LeakScopes {

    static final LeakScopes INSTANCE = new LeakScopes();

    private static final InheritableThreadLocal<LeakScope> OWNER = new InheritableThreadLocal<>() {
        @Override
        protected LeakScope childValue(LeakScope owner) {
            if (owner != null) {
                owner.threadCreated();
            }
            return owner;
        }
    };

    private final Set<LeakScope> open = new HashSet<>(); // guarded by this
    private volatile boolean anyOpen;

    /** Threads whose start {@link StartRecorder} saw while a scope was open: never judged by appearance. */
    private final WeakThreadSet started = new WeakThreadSet();

    /** Threads a scope has judged by appearance: a later scope, the class's included, does not judge them again. */
    private final WeakThreadSet judged = new WeakThreadSet();

    private LeakScopes() {
    }

    /** Opens {@code scope} in the current thread: threads created from here on belong to it. */
    void open(LeakScope scope) {
        synchronized (this) {
            for (LeakScope other : open) {
                if (!scope.isRelatedTo(other)) {
                    scope.overlapsWith(other);
                    other.overlapsWith(scope);
                }
            }
            open.add(scope);
            anyOpen = true;
        }
        scope.previousOwner = OWNER.get();
        OWNER.set(scope);
    }

    /**
     * Closes {@code scope}, in the thread that opened it.
     *
     * @return its start records, in order
     */
    List<StartRecord> close(LeakScope scope) {
        if (OWNER.get() == scope) {
            if (scope.previousOwner == null) {
                OWNER.remove();
            } else {
                OWNER.set(scope.previousOwner);
            }
        }
        scope.previousOwner = null;
        List<StartRecord> records = scope.close();
        synchronized (this) {
            open.remove(scope);
            anyOpen = !open.isEmpty();
        }
        return records;
    }

    /** The scope the current thread belongs to, open or not, or {@code null}. */
    LeakScope owner() {
        return OWNER.get();
    }

    boolean anyOpen() {
        return anyOpen;
    }

    void started(Thread thread) {
        started.add(thread);
    }

    boolean wasStarted(Thread thread) {
        return started.contains(thread);
    }

    /** Marks {@code thread} judged; {@code false} if it was already. */
    boolean judge(Thread thread) {
        return judged.add(thread);
    }
}
