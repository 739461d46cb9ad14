package dev.pythread;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A thread whose {@code equals(itself)}, once armed, signals {@link #leaving} and then blocks until
 * {@code proceed} opens (bounded). A {@code ConcurrentLinkedQueue} calls it in {@code remove(thread)} before it
 * unlinks the thread, so a waiter on this thread stays visible at the head of {@link Lock}'s queue while it
 * leaves: a test can force the race of a release against a timed-out waiter leaving the queue.
 */
final class SlowToLeaveThread extends Thread {

    /** Opens when this thread's {@code equals(itself)} is first called from this thread. */
    final CountDownLatch leaving = new CountDownLatch(1);
    private final CountDownLatch proceed;

    SlowToLeaveThread(Runnable task, CountDownLatch proceed) {
        super(task);
        this.proceed = proceed;
    }

    @Override
    public boolean equals(Object other) {
        if (other == this && Thread.currentThread() == this && leaving.getCount() > 0) {
            leaving.countDown();
            try {
                proceed.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupt();
            }
        }
        return super.equals(other);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
