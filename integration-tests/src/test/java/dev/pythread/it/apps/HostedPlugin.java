package dev.pythread.it.apps;

/** What a host knows of a plugin it loaded: one action at a time, named by the test. */
public interface HostedPlugin {

    /** Performs one action that needs a thread; a {@code SecurityException} means the thread policy denied it. */
    void act(String action) throws Exception;

    /**
     * Something of the plugin's that the host then uses on its own stack — a task, a thread factory, a thread —
     * named by the test; see {@code PluginHost}'s {@code host-} actions.
     */
    Object provide(String what) throws Exception;
}
