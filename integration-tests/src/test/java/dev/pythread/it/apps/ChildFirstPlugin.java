package dev.pythread.it.apps;

import dev.pythread.Audit;
import dev.pythread.PyThread;
import java.util.concurrent.CountDownLatch;

/** Plugin code that uses the API from inside a child-first loader that has its own copy of it. */
public final class ChildFirstPlugin implements Runnable {

    /** Instantiated by {@link ChildFirstApp}. */
    public ChildFirstPlugin() {
    }

    @Override
    public void run() {
        Out.line("plugin's Audit is the bootstrap copy: " + (Audit.class.getClassLoader() == null));
        Audit.audit("app.plugin", "hello from the plugin");
        CountDownLatch ran = new CountDownLatch(1);
        PyThread.startNewThread(ran::countDown);
        try {
            ran.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Out.line("plugin done");
    }
}
