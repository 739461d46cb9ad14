package dev.pythread.it.apps;

import dev.pythread.Audit;

/**
 * A hook that does what hooks should be careful about, on every thread start: it raises another audit event and
 * starts (and joins) a thread of its own. The agent must neither recurse without end nor deadlock.
 */
public final class ReentrantHook implements Audit.AuditHook {

    /** Instantiated by the agent. */
    public ReentrantHook() {
    }

    @Override
    public void onEvent(String event, Object[] args) {
        if (!event.equals("_thread.start_new_thread") || !(args[0] instanceof Thread)) {
            return;
        }
        Thread started = (Thread) args[0];
        Audit.audit("app.nested", started.getName());
        Thread helper = new Thread(() -> Out.line("helper ran for " + started.getName()),
                "from-hook-for-" + started.getName());
        helper.start();
        try {
            helper.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
