package dev.pythread.agent;

import dev.pythread.Audit;
import dev.pythread.Audit.AuditHook;
import dev.pythread.Unraisable;
import dev.pythread.Unraisable.UnraisableHook;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Installs the agent into this JVM, in an order that never leaves a half-working state visible:
 * <ol>
 *   <li>check that the agent's classes live in the bootstrap loader, where {@code java.lang.Thread} can call them
 *       (the manifest's {@code Boot-Class-Path} or, for a jar of another name, {@link LateBootClassPath} put them
 *       there);</li>
 *   <li>let the JDK modules that call those classes read their module;</li>
 *   <li>install the unraisable hook, the audit sinks and the {@code hook=} class;</li>
 *   <li>register {@link ClassLoaderTransformer}, which keeps child-first class loaders from defining a second
 *       copy of the API;</li>
 *   <li>register {@link GuardTransformer} and retransform what it guards: reflection on the agent's classes,
 *       shutdown hooks, agents loaded at run time;</li>
 *   <li>register {@link ThreadTransformer} and retransform {@code Thread} (and {@code VirtualThread});</li>
 *   <li>self-test: every method the transformer must rewrite was rewritten, or one line says which was not.</li>
 * </ol>
 * A failure inside the agent is reported once, on one line ({@link NotInstalled}); what happens next is the
 * caller's decision ({@code required=}, see {@link AgentStartup}).
 */
final class AgentInstaller {

    /**
     * The agent could not install (or not entirely): its message is the one line the user reads, after
     * {@code "pythread-agent: "}, and says which thread paths go unaudited.
     */
    static final class NotInstalled extends Exception {
        private static final long serialVersionUID = 1L;

        NotInstalled(String message) {
            super(message);
        }
    }

    private static final String AGENT_PROPERTIES_PACKAGE = "jdk.internal.vm";

    /** Guarded by the class lock: install runs once per JVM, and a plain lock costs no VarHandle at start-up. */
    private static boolean installed;

    private AgentInstaller() {
    }

    static synchronized void install(AgentOptions options, Instrumentation instrumentation)
            throws AgentOptions.BadOption, NotInstalled {
        if (installed) {
            warn("already installed in this JVM; the options '" + options + "' are ignored");
            return;
        }
        installed = true;
        if (ThreadDispatch.class.getClassLoader() != null) {
            throw new NotInstalled("the agent's classes are not in the bootstrap class loader, so the JDK cannot "
                    + "call them; not installed");
        }
        Object hook = options.hookClass() == null ? null : instantiate(options.hookClass());
        List<AuditHook> sinks = AuditSinks.open(options);
        ThreadPolicy policy = options.policyFile() == null ? null : PolicyFile.load(options.policyFile());
        letJdkCallTheAgent(instrumentation, policy != null);
        installHooks(options, sinks, hook);
        ThreadDispatch.install(policy, AuditSinks.recordEveryStartCaller(options),
                options.inventory() ? new LiveThreads() : null);
        instrumentation.addTransformer(new ClassLoaderTransformer());
        guardTheAgent(instrumentation);
        instrumentThreads(instrumentation, options.required());
        ThreadsCommand.publish(agentProperties(), options.inventory());
    }

