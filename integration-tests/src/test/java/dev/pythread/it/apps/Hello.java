package dev.pythread.it.apps;

/** A hello-world that starts and joins one thread: the start-up and do-no-harm baseline. */
public final class Hello {

    private Hello() {
    }

    public static void main(String[] args) throws InterruptedException {
        Thread thread = new Thread(() -> System.out.println("hello from " + Thread.currentThread().getName()));
        thread.start();
        thread.join();
    }
}
