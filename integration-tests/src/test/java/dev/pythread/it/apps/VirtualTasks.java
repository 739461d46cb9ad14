package dev.pythread.it.apps;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * 10 000 tasks on a thread-per-task executor of virtual threads (JDK 21+; {@code Executors.newThreadPerTaskExecutor}
 * with {@code Thread.ofVirtual().factory()}, what {@code newVirtualThreadPerTaskExecutor()} is): 9 990 through
 * {@code execute}, of which every 500th throws (20 uncaught exceptions: the virtual thread dies of it), and 10 through
 * {@code submit} that all throw — failures a {@code Future} captures, which are not uncaught, as in the JDK.
 *
 * <p>It joins every thread before it ends: the executor counts a task done when the task returns or throws, before
 * the dying thread's uncaught exception is printed, so {@code awaitTermination} alone lets {@code main} end — and the
 * JVM exit — while the last report is still being written (seen on JDK 25, with and without the agent).
 */
public final class VirtualTasks {

    private VirtualTasks() {
    }

    public static void main(String[] args) throws Exception {
        Object virtualBuilder = Thread.class.getMethod("ofVirtual").invoke(null);
        ThreadFactory virtual = (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory")
                .invoke(virtualBuilder);
        List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
        ThreadFactory recording = task -> {
            Thread thread = virtual.newThread(task);
            threads.add(thread);
            return thread;
        };
        ExecutorService executor = (ExecutorService) Executors.class
                .getMethod("newThreadPerTaskExecutor", ThreadFactory.class).invoke(null, recording);
        for (int i = 0; i < 9_990; i++) {
            int task = i;
            executor.execute(() -> {
                if (task % 500 == 0) {
                    throw new IllegalStateException("task " + task + " failed");
                }
            });
        }
        List<Future<?>> captured = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int task = i;
            captured.add(executor.submit(() -> {
                throw new IllegalArgumentException("submitted task " + task + " failed");
            }));
        }
        int failedFutures = 0;
        for (Future<?> future : captured) {
            try {
                future.get();
            } catch (ExecutionException expected) {
                failedFutures++;
            }
        }
        executor.shutdown();
        if (!executor.awaitTermination(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("tasks did not finish");
        }
        synchronized (threads) {
            for (Thread thread : threads) {
                thread.join(); // after its uncaught exception, if any, was reported
            }
        }
        Out.line("futures that failed: " + failedFutures);
    }
}
