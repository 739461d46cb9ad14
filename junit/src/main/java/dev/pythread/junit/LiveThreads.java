package dev.pythread.junit;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The platform threads alive now, and what the JDK of the day can say about a thread that JDK 17's API cannot.
 *
 * <p>The threads are enumerated through the root thread group rather than {@code Thread.getAllStackTraces()}, which
 * would stop every thread to take its stack only for this to throw the stacks away. Neither lists virtual threads
 * (JDK 21+): nothing in the JDK enumerates them.
 */
final class LiveThreads {

    /** {@code Thread.isVirtual()}, JDK 21+; {@code null} before. This module compiles for JDK 17. */
    private static final MethodHandle IS_VIRTUAL = findIsVirtual();

    private LiveThreads() {
    }

    private static MethodHandle findIsVirtual() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException beforeJdk21) {
            return null;
        }
    }

    /** The live platform threads, in no particular order. */
    static Thread[] all() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int count;
        while ((count = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2]; // full: some may not have fit
        }
        return Arrays.copyOf(threads, count);
    }

    /** The identifiers of {@link #all()}: what a scope remembers of the threads that existed before it. */
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+; the same value
    static Set<Long> ids() {
        Set<Long> ids = new HashSet<>();
        for (Thread thread : all()) {
            ids.add(thread.getId());
        }
        return ids;
    }

    @SuppressWarnings("deprecation")
    static long id(Thread thread) {
        return thread.getId();
    }

    /** Whether {@code thread} is a virtual thread (never on JDK 17). */
    static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable cannotHappen) {
            return false;
        }
    }
}
