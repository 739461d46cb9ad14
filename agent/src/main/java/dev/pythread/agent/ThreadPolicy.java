package dev.pythread.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The option {@code policy=PATH}: which code may start threads — the check the Security Manager's
 * {@code modifyThread} permission made before JDK 24 removed it (JEP 486).
 *
 * <pre>
 * mode enforce              # or: report — decide and record, never deny (a dry run)
 * default allow             # or: deny — for frames no rule matches
 * deny  from jar **&#47;plugins/**    # the class's code source; * within one path segment, ** across
 * allow from package com.acme        # that package and its subpackages
 * allow from module com.acme.core    # a named module
 * </pre>
 *
 * <p>A start is allowed when <em>every</em> frame of the starting thread's stack outside the JDK and the agent (the
 * chain, as {@code StackWalker} shows it: reflection frames hidden) is permitted — the first rule that matches a frame
 * decides, {@code default} when none does — so code cannot launder a start through someone else's helper. An empty
 * chain is allowed. JDK infrastructure threads are not checked (see {@link #isInfrastructure}); virtual threads always
 * are. Defaults when a directive is absent: {@code mode enforce}, {@code default allow}.
 */
final class ThreadPolicy {

    enum Mode { ENFORCE, REPORT }

    /** Why a start is denied: the rule, its line, and the nearest frame it denied. */
    record Denial(String rule, int line, String frame) {
    }

    private static final class Rule {
        final boolean allow;
        final String kind;
        final String value;
        final Pattern jarGlob;
        final int line;

        Rule(boolean allow, String kind, String value, int line) {
            this.allow = allow;
            this.kind = kind;
            this.value = value;
            this.jarGlob = kind.equals("jar") ? globToRegex(value) : null;
            this.line = line;
        }

        /** The {@code default} directive as a rule that matches nothing by itself; line 0 when the file has none. */
        static Rule byDefault(boolean allow, int line) {
            return new Rule(allow, "default", "", line);
        }

        boolean matches(Class<?> type, String source) {
            switch (kind) {
                case "jar":
                    return source != null && jarGlob.matcher(source).matches();
                case "package":
                    String pkg = type.getPackageName();
                    return pkg.equals(value) || pkg.startsWith(value + ".");
                case "module":
                    return type.getModule().isNamed() && type.getModule().getName().equals(value);
                default: // the default directive decides only where no rule matched
                    return false;
            }
        }

        @Override
        public String toString() {
            if (kind.equals("default")) {
                return "default " + (allow ? "allow" : "deny");
            }
            return (allow ? "allow" : "deny") + " from " + kind + " " + value;
        }
    }

    /**
     * On JDK 17, {@code CompletableFuture}'s stand-in for the common pool when its parallelism is below 2 (e.g. on a
     * 2-CPU machine), which starts a new thread per async task. Its threads count as common-pool workers, so that a
     * plugin's {@code CompletableFuture.runAsync} runs whatever the machine's size (docs/api.md); {@code null} on JDKs
     * without it (JDK 25 gives async tasks a common pool of parallelism at least 1).
     */
    private static final Class<?> THREAD_PER_TASK_EXECUTOR = jdkClassOrNull(
            "java.util.concurrent.CompletableFuture$ThreadPerTaskExecutor");

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    /**
     * The same frames as {@link #WALKER}, classes only — {@code DROP_METHOD_INFO}, JDK 22+ — or {@code null} before
     * JDK 22. Rules look at classes only, so this walk decides an allowed start; it is cheaper, because the VM then
     * resolves no method per frame. Only a denial, to be described with its method, file and line, walks again.
     */
    private static final StackWalker CLASSES_ONLY = classesOnlyWalker();
    private static final String ALLOWED_LINES = "allowed: 'mode enforce|report', 'default allow|deny', "
            + "'allow|deny from jar GLOB', 'allow|deny from package NAME', 'allow|deny from module NAME', '# comment'";

    private final String file;
    private final Mode mode;
    private final List<Rule> rules;
    private final Rule defaultRule;

    /**
     * The verdict for each class, computed on its first frame: rules match a class (its package, module and code
     * source), never a particular frame, so a decision on a deep stack is a cached lookup per frame.
     */
    private final ClassValue<Rule> verdicts = new ClassValue<>() {
        @Override
        protected Rule computeValue(Class<?> type) {
            return verdictFor(type);
        }
    };

    private ThreadPolicy(String file, Mode mode, Rule defaultRule, List<Rule> rules) {
        this.file = file;
        this.mode = mode;
        this.defaultRule = defaultRule;
        this.rules = rules;
    }

    /** Reads a policy file; any error is one line naming the file, the line and what is allowed. */
    static ThreadPolicy load(String pathText) throws AgentOptions.BadOption {
        Path path = Path.of(pathText).toAbsolutePath();
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new AgentOptions.BadOption("policy " + path + " cannot be read (" + e + ")");
        }
        Mode mode = null;
        Boolean defaultAllow = null;
        int defaultLine = 0;
        List<Rule> rules = new ArrayList<>();
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1);
            int hash = line.indexOf('#');
            String[] words = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
            if (words.length == 1 && words[0].isEmpty()) {
                continue;
            }
            String where = "policy " + path + " line " + n + ": ";
            if (words[0].equals("mode") && words.length == 2 && (words[1].equals("enforce") || words[1].equals("report"))) {
                if (mode != null) {
                    throw new AgentOptions.BadOption(where + "mode is given twice");
                }
                mode = Mode.valueOf(words[1].toUpperCase(Locale.ROOT));
            } else if (words[0].equals("default") && words.length == 2
                    && (words[1].equals("allow") || words[1].equals("deny"))) {
                if (defaultAllow != null) {
                    throw new AgentOptions.BadOption(where + "default is given twice");
                }
                defaultAllow = words[1].equals("allow");
                defaultLine = n;
            } else if ((words[0].equals("allow") || words[0].equals("deny")) && words.length == 4
                    && words[1].equals("from")
                    && (words[2].equals("jar") || words[2].equals("package") || words[2].equals("module"))) {
                rules.add(new Rule(words[0].equals("allow"), words[2], words[3], n));
            } else {
                throw new AgentOptions.BadOption(where + "cannot read '" + line.trim() + "'; " + ALLOWED_LINES);
            }
        }
        Rule defaultRule = Rule.byDefault(defaultAllow == null || defaultAllow, defaultLine);
        return new ThreadPolicy(path.toString(), mode == null ? Mode.ENFORCE : mode, defaultRule, List.copyOf(rules));
    }

    Mode mode() {
        return mode;
    }

    String file() {
        return file;
    }

    /**
     * Decides a start, on the starting thread's stack.
     *
     * @return {@code null} if allowed, else why not
     */
    Denial check(Thread thread) {
        if (isInfrastructure(thread)) {
            return null;
        }
        if (CLASSES_ONLY != null && CLASSES_ONLY.walk(this::firstDenied) == null) {
            return null;
        }
        return WALKER.walk(frames -> {
            StackWalker.StackFrame denied = firstDenied(frames);
            if (denied == null) {
                return null;
            }
            Rule verdict = verdicts.get(denied.getDeclaringClass());
            return new Denial(verdict.toString(), verdict.line, describe(denied));
        });
    }

    private static StackWalker classesOnlyWalker() {
        StackWalker.Option dropMethodInfo;
        try {
            dropMethodInfo = StackWalker.Option.valueOf("DROP_METHOD_INFO");
        } catch (IllegalArgumentException beforeJdk22) {
            return null;
        }
        return StackWalker.getInstance(Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, dropMethodInfo));
    }

    /**
     * The nearest frame of the chain that its rule denies, or {@code null}. Reads only each frame's class. A plain
     * loop over the frames: the only allocations of a decision are the stack walk's own and, for a denial, the
     * {@link Denial}.
     */
    private StackWalker.StackFrame firstDenied(Stream<StackWalker.StackFrame> frames) {
        boolean atStartSite = true;
        for (Iterator<StackWalker.StackFrame> it = frames.iterator(); it.hasNext(); ) {
            StackWalker.StackFrame frame = it.next();
            Class<?> type = frame.getDeclaringClass();
            if (atStartSite && !isStartMachinery(type)) {
                atStartSite = false;
                if (type == THREAD_PER_TASK_EXECUTOR) {
                    return null;
                }
            }
            if (CallerFrame.isJdk(type)) {
                continue;
            }
            if (!verdicts.get(type).allow) {
                return frame;
            }
        }
        return null;
    }

    /** The frames between the agent's check and the code that asked for the thread: the agent, the API, Thread. */
    private static boolean isStartMachinery(Class<?> type) {
        if (type.getClassLoader() != null) {
            return false;
        }
        String name = type.getName();
        return name.startsWith("dev.pythread.") || name.equals("java.lang.Thread")
                || name.startsWith("java.lang.VirtualThread") || name.startsWith("java.lang.ThreadBuilders");
    }

    /** The first rule in file order that matches a class, or the default: what decides each of its frames. */
    private Rule verdictFor(Class<?> type) {
        String source = CallerFrame.sourceOf(type);
        for (Rule rule : rules) {
            if (rule.matches(type, source)) {
                return rule;
            }
        }
        return defaultRule;
    }

    private static String describe(StackWalker.StackFrame frame) {
        return frame.getClassName() + "." + frame.getMethodName() + "(" + frame.getFileName() + ":"
                + frame.getLineNumber() + ")";
    }

    /**
     * A class of the JDK itself: defined by the bootstrap loader in one of the JDK's named modules. Application code
     * cannot define one (the agent's own classes and other agents' are in the bootstrap loader's unnamed module).
     */
    private static boolean isJdkClass(Class<?> type) {
        return type.getClassLoader() == null && type.getModule().isNamed();
    }

    /** The exception a denied start throws, worded as docs/api.md says. */
    SecurityException exception(Denial denial) {
        return new SecurityException("thread start denied by policy " + file + " line " + denial.line() + " ("
                + denial.rule() + "): " + denial.frame());
    }

    /**
     * JDK infrastructure threads, which the JDK starts lazily on whatever stack first needs them and whose refusal
     * would break the JDK for the whole process: a thread of a JDK-internal class (defined by the bootstrap loader in
     * one of the JDK's named modules, outside {@code java.*}/{@code javax.*}: carrier threads,
     * {@code InnocuousThread}; not the agent's own classes, which the bootstrap loader holds in its unnamed module,
     * so that {@code PyThread.startNewThread}'s worker is decided like any thread); a thread of the system thread group or
     * one of its subgroups other than {@code main}; a worker of the common {@code ForkJoinPool} whose class is the
     * JDK's, as the pool's default factory makes them — a subclass of {@code ForkJoinWorkerThread} that names the common
     * pool as its own is decided like any thread (unless the process configured a factory of its own for the common
     * pool: then its workers' class is the application's, and the pool object alone says who they are). Never a
     * virtual thread.
     */
    static boolean isInfrastructure(Thread thread) {
        Class<?> type = thread.getClass();
        String name = type.getName();
        if (name.equals("java.lang.VirtualThread") || name.startsWith("java.lang.ThreadBuilders$")) {
            return false;
        }
        boolean jdkClass = isJdkClass(type);
        if (jdkClass && !name.startsWith("java.") && !name.startsWith("javax.")) {
            return true;
        }
        if (thread instanceof ForkJoinWorkerThread
                && ((ForkJoinWorkerThread) thread).getPool() == ForkJoinPool.commonPool()
                && (jdkClass || !isJdkClass(ForkJoinPool.commonPool().getFactory().getClass()))) {
            return true;
        }
        ThreadGroup group = thread.getThreadGroup();
        for (ThreadGroup g = group; g != null; g = g.getParent()) {
            if (g.getParent() == null) {
                return true; // reached the system group without passing through main
            }
            if (g.getName().equals("main") && g.getParent().getParent() == null) {
                return false; // main, or a subgroup of main
            }
        }
        return false;
    }

    private static Class<?> jdkClassOrNull(String name) {
        try {
            return Class.forName(name, false, null);
        } catch (ClassNotFoundException absent) {
            return null;
        }
    }

    /** {@code *} within one path segment, {@code **} across segments, {@code ?} one character; the rest literal. */
    static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else {
                    regex.append("[^/]*");
                }
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
