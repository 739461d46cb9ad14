package dev.pythread.agent;

import java.net.URISyntaxException;
import java.nio.file.Paths;
import java.security.CodeSource;

/**
 * Who started a thread: the nearest frame of the starting thread's stack that is neither JDK code (classes of the
 * bootstrap and platform loaders — the agent's own classes are bootstrap classes too) nor hidden (reflection,
 * lambda forms), as a {@link Caller}. {@code null} when no such frame exists: the JDK started the thread on its own
 * stack.
 *
 * <p>The stack is walked with {@link StackWalker} (never by filling in a {@code Throwable}), and only as far as the
 * first frame that counts. The code source, costly to compute, is cached per class in a {@link ClassValue}. Within one
 * thread start the frame is found once, whatever the number of sinks ({@link #ofCurrentStart()}): first thing in
 * {@code Thread.start} when a sink will record it anyway ({@link #beginStart}), else when a sink first asks.
 */
final class CallerFrame {

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();
    private static final Object NOT_FOUND_YET = new Object();
    /** Found: no frame counts, the JDK started the thread on its own. */
    private static final Object STARTED_BY_JDK = new Object();

    /**
     * The caller of the start this thread is raising now — a {@link Caller}, {@link #STARTED_BY_JDK} or
     * {@link #NOT_FOUND_YET} — between {@link #beginStart} and {@link #endStart}; see {@link ThreadDispatch#onStart}.
     */
    private static final ThreadLocal<Object> CURRENT_START = new ThreadLocal<>();

    private static final ClassValue<String> SOURCE = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return computeSource(type);
        }
    };

    private CallerFrame() {
    }

    /**
     * Marks the start of a thread start's audit, in this thread: the caller is looked for at most once till
     * {@link #endStart}.
     *
     * @param findNow find it now rather than when a sink first asks. Called from {@code Thread.start}, the walk
     *                then crosses the agent's three frames and {@code Thread.start}'s, not also the five of the
     *                audit hooks and the sink: the VM fills in every frame a walk crosses, in batches (the first of
     *                seven), and that is most of a walk's cost. Only worth it when a sink will ask.
     */
    static void beginStart(boolean findNow) {
        CURRENT_START.set(findNow ? found(find()) : NOT_FOUND_YET);
    }

    private static Object found(Caller frame) {
        return frame == null ? STARTED_BY_JDK : frame;
    }

    static void endStart() {
        CURRENT_START.remove();
    }

    /** The caller of the thread start being audited in this thread, or {@code null} for a start the JDK made. */
    static Caller ofCurrentStart() {
        Object known = CURRENT_START.get();
        if (known == STARTED_BY_JDK) {
            return null;
        }
        if (known instanceof Caller) {
            return (Caller) known;
        }
        Caller frame = find();
        if (known == NOT_FOUND_YET) {
            CURRENT_START.set(found(frame));
        }
        return frame;
    }

    /**
     * Whether the caller of the start being audited in this thread was looked for already (a line sink asked), so
     * that {@link #ofCurrentStart()} answers without a walk: {@link LiveThreads} then takes that answer rather than
     * walk a second time.
     */
    static boolean foundForCurrentStart() {
        Object known = CURRENT_START.get();
        return known == STARTED_BY_JDK || known instanceof Caller;
    }

    private static Caller find() {
        StackWalker.StackFrame frame = findFrame();
        return frame == null ? null : describe(frame);
    }

    /**
     * The nearest frame that counts, undescribed: finding it is a walk of a few frames, describing it (the method's
     * name, its file and line, its jar) costs as much again, and {@link LiveThreads} describes only the frames a
     * reader asks for.
     *
     * @return the frame, or {@code null} when the JDK started the thread on its own
     */
    static StackWalker.StackFrame findFrame() {
        return WALKER.walk(frames -> frames
                .filter(frame -> !isJdk(frame.getDeclaringClass()))
                .findFirst()
                .orElse(null));
    }

    static boolean isJdk(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader == null || loader == PLATFORM;
    }

    /**
     * The frame's method, file and line from its one {@link StackTraceElement}: the element is what
     * {@code getFileName()} and {@code getLineNumber()} build anyway, and on JDK 17 {@code getMethodName()} would ask
     * the VM a second time.
     */
    static Caller describe(StackWalker.StackFrame frame) {
        StackTraceElement element = frame.toStackTraceElement();
        return new Caller(frame.getClassName(), element.getMethodName(), element.getFileName(),
                element.getLineNumber(), sourceOf(frame.getDeclaringClass()));
    }

    /** The class's code source (cached per class): a jar or folder path, {@code jrt:/MODULE}, or {@code null}. */
    static String sourceOf(Class<?> type) {
        return SOURCE.get(type);
    }

    private static String computeSource(Class<?> type) {
        Module module = type.getModule();
        CodeSource codeSource = type.getProtectionDomain().getCodeSource();
        if (codeSource == null || codeSource.getLocation() == null) {
            return module.isNamed() ? "jrt:/" + module.getName() : null;
        }
        try {
            return Paths.get(codeSource.getLocation().toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return codeSource.getLocation().toString();
        }
    }
}
