package dev.pythread.agent;

import java.net.URISyntaxException;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Who started a thread: the nearest frame of the starting thread's stack that is neither JDK code (classes of the
 * bootstrap and platform loaders — the agent's own classes are bootstrap classes too), nor hidden (lambda forms),
 * nor core reflection's, as a {@link Caller}. {@code null} when no such frame exists: the JDK started the thread on
 * its own stack.
 *
 * <p>The stack is walked with {@link StackWalker} (never by filling in a {@code Throwable}), and only as far as the
 * first frame that counts. The code source, costly to compute, is cached per class in a {@link ClassValue}. Within one
 * thread start the frame is found once, whatever the number of sinks ({@link #of}): first thing in
 * {@code Thread.start} when a sink will record it anyway ({@link #beginStart}), else when a sink first asks.
 */
final class CallerFrame {

    /**
     * Reflection's frames are shown rather than skipped by the walker, which on JDK 17 would test every frame's class
     * name for it: the JDK's ({@code Method.invoke}) do not count anyway, and {@link #counts} tells apart the
     * accessors reflection generated, the only ones a loader other than the JDK's defines.
     */
    private static final StackWalker WALKER = StackWalker.getInstance(
            Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_REFLECT_FRAMES));
    private static final Function<Stream<StackWalker.StackFrame>, StackWalker.StackFrame> FIRST_THAT_COUNTS =
            frames -> frames.filter(frame -> counts(frame.getDeclaringClass())).findFirst().orElse(null);
    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();
    /** The interfaces of core reflection's accessors (as the JDK's walker tells them), or {@code null} if gone. */
    private static final Class<?> METHOD_ACCESSOR = jdkClass("jdk.internal.reflect.MethodAccessor");
    private static final Class<?> CONSTRUCTOR_ACCESSOR = jdkClass("jdk.internal.reflect.ConstructorAccessor");
    private static final Object NOT_FOUND_YET = new Object();
    /** Found: no frame counts, the JDK started the thread on its own. */
    private static final Object STARTED_BY_JDK = new Object();

    private static final ClassValue<String> SOURCE = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return computeSource(type);
        }
    };

    private CallerFrame() {
    }

    private static Class<?> jdkClass(String name) {
        try {
            return Class.forName(name, false, null);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /**
     * Begins the audit of a thread start in this thread ({@link StartInProgress#begin}): its caller is looked for at
     * most once till the start ends.
     *
     * @param findNow find it now rather than when a sink first asks. Called from {@code Thread.start}, the walk
     *                then crosses three frames (this one, the agent's dispatcher and {@code Thread.start}), not also
     *                the five of the audit hooks and the sink: the VM fills in every frame a walk crosses, a method
     *                resolved for each, in batches (the first of seven), and that is most of a walk's cost. So the
     *                walk is made here, not in a helper: one frame less. Only worth it when a sink will ask.
     */
    static void beginStart(StartInProgress start, boolean findNow) {
        start.begin(findNow ? found(describeOrNull(WALKER.walk(FIRST_THAT_COUNTS))) : NOT_FOUND_YET);
    }

    private static Object found(Caller frame) {
        return frame == null ? STARTED_BY_JDK : frame;
    }

    private static Caller describeOrNull(StackWalker.StackFrame frame) {
        return frame == null ? null : describe(frame);
    }

    /** The caller of the thread start being audited in this thread, or {@code null} for a start the JDK made. */
    static Caller ofCurrentStart() {
        return of(StartInProgress.ofThisThread());
    }

    /** The caller of {@code start}, found now if nobody asked before; {@code null} for a start the JDK made. */
    static Caller of(StartInProgress start) {
        Object known = start.caller;
        if (known == STARTED_BY_JDK) {
            return null;
        }
        if (known instanceof Caller) {
            return (Caller) known;
        }
        Caller frame = describeOrNull(findFrame());
        if (known == NOT_FOUND_YET) {
            start.caller = found(frame);
        }
        return frame;
    }

    /**
     * Whether the caller of {@code start} was looked for already (a line sink asked), so that {@link #of} answers
     * without a walk: {@link LiveThreads} then takes that answer rather than walk a second time.
     */
    static boolean foundFor(StartInProgress start) {
        Object known = start.caller;
        return known == STARTED_BY_JDK || known instanceof Caller;
    }

    /**
     * The nearest frame that counts, undescribed: finding it is a walk of a few frames, describing it (the method's
     * name, its file and line, its jar) costs as much again, and {@link LiveThreads} describes only the frames a
     * reader asks for.
     *
     * @return the frame, or {@code null} when the JDK started the thread on its own
     */
    static StackWalker.StackFrame findFrame() {
        return WALKER.walk(FIRST_THAT_COUNTS);
    }

    /**
     * Whether a frame of {@code type} counts as a caller: not the JDK's (its bootstrap and platform loaders'), and not
     * an accessor that core reflection generated for the application (JDK 17's {@code GeneratedMethodAccessorN},
     * which a loader of its own defines). The accessor test comes second: it runs only for the one frame that is
     * about to count.
     */
    static boolean counts(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader != null && loader != PLATFORM && !isReflectionAccessor(type);
    }

    private static boolean isReflectionAccessor(Class<?> type) {
        return METHOD_ACCESSOR != null && METHOD_ACCESSOR.isAssignableFrom(type)
                || CONSTRUCTOR_ACCESSOR != null && CONSTRUCTOR_ACCESSOR.isAssignableFrom(type);
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
