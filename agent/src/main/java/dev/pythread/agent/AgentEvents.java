package dev.pythread.agent;

import dev.pythread.Audit;
import java.util.Locale;

/**
 * The names of the audit events and log records the agent writes, one home for each (docs/api.md lists them), and
 * the one way a thread-policy denial is raised. The API raises {@code _thread.start_new_thread} for
 * {@code PyThread.startNewThread} itself, with Python's arguments.
 */
final class AgentEvents {

    /** A thread start: {@code (thread, (), None)}. */
    static final String START = "_thread.start_new_thread";
    /** An uncaught exception, before the unraisable hook: {@code (hook, unraisableHookArgs)}. */
    static final String UNRAISABLE = "sys.unraisablehook";
    /** A start, shutdown hook or agent load the thread policy denies: {@code (subject, mode, rule, frame)}. */
    static final String POLICY_DENY = "pythread.policy.deny";
    /** Reflection on the agent refused: {@code (member, callerClassName)}. */
    static final String REFLECT_DENY = "pythread.reflect.deny";
    /** A text sink's first record of each process (not an audit event). */
    static final String LOG_START = "pythread.log.start";
    /** A text sink's count of records it could not write (not an audit event). */
    static final String LOG_DROPPED = "pythread.log.dropped";

    private AgentEvents() {
    }

    /** Raises {@link #POLICY_DENY} with {@code (subject, mode, rule, frame)}, {@code mode} as the policy file says. */
    static void raisePolicyDeny(ThreadPolicy policy, Object subject, String rule, String frame) {
        Audit.audit(POLICY_DENY, subject, policy.mode().name().toLowerCase(Locale.ROOT), rule, frame);
    }
}
