package dev.pythread.it.apps;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * For the attach test: prints its pid, waits until the file named by its argument exists (the agent has been
 * attached by then), starts one thread and ends.
 */
public final class WaitThenStart {

    private WaitThenStart() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("ready " + ProcessHandle.current().pid());
        System.out.flush();
        Path go = Path.of(args[0]);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(go)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("never told to go");
            }
            Thread.sleep(10);
        }
        Thread thread = new Thread(() -> System.out.println("ran"), "after-attach");
        thread.start();
        thread.join();
    }
}
