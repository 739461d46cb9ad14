package dev.pythread.agent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The task a {@code Thread} was given, read from the JDK's own field: {@code target} on JDK 17, {@code holder.task} on
 * JDK 21+. For {@link GuardDispatch#onAddShutdownHook}, which runs in {@code Runtime}, not in {@code Thread} (there the
 * instrumented code reads the field itself, see {@link ThreadTransformer}). It needs {@code java.lang} open to the
 * agent, which the installer arranges when a policy is given; a JDK that has neither field yields {@code null}.
 */
final class ThreadTasks {

    private static final VarHandle TARGET;
    private static final VarHandle HOLDER;
    private static final VarHandle HOLDER_TASK;

    static {
        VarHandle target = null;
        VarHandle holder = null;
        VarHandle holderTask = null;
        try {
            MethodHandles.Lookup inThread = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            try {
                target = inThread.findVarHandle(Thread.class, "target", Runnable.class);
            } catch (NoSuchFieldException jdk21) {
                Class<?> fieldHolder = Class.forName("java.lang.Thread$FieldHolder", false, null);
                holder = inThread.findVarHandle(Thread.class, "holder", fieldHolder);
                holderTask = MethodHandles.privateLookupIn(fieldHolder, MethodHandles.lookup())
                        .findVarHandle(fieldHolder, "task", Runnable.class);
            }
        } catch (ReflectiveOperationException | RuntimeException unknownLayout) {
            target = null;
            holder = null;
        }
        TARGET = target;
        HOLDER = holder;
        HOLDER_TASK = holderTask;
    }

    private ThreadTasks() {
    }

    /** The thread's task, or {@code null} (none, or a JDK whose fields are unknown). */
    static Runnable taskOf(Thread thread) {
        if (TARGET != null) {
            return (Runnable) TARGET.get(thread);
        }
        if (HOLDER != null) {
            Object holder = HOLDER.get(thread);
            return holder == null ? null : (Runnable) HOLDER_TASK.get(holder);
        }
        return null;
    }
}
