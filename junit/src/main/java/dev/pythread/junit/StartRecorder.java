package dev.pythread.junit;

import dev.pythread.Audit;

/**
 * The audit hook that tells each {@link LeakScope} which threads it started, and from where: under pythread-agent
 * every thread start, platform or virtual, raises {@code _thread.start_new_thread} with the thread as first argument,
 * in the starting thread, before the thread runs. Threads the JDK starts for itself (see {@link StartFrame}) are not
 * recorded.
 *
 * <p>Installed once per JVM, when leak detection first becomes active; audit hooks cannot be removed, so it stays
 * for the life of the JVM and sees every start of every thread. Hence it does next to nothing when no scope is open,
 * and never throws: an exception here would veto the start of someone else's thread. Whatever fails is contained,
 * and the thread is then judged as if it had no record.
 *
 * <p>Without the agent the JDK raises no such event; {@code PyThread.startNewThread} raises it before the thread
 * exists, with the function as first argument, so its threads are judged by appearance too.
 */
final class StartRecorder implements Audit.AuditHook {

    static final String START_EVENT = "_thread.start_new_thread";

    private static boolean installed; // guarded by StartRecorder.class

    private final LeakScopes scopes;

    StartRecorder(LeakScopes scopes) {
        this.scopes = scopes;
    }

    /**
     * Adds the hook, the first time only. If another hook refuses it (a veto returns {@code false}, anything else
     * throws), the threads are judged by appearance, as without the agent: another hook's policy is no reason to fail
     * a test.
     */
    static synchronized void install() {
        if (!installed) {
            installed = true;
            try {
                Audit.addHook(new StartRecorder(LeakScopes.INSTANCE));
            } catch (RuntimeException refused) {
                // see above
            }
        }
    }

    @Override
    public void onEvent(String event, Object[] args) {
        if (!START_EVENT.equals(event) || args == null || args.length == 0 || !(args[0] instanceof Thread)
                || !scopes.anyOpen()) {
            return;
        }
        try {
            record((Thread) args[0]);
        } catch (Throwable contained) { // see the class comment
        }
    }

    private void record(Thread thread) {
        // Judging by appearance sees platform threads only: the set would only grow with virtual ones.
        if (!LiveThreads.isVirtual(thread)) {
            scopes.started(thread);
        }
        LeakScope owner = scopes.owner();
        if (owner == null) {
            return; // started by a thread created outside any test: not a leak
        }
        StartFrame frame = StartFrame.ofCurrentStart();
        if (frame == null) {
            return; // the JDK started it for itself
        }
        StartRecord record = new StartRecord(thread, owner.creator, frame);
        // A thread its test left behind may start more after the test ended: the class holds them.
        for (LeakScope scope = owner; scope != null; scope = scope.parent) {
            if (scope.record(record)) {
                return;
            }
        }
    }
}
