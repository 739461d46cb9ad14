package dev.pythread.it.apps;

import java.util.ArrayList;
import java.util.List;

/** WORKERS threads each start and join PER_WORKER threads named {@code wI-J}, all at once. */
public final class ManyStarts {

    private ManyStarts() {
    }

    /** @param args WORKERS PER_WORKER */
    public static void main(String[] args) throws InterruptedException {
        int workers = Integer.parseInt(args[0]);
        int perWorker = Integer.parseInt(args[1]);
        List<Thread> starters = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            Thread starter = new Thread(() -> {
                for (int j = 0; j < perWorker; j++) {
                    Thread thread = new Thread(() -> { }, "w" + worker + "-" + j);
                    thread.start();
                    try {
                        thread.join();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, "starter-" + w);
            starter.start();
            starters.add(starter);
        }
        for (Thread starter : starters) {
            starter.join();
        }
        Out.line("done");
    }
}
