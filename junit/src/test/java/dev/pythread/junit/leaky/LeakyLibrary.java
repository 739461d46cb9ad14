package dev.pythread.junit.leaky;

/**
 * Stands for a library that starts threads of its own, for the ignore rules of {@code ThreadLeakExtensionTest}: a
 * package and a class other than the test's, and a {@code Thread} subclass.
 */
public final class LeakyLibrary {

    private LeakyLibrary() {
    }

    /** Starts a plain {@code Thread}: only its starting frame (under the agent) says it is this library's. */
    public static Thread startPlain(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.start();
        return thread;
    }

    /** Starts a {@link Worker}: its class says it is this library's, with or without the agent. */
    public static Thread startOwn(String name, Runnable body) {
        Thread thread = new Worker(body, name);
        thread.start();
        return thread;
    }

    /** The library's own thread class. */
    public static final class Worker extends Thread {
        Worker(Runnable body, String name) {
            super(body, name);
        }
    }
}
