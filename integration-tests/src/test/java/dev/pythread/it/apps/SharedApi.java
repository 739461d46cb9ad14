package dev.pythread.it.apps;

import dev.pythread.Audit;
import dev.pythread.Lock;
import dev.pythread.PyThread;

/** Application code that uses {@code dev.pythread} itself, to show it shares the agent's copy of the API. */
public final class SharedApi {

    private SharedApi() {
    }

    public static void main(String[] args) {
        System.out.println("Audit loaded by " + Audit.class.getClassLoader());
        Audit.audit("app.event", "from the application");
        Lock lock = PyThread.allocateLock();
        try (var held = lock.enter()) {
            System.out.println("lock " + (lock.locked() ? "works" : "is broken"));
        }
    }
}
