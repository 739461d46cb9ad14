package dev.pythread.it.apps;

/** What a host knows of a plugin it loaded: one action at a time, named by the test. */
public interface HostedPlugin {

    /** Performs one action that needs a thread; a {@code SecurityException} means the thread policy denied it. */
    void act(String action) throws Exception;
}
