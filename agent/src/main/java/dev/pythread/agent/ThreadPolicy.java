package dev.pythread.agent;

import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
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
 * allow from no-code-source          # classes defined with no code source (denied unless a rule says so)
 * </pre>
 *
 * <p>A start is allowed when <em>every</em> frame of the starting thread's stack outside the JDK and the agent (hidden
 * frames included, so that a hidden class a plugin defined counts as the plugin's), then the thread's own class, then
 * its task (the {@code Runnable} given to the thread), is permitted — the first rule that matches a class decides,
 * {@code default} when none does — so code can neither launder a start through someone else's helper nor hand its own
 * thread or task to someone else's pool. A class is judged with the class of its defining loader: a class defined by
 * a loader whose class is denied is denied, whatever code source that loader claimed for it. A class with no code
 * source is decided by a {@code from no-code-source} rule, and denied when there is none. JDK and agent classes are
 * trusted by identity ({@link TrustedClasses}). Only the exemptions {@link #check} lists are not decided; virtual
 * threads never are exempt. Defaults when a directive is absent: {@code mode enforce}, {@code default allow}.
 *
 * <p>This class decides; {@link PolicyFile} reads the file, and each line that decides classes is a {@link PolicyRule}.
 */
final class ThreadPolicy {

    enum Mode { ENFORCE, REPORT }

    /** Why a start is denied: the rule, its line, and the nearest frame it denied. */
    record Denial(String rule, int line, String frame) {
    }

    /**
     * JDK classes that start threads of the JDK's own on whatever stack first needs them, for the whole process, and
     * whose refusal would break the JDK: a thread whose start site (the JDK frames between {@code Thread.start} and
     * the first frame outside the JDK) includes one of them is not decided. Each is the JDK's own class, compared by
     * identity; application code cannot reach their thread-starting paths with a thread or a pool of its own.
     * <ul>
     *   <li>{@code ApplicationShutdownHooks}: runs the shutdown hooks at exit, which were decided when they were
     *       registered ({@link #checkShutdownHook});</li>
     *   <li>{@code ProcessHandleImpl}: on JDK 17 its process reaper, a plain {@code Thread} its private pool starts
     *       when a process is started or waited for (JDK 21+ make it an {@code InnocuousThread});</li>
     *   <li>on JDK 17, {@code CompletableFuture}'s stand-in for the common pool when its parallelism is below 2 (e.g.
     *       on a 2-CPU machine), which starts a thread per async task: its threads count as common-pool workers, so
     *       that {@code CompletableFuture.runAsync} runs whatever the machine's size (docs/api.md).</li>
     * </ul>
     */
    private static final Set<Class<?>> INFRASTRUCTURE_STARTERS = jdkClasses("java.lang.ApplicationShutdownHooks",
            "java.lang.ProcessHandleImpl", "java.util.concurrent.CompletableFuture$ThreadPerTaskExecutor");

    /**
     * JDK classes whose public methods give their caller a JDK-internal thread of its own that runs the caller's
     * code ({@code Cleaner.create()}'s cleaning actions, an {@code HttpClient}'s callbacks): when such a method was
     * called from outside the JDK, the JDK-internal thread it starts is decided like any thread. The JDK's own lazy
     * uses of them (the common cleaner) stay exempt.
     */
    private static final Set<Class<?>> CALLER_OWNED_STARTERS = jdkClasses("java.lang.ref.Cleaner",
            "jdk.internal.net.http.HttpClientBuilderImpl", "java.net.http.HttpClient");

    /** Hidden frames shown: a hidden class a plugin defines is judged by its loader like the plugin's others. */
    private static final StackWalker WALKER = StackWalker.getInstance(
            Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_HIDDEN_FRAMES));
    /**
     * The same frames as {@link #WALKER}, classes only — {@code DROP_METHOD_INFO}, JDK 22+ — or {@code null} before
     * JDK 22. Rules look at classes only, so this walk decides an allowed start; it is cheaper, because the VM then
     * resolves no method per frame. Only a denial, to be described with its method, file and line, walks again.
     */
    private static final StackWalker CLASSES_ONLY = classesOnlyWalker();
    /** What a stack walk returns for a start that is not decided at all (see {@link #INFRASTRUCTURE_STARTERS}). */
    private static final Object EXEMPT = new Object();
    private final String file;
    private final Mode mode;
    private final List<PolicyRule> rules;
    private final PolicyRule defaultRule;

    /**
     * The verdict for each class, computed on its first frame: rules match a class (its package, module and code
     * source), never a particular frame, so a decision on a deep stack is a cached lookup per frame.
     */
    private final ClassValue<PolicyRule> verdicts = new ClassValue<>() {
        @Override
        protected PolicyRule computeValue(Class<?> type) {
            return verdictFor(type);
        }
    };

    /** The policy of {@code file}, as {@link PolicyFile#load} read it. */
    ThreadPolicy(String file, Mode mode, PolicyRule defaultRule, List<PolicyRule> rules) {
        this.file = file;
        this.mode = mode;
        this.defaultRule = defaultRule;
        this.rules = rules;
    }

    Mode mode() {
        return mode;
    }

    String file() {
        return file;
    }

    /**
     * Decides a start, in the starting thread. Not decided: a JDK-internal thread (its class is a JDK class outside
     * {@code java.*}/{@code javax.*}: carrier threads, {@code InnocuousThread}) unless the caller asked for it
     * ({@link #CALLER_OWNED_STARTERS}); a worker of the common {@code ForkJoinPool} whose class is the JDK's;
     * a start made by one of the {@link #INFRASTRUCTURE_STARTERS}. Never a virtual thread.
     *
     * @param thread the thread being started
     * @param task   the {@code Runnable} it was given, or {@code null} if none or unknown
     * @return {@code null} if allowed, else why not
     */
    Denial check(Thread thread, Runnable task) {
        if (isCommonPoolWorker(thread)) {
            return null;
        }
        boolean jdkInternal = isJdkInternalThread(thread);
        Object byStack = CLASSES_ONLY != null ? CLASSES_ONLY.walk(frames -> firstDenied(frames, jdkInternal))
                : WALKER.walk(frames -> firstDenied(frames, jdkInternal));
        if (byStack == EXEMPT) {
            return null;
        }
        if (byStack != null) {
            return CLASSES_ONLY == null ? denial((StackWalker.StackFrame) byStack) : WALKER.walk(frames -> {
                Object denied = firstDenied(frames, jdkInternal);
                return denied instanceof StackWalker.StackFrame ? denial((StackWalker.StackFrame) denied) : null;
            });
        }
        return ofWhatRuns(thread, task);
    }

    /**
     * Decides a shutdown hook as {@code Runtime.addShutdownHook} registers it, on the registering stack: it will be
     * started at exit on a stack that says nothing of who registered it, so it is never decided then.
     */
    Denial checkShutdownHook(Thread hook, Runnable task) {
        Object byStack = WALKER.walk(frames -> firstDenied(frames, false));
        if (byStack instanceof StackWalker.StackFrame) {
            return denial((StackWalker.StackFrame) byStack);
        }
        return ofWhatRuns(hook, task);
    }

    /** The thread's own class, then its task, as two more frames of the decision. */
    private Denial ofWhatRuns(Thread thread, Runnable task) {
        PolicyRule byClass = verdictOf(thread.getClass());
        if (!byClass.allow()) {
            return new Denial(byClass.toString(), byClass.line(),
                    thread.getClass().getName() + " (the thread's class)");
        }
        if (task != null) {
            PolicyRule byTask = verdictOf(task.getClass());
            if (!byTask.allow()) {
                return new Denial(byTask.toString(), byTask.line(),
                        task.getClass().getName() + " (the thread's task)");
            }
        }
        return null;
    }

    private Denial denial(StackWalker.StackFrame denied) {
        PolicyRule verdict = verdicts.get(denied.getDeclaringClass());
        return new Denial(verdict.toString(), verdict.line(), describe(denied));
    }

    private static StackWalker classesOnlyWalker() {
        StackWalker.Option dropMethodInfo;
        try {
            dropMethodInfo = StackWalker.Option.valueOf("DROP_METHOD_INFO");
        } catch (IllegalArgumentException beforeJdk22) {
            return null;
        }
        return StackWalker.getInstance(Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE,
                StackWalker.Option.SHOW_HIDDEN_FRAMES, dropMethodInfo));
    }

    /**
     * The nearest frame that its rule denies, {@link #EXEMPT}, or {@code null}. Reads only each frame's class. After
     * the start machinery comes the start site, the JDK frames up to the first frame outside the JDK: a start whose
     * site holds one of the {@link #INFRASTRUCTURE_STARTERS} is exempt, and so is a JDK-internal thread unless the
     * site's last frame, the JDK method that code outside the JDK called, is one of the
     * {@link #CALLER_OWNED_STARTERS}. A plain loop: the only allocations of a decision are the stack walk's own
     * and, for a denial, the {@link Denial}.
     */
    private Object firstDenied(Stream<StackWalker.StackFrame> frames, boolean jdkInternalThread) {
        boolean atStartMachinery = true;
        boolean atStartSite = true;
        Class<?> lastOfSite = null;
        for (Iterator<StackWalker.StackFrame> it = frames.iterator(); it.hasNext(); ) {
            StackWalker.StackFrame frame = it.next();
            Class<?> type = frame.getDeclaringClass();
            if (atStartMachinery) {
                if (isStartMachinery(type)) {
                    continue;
                }
                atStartMachinery = false;
            }
            boolean jdk = TrustedClasses.isJdk(type);
            if (atStartSite) {
                if (jdk) {
                    if (INFRASTRUCTURE_STARTERS.contains(type)) {
                        return EXEMPT;
                    }
                    lastOfSite = type;
                    continue;
                }
                atStartSite = false;
                if (jdkInternalThread && (lastOfSite == null || !CALLER_OWNED_STARTERS.contains(lastOfSite))) {
                    return EXEMPT;
                }
            }
            if (!jdk && !verdicts.get(type).allow()) {
                return frame;
            }
        }
        return jdkInternalThread && atStartSite ? EXEMPT : null;
    }

    /** The frames between the agent's check and the code that asked for the thread: the agent, the API, Thread. */
    private static boolean isStartMachinery(Class<?> type) {
        if (TrustedClasses.isAgent(type)) {
            return true;
        }
        if (type.getClassLoader() != null || !type.getModule().isNamed()) {
            return false;
        }
        String name = type.getName();
        return name.equals("java.lang.Thread") || name.startsWith("java.lang.VirtualThread")
                || name.startsWith("java.lang.ThreadBuilders");
    }

    /** What decides a class: see {@link #verdictFor}. */
    private PolicyRule verdictOf(Class<?> type) {
        return TrustedClasses.isJdk(type) ? PolicyRule.TRUSTED : verdicts.get(type);
    }

    /**
     * What decides each frame of a class: {@link #TRUSTED} for the JDK's and the agent's classes; else the first
     * rule in file order that matches it (a class with no code source: only a {@code from no-code-source} rule, else
     * it is denied), or the default — and, if that allows it, what decides the class of its defining loader, so that
     * a class is never trusted more than the code that defined it.
     */
    private PolicyRule verdictFor(Class<?> type) {
        if (TrustedClasses.isJdk(type) || TrustedClasses.isAgent(type) || TrustedClasses.isJdkGenerated(type)) {
            return PolicyRule.TRUSTED;
        }
        PolicyRule own = ruleFor(type);
        ClassLoader loader = type.getClassLoader();
        if (!own.allow() || loader == null) {
            return own;
        }
        PolicyRule ofLoader = verdictOf(loader.getClass());
        return ofLoader.allow() ? own : ofLoader;
    }

    private PolicyRule ruleFor(Class<?> type) {
        String source = CallerFrame.sourceOf(type);
        for (PolicyRule rule : rules) {
            if (source == null ? rule.kind() == PolicyRule.Kind.NO_CODE_SOURCE : rule.matches(type, source)) {
                return rule;
            }
        }
        return source == null ? PolicyRule.NO_CODE_SOURCE_DENIED : defaultRule;
    }

    private static String describe(StackWalker.StackFrame frame) {
        return frame.getClassName() + "." + frame.getMethodName() + "(" + frame.getFileName() + ":"
                + frame.getLineNumber() + ")";
    }

    /** The exception a denied start throws, worded as docs/api.md says. */
    SecurityException exception(Denial denial) {
        return new SecurityException("thread start denied by policy " + file + " line " + denial.line() + " ("
                + denial.rule() + "): " + denial.frame());
    }

    /**
     * A thread of a JDK-internal class: a JDK class outside {@code java.*}/{@code javax.*} (carrier threads,
     * {@code InnocuousThread}). Not the agent's own classes, which the bootstrap loader holds in its unnamed module,
     * so that {@code PyThread.startNewThread}'s worker is decided like any thread; never a virtual thread.
     */
    private static boolean isJdkInternalThread(Thread thread) {
        Class<?> type = thread.getClass();
        String name = type.getName();
        return TrustedClasses.isJdk(type) && !name.startsWith("java.") && !name.startsWith("javax.");
    }

    /**
     * A worker of the common {@code ForkJoinPool}, the pool object itself compared, whose class is the JDK's, as the
     * pool's default factory makes them: a subclass of {@code ForkJoinWorkerThread} that names the common pool as its
     * own is decided like any thread — unless the process configured a factory of its own for the common pool: then
     * its workers' class is the application's, and the pool object alone says who they are.
     */
    private static boolean isCommonPoolWorker(Thread thread) {
        if (!(thread instanceof ForkJoinWorkerThread)
                || ((ForkJoinWorkerThread) thread).getPool() != ForkJoinPool.commonPool()) {
            return false;
        }
        return TrustedClasses.isJdk(thread.getClass())
                || !TrustedClasses.isJdk(ForkJoinPool.commonPool().getFactory().getClass());
    }

    /**
     * The JDK's classes of these names that this JDK has (some are JDK 17's only, or in an optional module), each
     * checked to be the JDK's ({@link TrustedClasses#isJdk}).
     */
    private static Set<Class<?>> jdkClasses(String... names) {
        Set<Class<?>> found = new HashSet<>();
        for (String name : names) {
            try {
                Class<?> type = Class.forName(name, false, ClassLoader.getPlatformClassLoader());
                if (TrustedClasses.isJdk(type)) {
                    found.add(type);
                }
            } catch (ClassNotFoundException | LinkageError absent) {
                // not in this JDK
            }
        }
        return Set.copyOf(found);
    }
}
