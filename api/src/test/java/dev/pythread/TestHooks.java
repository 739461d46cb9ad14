package dev.pythread;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Test support shared by {@link PyThreadTest}, {@link AuditTest} and {@link UnraisableTest}.
 *
 * <p>Audit hooks can never be removed and every test class runs in the same JVM, so each hook a test adds must
 * be inert outside that test. Two tools make sure of it:
 * <ul>
 *   <li>one recording hook, installed once for the whole JVM, that does nothing unless a test has attached a
 *       {@link Recorder} (detached in {@code close()}, so use try-with-resources);</li>
 *   <li>{@link #addGatedHook}: a hook that runs its body only in the thread that opened its {@link Gate}, and
 *       only while the gate is open.</li>
 * </ul>
 */
final class TestHooks {

    /** One audit event as a hook saw it. */
    record Event(String name, Object[] args, Thread thread) {
    }

    /** The recorder currently attached to the permanent hook, or {@code null}. */
    private static final AtomicReference<Recorder> CURRENT = new AtomicReference<>();

    private static volatile boolean installed;

    private TestHooks() {
    }

    /**
     * Installs the permanent recording hook, once. Call it from {@code @BeforeAll}, before any test opens a gate
     * whose hook could veto {@code sys.addaudithook}.
     */
    static synchronized void install() {
        if (!installed) {
            if (!Audit.addHook(TestHooks::onEvent)) {
                throw new IllegalStateException("the recording audit hook was vetoed");
            }
            installed = true;
        }
    }

    private static void onEvent(String event, Object[] args) {
        Recorder recorder = CURRENT.get();
        if (recorder != null && recorder.names.contains(event)) {
            recorder.events.add(new Event(event, args, Thread.currentThread()));
            Recorder.Action action = recorder.action;
            if (action != null) {
                action.onEvent(event, args);
            }
        }
    }

    /**
     * Attaches a recorder for the given event names to the permanent hook.
     *
     * @param names the events to record; others are ignored
     * @return the recorder; close it to detach it
     */
    static Recorder record(String... names) {
        install();
        Recorder recorder = new Recorder(new HashSet<>(Arrays.asList(names)));
        if (!CURRENT.compareAndSet(null, recorder)) {
            throw new IllegalStateException("a recorder is already attached");
        }
        return recorder;
    }

    /** Records audit events while attached; see {@link #record}. */
    static final class Recorder implements AutoCloseable {

        /** What the recorder does after recording an event, e.g. veto it by throwing. */
        @FunctionalInterface
        interface Action {
            void onEvent(String event, Object[] args);
        }

        private final Set<String> names;
        private final List<Event> events = new CopyOnWriteArrayList<>();
        private volatile Action action;

        private Recorder(Set<String> names) {
            this.names = names;
        }

        /**
         * Sets what to do after each recorded event; it may throw to veto the audited operation.
         *
         * @param newAction the action, or {@code null} for none
         * @return this recorder
         */
        Recorder then(Action newAction) {
            this.action = newAction;
            return this;
        }

        /** Every recorded event so far. */
        List<Event> events() {
            return new ArrayList<>(events);
        }

        /** The recorded events named {@code name} whose args satisfy {@code filter}. */
        List<Event> events(String name, Predicate<Object[]> filter) {
            List<Event> matching = new ArrayList<>();
            for (Event e : events) {
                if (e.name().equals(name) && filter.test(e.args())) {
                    matching.add(e);
                }
            }
            return matching;
        }

        @Override
        public void close() {
            action = null;
            CURRENT.compareAndSet(this, null);
        }
    }

    /** Opens a gated hook for the thread that calls {@link #open()}, until {@link #close()}. */
    static final class Gate implements AutoCloseable {
        private final AtomicReference<Thread> owner = new AtomicReference<>();

        Gate open() {
            owner.set(Thread.currentThread());
            return this;
        }

        boolean isOpenHere() {
            return owner.get() == Thread.currentThread();
        }

        @Override
        public void close() {
            owner.set(null);
        }
    }

    /**
     * Adds a permanent audit hook that calls {@code body} only while {@code gate} is open, and only in the
     * thread that opened it.
     *
     * @return what {@link Audit#addHook} returned
     */
    static boolean addGatedHook(Gate gate, Audit.AuditHook body) {
        return Audit.addHook((event, args) -> {
            if (gate.isOpenHere()) {
                body.onEvent(event, args);
            }
        });
    }

    /** Code run with a captured stream. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body} with {@link System#err} sent to a buffer, and restores it.
     *
     * @return what was written to {@code System.err} meanwhile
     */
    static String captureErr(Body body) throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        System.setErr(capture);
        try {
            body.run();
        } finally {
            System.setErr(saved);
            capture.flush();
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /**
     * Runs {@code body} with {@link System#out} and {@link System#err} sent to one buffer, and restores them.
     *
     * @return what was written to either stream meanwhile
     */
    static String captureOutAndErr(Body body) throws Exception {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            body.run();
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
            capture.flush();
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /** What {@code exc.printStackTrace()} prints. */
    static String stackTraceText(Throwable exc) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        exc.printStackTrace(out);
        out.flush();
        return text.toString();
    }

    /** How many times {@code part} occurs in {@code text}, without overlaps. */
    static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }
}
