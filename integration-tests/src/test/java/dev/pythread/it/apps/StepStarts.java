package dev.pythread.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Starts threads when told to, so that a test can change the world between steps: each line {@code start N} on
 * stdin starts and joins N threads {@code s-1}, {@code s-2}, … (numbered across steps), prints {@code refused NAME:
 * MESSAGE} for each start that throws, then {@code started N refused M}. At the end of stdin it prints {@code done}.
 */
public final class StepStarts {

    private StepStarts() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int next = 1;
        for (String command = commands.readLine(); command != null; command = commands.readLine()) {
            int count = Integer.parseInt(command.substring("start ".length()));
            int started = 0;
            for (int i = 0; i < count; i++) {
                Thread thread = new Thread(() -> { }, "s-" + next++);
                try {
                    thread.start();
                } catch (RuntimeException refused) {
                    Out.line("refused " + thread.getName() + ": " + refused.getMessage());
                    continue;
                }
                thread.join();
                started++;
            }
            Out.line("started " + started + " refused " + (count - started));
        }
        Out.line("done");
    }
}
