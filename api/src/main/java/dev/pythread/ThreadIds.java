package dev.pythread;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Reads a thread's JVM identifier, the value behind {@link PyThread#getIdent()}.
 *
 * <p>On JDK 19+ this is the final {@code Thread.threadId()}; on JDK 17, {@code Thread.getId()}, which a
 * subclass could override but which the JDK then also trusts. The handle is resolved once and held in a
 * {@code static final} field, so the JIT compiles the call as a direct one.
 */
final class ThreadIds {

    private static final MethodHandle THREAD_ID = resolve();

    private ThreadIds() {
    }

    static long of(Thread thread) {
        try {
            return (long) THREAD_ID.invokeExact(thread);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable impossible) {
            throw new AssertionError(impossible);
        }
    }

    private static MethodHandle resolve() {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        MethodType type = MethodType.methodType(long.class);
        try {
            return lookup.findVirtual(Thread.class, "threadId", type);
        } catch (NoSuchMethodException beforeJdk19) {
            try {
                return lookup.findVirtual(Thread.class, "getId", type);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        } catch (IllegalAccessException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
