package dev.pythread.junit;

import java.net.URISyntaxException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.Set;

/**
 * The code that started a thread: the frame of the starting thread's stack that asked for it, as a leak report names
 * it ({@code com.example.Pool.start(Pool.java:42) in /path/to/pool.jar}) and as ignore rules match it.
 *
 * @param className  the frame's class, binary name
 * @param methodName the frame's method
 * @param fileName   its source file, or {@code null} if unknown
 * @param line       its line, or a negative number if unknown
 * @param source     the class's code source: the jar or folder it was loaded from, or {@code null} if none
 */
record StartFrame(String className, String methodName, String fileName, int line, String source) {

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /**
     * Packages of the JDK through which any code starts threads: {@code Thread} and its builders, executors,
     * {@code Timer}, thread containers (JDK 21+), and reflection. A frame there did not ask for the thread, it passed
     * the request on: the walk goes on to its caller.
     */
    private static final Set<String> PASS_THROUGH = Set.of("java.lang", "java.lang.reflect", "java.lang.invoke",
            "java.util", "java.util.concurrent", "jdk.internal.reflect", "jdk.internal.vm");

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    /** What a frame's class is to the walk; computed once per class. */
    private enum Kind {
        /** The audit hook's own frames, pythread's API and agent: in between, never the starter. */
        PYTHREAD,
        /** JDK code that passes a request for a thread on ({@link #PASS_THROUGH}). */
        PASS_THROUGH,
        /** Any other JDK code: if it asked for the thread, the JDK started it on its own behalf. */
        JDK,
        /** Everything else: the application, its libraries, its tests, JUnit. */
        CODE
    }

    private static final ClassValue<Kind> KIND = new ClassValue<>() {
        @Override
        protected Kind computeValue(Class<?> type) {
            return kindOf(type);
        }
    };

    private static final ClassValue<String> SOURCE = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return sourceOf(type);
        }
    };

    /**
     * The code that asked for the thread the current thread is starting: the nearest frame of its stack that is
     * not pythread's (this hook, the API, the agent) and not JDK code passing the request on. {@code null} if that
     * frame is JDK code of another kind, or if there is none: the JDK started the thread for itself (a poller, a
     * reaper), even if application code is further down the stack. The walk stops at that frame.
     */
    static StartFrame ofCurrentStart() {
        return WALKER.walk(frames -> frames
                .filter(frame -> {
                    Kind kind = KIND.get(frame.getDeclaringClass());
                    return kind == Kind.JDK || kind == Kind.CODE;
                })
                .findFirst()
                .filter(frame -> KIND.get(frame.getDeclaringClass()) == Kind.CODE)
                .map(StartFrame::of)
                .orElse(null));
    }

    private static StartFrame of(StackWalker.StackFrame frame) {
        StackTraceElement element = frame.toStackTraceElement();
        return new StartFrame(frame.getClassName(), element.getMethodName(), element.getFileName(),
                element.getLineNumber(), SOURCE.get(frame.getDeclaringClass()));
    }

    private static Kind kindOf(Class<?> type) {
        String pkg = type.getPackageName();
        // Only these two classes of this jar are on the stack of a start (the samples of its tests share the
        // package). Under the agent the API and the agent live in the bootstrap loader, as if they were JDK code.
        if (type == StartFrame.class || type == StartRecorder.class || pkg.equals("dev.pythread")
                || pkg.startsWith("dev.pythread.agent")) {
            return Kind.PYTHREAD;
        }
        ClassLoader loader = type.getClassLoader();
        if (loader == null || loader == PLATFORM) {
            return PASS_THROUGH.contains(pkg) ? Kind.PASS_THROUGH : Kind.JDK;
        }
        return Kind.CODE;
    }

    /** The class's code source as a path: a jar or a folder; {@code null} for none (JDK code, generated classes). */
    private static String sourceOf(Class<?> type) {
        CodeSource codeSource = type.getProtectionDomain().getCodeSource();
        if (codeSource == null || codeSource.getLocation() == null) {
            return null;
        }
        try {
            return Paths.get(codeSource.getLocation().toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException | FileSystemNotFoundException notAFile) {
            return codeSource.getLocation().toString();
        }
    }

    /** The last element of {@link #source}'s path: what {@code jar:GLOB} matches; {@code null} if no source. */
    String sourceFileName() {
        if (source == null) {
            return null;
        }
        String path = source;
        while (path.length() > 1 && (path.endsWith("/") || path.endsWith("\\"))) {
            path = path.substring(0, path.length() - 1);
        }
        return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    }

    /** {@code com.example.Pool.start(Pool.java:42)}, as a stack trace prints a frame. */
    @Override
    public String toString() {
        String where = fileName == null ? "Unknown Source" : line >= 0 ? fileName + ":" + line : fileName;
        return className + "." + methodName + "(" + where + ")";
    }
}
