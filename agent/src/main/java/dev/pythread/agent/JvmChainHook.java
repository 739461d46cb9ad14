package dev.pythread.agent;

import dev.pythread.Unraisable;
import dev.pythread.Unraisable.UnraisableHook;
import dev.pythread.Unraisable.UnraisableHookArgs;

/**
 * The unraisable hook the agent installs by default ({@code unraisable=jvm}): a thread's uncaught exception
 * goes to the JVM's usual chain — the thread's own handler, else its {@code ThreadGroup}, which calls
 * {@code Thread.getDefaultUncaughtExceptionHandler()} or prints {@code Exception in thread "…"} — so that an
 * application behaves and prints exactly as without the agent. Any other unraisable report (one whose object is
 * not a thread, e.g. from {@code PyThread.startNewThread}) is written by {@link Unraisable#DEFAULT_HOOK}.
 */
final class JvmChainHook implements UnraisableHook {

    static final JvmChainHook INSTANCE = new JvmChainHook();

    private JvmChainHook() {
    }

    @Override
    public void handle(UnraisableHookArgs args) {
        if (args.object() instanceof Thread && args.excValue() != null) {
            handToJvm((Thread) args.object(), args.excValue());
        } else {
            Unraisable.DEFAULT_HOOK.handle(args);
        }
    }

    /**
     * What the JDK's own {@code Thread.dispatchUncaughtException} does: the thread's handler, else its group, which
     * calls the default handler or prints {@code Exception in thread "…"}. An exception the handler throws propagates.
     */
    static void handToJvm(Thread thread, Throwable exc) {
        thread.getUncaughtExceptionHandler().uncaughtException(thread, exc);
    }

    @Override
    public String toString() {
        return "<pythread-agent: the JVM's uncaught-exception handlers>";
    }
}
