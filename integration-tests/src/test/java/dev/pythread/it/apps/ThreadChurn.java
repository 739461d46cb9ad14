package dev.pythread.it.apps;

import java.util.concurrent.CountDownLatch;

/**
 * Starts and joins STARTS short-lived threads, then, a second later, keeps two platform threads
 * ({@code kept-platform-N}) and, on JDK 21+, three virtual threads ({@code kept-virtual-N}) alive, prints
 * {@code ready PID} and waits to be killed: the JVM whose thread inventory must hold the live threads only. The
 * second apart is what the agent's walk budget needs to attribute starts again after a burst of thousands.
 */
public final class ThreadChurn {

    private static final CountDownLatch NEVER = new CountDownLatch(1);

    private ThreadChurn() {
    }

    /** @param args STARTS */
    public static void main(String[] args) throws Exception {
        int starts = Integer.parseInt(args[0]);
        for (int i = 0; i < starts; i++) {
            Thread thread = new Thread(() -> { }, "short-" + i);
            thread.start();
            thread.join();
        }
        Thread.sleep(1_000);
        for (int i = 0; i < 2; i++) {
            startKeptPlatform(i);
        }
        if (Runtime.version().feature() >= 21) {
            for (int i = 0; i < 3; i++) {
                startKeptVirtual(i);
            }
        }
        Out.line("ready " + ProcessHandle.current().pid());
        NEVER.await();
    }

    private static void startKeptPlatform(int i) {
        Thread thread = new Thread(ThreadChurn::waitForever, "kept-platform-" + i);
        thread.setDaemon(true);
        thread.start();
    }

    /** {@code Thread.ofVirtual().name(NAME).start(task)}, by reflection: this class compiles for JDK 17. */
    private static void startKeptVirtual(int i) throws ReflectiveOperationException {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Class<?> builderType = Class.forName("java.lang.Thread$Builder");
        builder = builderType.getMethod("name", String.class).invoke(builder, "kept-virtual-" + i);
        builderType.getMethod("start", Runnable.class).invoke(builder, (Runnable) ThreadChurn::waitForever);
    }

    private static void waitForever() {
        try {
            NEVER.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