    /**
     * The JDK's agent properties ({@code jdk.internal.vm.VMSupport}, exported to the agent by
     * {@link #letJdkCallTheAgent}), or {@code null} if this JDK has none: looked up once, by reflection, since the
     * package is internal.
     */
    private static Properties agentProperties() {
        try {
            return (Properties) Class.forName("jdk.internal.vm.VMSupport").getMethod("getAgentProperties")
                    .invoke(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * Lets the JDK modules that call the agent read its module: {@code java.base} (threads, reflection, shutdown
     * hooks), {@code java.instrument} (agents loaded at run time) and {@code jdk.attach} if this JVM has it. Under a
     * policy, {@code java.lang} is also opened to the agent, so that {@link ThreadTasks} reads a shutdown hook's task.
     * {@code jdk.internal.vm} is exported to it for the agent properties ({@link ThreadsCommand#publish}).
     */
    private static void letJdkCallTheAgent(Instrumentation instrumentation, boolean openJavaLang)
            throws NotInstalled {
        Module agent = ThreadDispatch.class.getModule();
        try {
            instrumentation.redefineModule(Thread.class.getModule(), Set.of(agent),
                    Map.of(AGENT_PROPERTIES_PACKAGE, Set.of(agent)),
                    openJavaLang ? Map.of("java.lang", Set.of(agent)) : Map.of(), Set.of(), Map.of());
            instrumentation.redefineModule(Instrumentation.class.getModule(), Set.of(agent), Map.of(), Map.of(),
                    Set.of(), Map.of());
            ModuleLayer.boot().findModule("jdk.attach").ifPresent(attach -> instrumentation.redefineModule(attach,
                    Set.of(agent), Map.of(), Map.of(), Set.of(), Map.of()));
        } catch (RuntimeException e) {
            throw new NotInstalled("cannot let the JDK's modules read the agent's module (" + e + "); not installed");
        }
    }

    /**
     * Registers {@link GuardTransformer} and retransforms the JDK classes it guards that are loaded already (all but
     * {@code jdk.attach}'s, unless this JVM has attached somewhere), before any thread path is rewritten: code that
     * could open the agent by reflection would otherwise have a moment to.
     */
    private static void guardTheAgent(Instrumentation instrumentation) throws NotInstalled {
        GuardTransformer guards = new GuardTransformer();
        instrumentation.addTransformer(guards, true);
        List<Class<?>> targets = new ArrayList<>();
        for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
            String name = loaded.getName().replace('.', '/');
            if ((GuardTransformer.LOADED_AT_START.contains(name) || name.equals(GuardTransformer.HOTSPOT_VM))
                    && loaded.getModule().isNamed()) {
                targets.add(loaded);
            }
        }
        retransform(instrumentation, targets, "the agent's state is open to reflection");
        String problem = guards.notInstrumented();
        if (problem != null) {
            throw new NotInstalled(problem);
        }
    }

    /** Retransforms {@code targets}; a failure is one line ending with what it leaves {@code unprotected}. */
    private static void retransform(Instrumentation instrumentation, List<Class<?>> targets, String unprotected)
            throws NotInstalled {
        try {
            instrumentation.retransformClasses(targets.toArray(new Class<?>[0]));
        } catch (UnmodifiableClassException | RuntimeException e) {
            throw new NotInstalled("cannot instrument " + targets + " (" + e + "); " + unprotected);
        }
    }

    private static void installHooks(AgentOptions options, List<AuditHook> sinks, Object hook) {
        Unraisable.setHook(options.unraisable() == AgentOptions.UnraisableMode.JVM ? JvmChainHook.INSTANCE : null);
        for (AuditHook sink : sinks) {
            Audit.addHook(sink);
        }
        if (hook instanceof AuditHook) {
            Audit.addHook((AuditHook) hook);
        }
        if (hook instanceof UnraisableHook) {
            Unraisable.setHook((UnraisableHook) hook);
        }
    }

    /**
     * Retransforms {@code Thread}, which is always loaded by now, and {@code VirtualThread} only if something has
     * loaded it already: otherwise the transformer rewrites it when it loads, and no start-up time is spent loading
     * it (and the classes its verification pulls in) for applications that may never use a virtual thread. Under
     * {@code required=true} it is loaded now, so that its self-test, too, runs while a failure can still stop the
     * JVM before {@code main}.
     */
    private static void instrumentThreads(Instrumentation instrumentation, boolean required) throws NotInstalled {
        if (required && Runtime.version().feature() >= 21) {
            try {
                Class.forName("java.lang.VirtualThread", false, null);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new NotInstalled("cannot load java.lang.VirtualThread (" + e + "); virtual threads are not "
                        + "audited");
            }
        }
        ThreadTransformer transformer = new ThreadTransformer();
        instrumentation.addTransformer(transformer, true);
        List<Class<?>> targets = new ArrayList<>(List.of(Thread.class));
        for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
            if (loaded.getName().equals("java.lang.VirtualThread") && loaded.getClassLoader() == null) {
                targets.add(loaded);
            }
        }
        retransform(instrumentation, targets, "thread starts and deaths are not audited");
        for (Class<?> target : targets) {
            String problem = transformer.notInstrumented(target.getName().replace('.', '/'));
            if (problem != null) {
                throw new NotInstalled(problem);
            }
        }
    }

    /** The {@code hook=} class: public, with a public no-argument constructor, an audit and/or unraisable hook. */
    private static Object instantiate(String className) throws AgentOptions.BadOption {
        Class<?> type;
        try {
            type = Class.forName(className, true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new AgentOptions.BadOption("option hook: class " + className + " cannot be loaded from the class "
                    + "path (" + e + ")");
        }
        if (!AuditHook.class.isAssignableFrom(type) && !UnraisableHook.class.isAssignableFrom(type)) {
            throw new AgentOptions.BadOption("option hook: class " + className + " implements neither "
                    + "dev.pythread.Audit.AuditHook nor dev.pythread.Unraisable.UnraisableHook");
        }
        if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
            throw new AgentOptions.BadOption("option hook: class " + className + " must be public and concrete");
        }
        try {
            Constructor<?> constructor = type.getConstructor();
            return constructor.newInstance();
        } catch (NoSuchMethodException e) {
            throw new AgentOptions.BadOption("option hook: class " + className
                    + " has no public no-argument constructor");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new AgentOptions.BadOption("option hook: new " + className + "() failed: " + cause);
        }
    }

    /** One line on stderr, handed to {@code System.err} in one call (a {@code println} is two: text, then newline). */
    static void warn(String message) {
        System.err.print(new StringBuilder("pythread-agent: ").append(message).append(System.lineSeparator())
                .toString());
    }
}
