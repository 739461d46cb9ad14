package dev.pythread.it.apps;

import dev.pythread.Audit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Raises what the sink tests look for: a started thread, a thread dying of an exception, and threads with hard
 * names that raise an event of their own. Modes (arguments, in order): {@code start NAME}, {@code die NAME},
 * {@code named}, {@code jul} (install a java.util.logging handler on dev.pythread.audit that prints each record),
 * {@code guarded} (start a thread and print whether start() was denied), {@code interrupted NAME} (start a thread
 * while this thread's interrupt status is set), {@code virtual NAME} (start a virtual thread; JDK 21+).
 */
public final class SinkEvents {

    /** Hard thread names: quotes, backslash, control characters, an emoji (non-BMP), a lone surrogate. */
    public static final String[] HARD_NAMES = {
        "quote\"d", "back\\slash", "new\nline", "tab\tand\u0001ctl\u001f", "emoji \uD83D\uDE00 ok", "lone\uD800x",
        "del\u007f", "caf\u00e9 \u4e2d"};

    /** Held strongly: java.util.logging keeps loggers only weakly. */
    private static Logger auditLogger;

    private SinkEvents() {
    }

    public static void main(String[] args) throws InterruptedException {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "start":
                    join(new Thread(() -> { }, args[++i]));
                    break;
                case "virtual":
                    startVirtual(args[++i]);
                    break;
                case "die": {
                    String message = args[i + 1] + " boom";
                    join(new Thread(() -> {
                        throw new IllegalStateException(message);
                    }, args[++i]));
                    break;
                }
                case "named":
                    for (String name : HARD_NAMES) {
                        join(new Thread(() -> Audit.audit("app.named", "raised by a thread with a hard name"), name));
                    }
                    break;
                case "jul":
                    installJulHandler();
                    break;
                case "interrupted": {
                    // A thread whose interrupt status is set starts a thread: the record is written all the same,
                    // the status is kept for the application, and the sink still works for the next record.
                    Thread thread = new Thread(() -> { }, args[++i]);
                    Thread.currentThread().interrupt();
                    thread.start();
                    Out.line("interrupt status kept: " + Thread.interrupted());
                    thread.join();
                    break;
                }
                case "guarded": {
                    Thread thread = new Thread(() -> Out.line("ran guarded-1"), "guarded-1");
                    try {
                        thread.start();
                        thread.join();
                    } catch (IllegalStateException e) {
                        Out.line("denied: " + e.getMessage());
                    }
                    break;
                }
                default:
                    throw new IllegalArgumentException(args[i]);
            }
        }
        Out.line("done");
    }

    private static void installJulHandler() {
        auditLogger = Logger.getLogger("dev.pythread.audit");
        auditLogger.setUseParentHandlers(false);
        auditLogger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                Out.line("log " + record.getLevel() + " " + record.getMessage() + " thrown="
                        + (record.getThrown() == null ? null : record.getThrown().getClass().getName()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        auditLogger.setLevel(Level.ALL);
    }

    private static void startVirtual(String name) throws InterruptedException {
        try {
            StartPaths.startNamedVirtual(name, () -> { }).join();
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("virtual threads are JDK 21+", e);
        }
    }

    private static void join(Thread thread) throws InterruptedException {
        thread.start();
        thread.join();
    }
}
