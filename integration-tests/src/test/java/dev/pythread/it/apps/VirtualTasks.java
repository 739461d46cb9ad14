package dev.pythread.it.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * 10 000 tasks on {@code Executors.newVirtualThreadPerTaskExecutor()} (JDK 21+): 9 990 through {@code execute}, of
 * which every 500th throws (20 uncaught exceptions: the virtual thread dies of it), and 10 through {@code submit} that
 * all throw — failures a {@code Future} captures, which are not uncaught, as in the JDK.
 */
public final class VirtualTasks {

    private VirtualTasks() {
    }

    public static void main(String[] args) throws Exception {
        ExecutorService executor = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                .invoke(null);
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
        Out.line("futures that failed: " + failedFutures);
    }
}
