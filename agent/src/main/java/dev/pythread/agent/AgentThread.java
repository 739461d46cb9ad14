package dev.pythread.agent;

/**
 * A thread of the agent's own (e.g. the logger sink's shutdown flush). {@link ThreadDispatch} never audits these:
 * the agent does not record its own work.
 */
final class AgentThread extends Thread {

    AgentThread(Runnable body, String name) {
        super(null, body, "pythread-agent " + name, 0, false);
        setDaemon(true);
    }
}
