package dev.pythread.it.apps;

/** Starts threads {@code k-0}, {@code k-1}, … until killed, printing each name once {@code start()} has returned. */
public final class StartUntilKilled {

    private StartUntilKilled() {
    }

    public static void main(String[] args) throws InterruptedException {
        for (long n = 0; ; n++) {
            Thread thread = new Thread(() -> { }, "k-" + n);
            thread.start();
            Out.line("started k-" + n);
            thread.join();
        }
    }
}
