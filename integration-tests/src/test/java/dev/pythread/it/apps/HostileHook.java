package dev.pythread.it.apps;

import dev.pythread.Audit;
import dev.pythread.Unraisable;

/**
 * The {@code hook=} class of the hostile-hook tests: an audit hook and an unraisable hook that misbehave on purpose,
 * as the system properties say. {@code -Dhostile.audit=MODE} acts in the audit hook on the start of each thread named
 * {@code work-…} and on the {@code sys.unraisablehook} event of each thread named {@code die-…};
 * {@code -Dhostile.unraisable=MODE} acts in the unraisable hook on each report of a {@code die-…} thread. Other
 * events and threads (the JDK's, the application's starters) are left alone. The modes:
 * <ul>
 *   <li>{@code none} — behave;</li>
 *   <li>{@code throw} — throw an {@code IllegalStateException};</li>
 *   <li>{@code overflow} — recurse without end: a real {@code StackOverflowError};</li>
 *   <li>{@code oom} — allocate more than the heap: a real {@code OutOfMemoryError} (Java heap space);</li>
 *   <li>{@code block} — sleep {@value #BLOCK_MILLIS} ms (bounded);</li>
 *   <li>{@code start} — start a thread {@code helper-for-NAME} and join it;</li>
 *   <li>{@code raise} — raise the audit event {@code app.hostile.raised};</li>
 *   <li>{@code endless} — raise {@code app.hostile.endless}, which this hook handles by raising it again, without
 *       end: the stack overflows somewhere in the hooks and sinks;</li>
 *   <li>{@code recurse} — raise {@code app.hostile.depth}, which this hook handles by raising it again, to a depth
 *       of {@value #DEPTH}; in the unraisable hook, also report an exception from inside the hook.</li>
 * </ul>
 * The unraisable hook prints {@code unraisable NAME: MESSAGE} for each report it handles to the end.
 */
public final class HostileHook implements Audit.AuditHook, Unraisable.UnraisableHook {

    public static final int BLOCK_MILLIS = 200;
    public static final int DEPTH = 20;
    /** The errMsg of the report the unraisable hook makes from inside itself ({@code recurse}). */
    public static final String NESTED_REPORT = "Exception ignored in a report from inside the hook";

    private final String auditMode = System.getProperty("hostile.audit", "none");
    private final String unraisableMode = System.getProperty("hostile.unraisable", "none");

    /** Instantiated by the agent. */
    public HostileHook() {
    }

    @Override
    public void onEvent(String event, Object[] args) {
        if (event.equals("_thread.start_new_thread") && args[0] instanceof Thread
                && ((Thread) args[0]).getName().startsWith("work-")) {
            act(auditMode, ((Thread) args[0]).getName());
        } else if (event.equals("sys.unraisablehook") && dyingThread((Unraisable.UnraisableHookArgs) args[1]) != null) {
            act(auditMode, dyingThread((Unraisable.UnraisableHookArgs) args[1]));
        } else if (event.equals("app.hostile.endless")) {
            Audit.audit("app.hostile.endless", args[0]);
        } else if (event.equals("app.hostile.depth") && (Integer) args[1] < DEPTH) {
            Audit.audit("app.hostile.depth", args[0], (Integer) args[1] + 1);
        }
    }

    @Override
    public void handle(Unraisable.UnraisableHookArgs args) {
        String name = dyingThread(args);
        if (name == null) {
            Unraisable.DEFAULT_HOOK.handle(args);
            return;
        }
        act(unraisableMode, name);
        if (unraisableMode.equals("recurse")) {
            Unraisable.report(new IllegalStateException("nested in " + name), NESTED_REPORT, name);
        }
        Out.line("unraisable " + name + ": " + args.excValue().getMessage());
    }

    private static String dyingThread(Unraisable.UnraisableHookArgs args) {
        return args.object() instanceof Thread && ((Thread) args.object()).getName().startsWith("die-")
                ? ((Thread) args.object()).getName() : null;
    }

    private static void act(String mode, String name) {
        switch (mode) {
            case "none":
                break;
            case "throw":
                throw new IllegalStateException("hostile hook on " + name);
            case "overflow":
                overflow(0);
                break;
            case "oom":
                long[] more = new long[(int) Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory())];
                Out.line("allocated " + more.length); // never: the heap is smaller
                break;
            case "block":
                try {
                    Thread.sleep(BLOCK_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                break;
            case "start": {
                Thread helper = new Thread(() -> Out.line("helper ran for " + name), "helper-for-" + name);
                helper.start();
                try {
                    helper.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                break;
            }
            case "endless":
                Audit.audit("app.hostile.endless", name);
                break;
            case "raise":
                Audit.audit("app.hostile.raised", name);
                break;
            case "recurse":
                Audit.audit("app.hostile.depth", name, 1);
                break;
            default:
                throw new IllegalArgumentException("no hostile mode " + mode);
        }
    }

    private static int overflow(int depth) {
        return overflow(depth + 1) + 1;
    }

    @Override
    public String toString() {
        return "<hostile hook>";
    }
}
