package dev.pythread.it.apps;

import dev.pythread.Audit;
import dev.pythread.Unraisable;
import java.util.Arrays;

/**
 * The {@code hook=} class of the agent tests: prints each audit event and unraisable report on stdout, one line
 * each, so a test can read what happened and in which order; vetoes the start of threads named {@code veto-…}.
 */
public final class RecordingHook implements Audit.AuditHook, Unraisable.UnraisableHook {

    /** Instantiated by the agent. */
    public RecordingHook() {
    }

    @Override
    public void onEvent(String event, Object[] args) {
        if (event.equals("_thread.start_new_thread")) {
            if (args[0] instanceof Thread) {
                Thread thread = (Thread) args[0];
                println("start " + Out.label(thread) + " " + thread.getState() + " args=" + ((Object[]) args[1]).length
                        + " kwargs=" + args[2] + " by " + Thread.currentThread().getName());
                if (thread.getName().startsWith("veto-")) {
                    throw new IllegalStateException("no threads named " + thread.getName());
                }
            } else {
                println("start-function " + args[0] + " args=" + Arrays.deepToString((Object[]) args[1])
                        + " kwargs=" + args[2]);
            }
        } else if (event.startsWith("app.")) {
            println("event " + event + " " + Arrays.deepToString(args));
        }
    }

    @Override
    public void handle(Unraisable.UnraisableHookArgs args) {
        Object object = args.object() instanceof Thread ? ((Thread) args.object()).getName() : args.object();
        println("unraisable " + args.errMsg() + " | " + object + " | " + args.excType().getName() + ": "
                + args.excValue().getMessage() + " | in " + Thread.currentThread().getName());
    }

    static void println(String line) {
        Out.line(line);
    }
}
