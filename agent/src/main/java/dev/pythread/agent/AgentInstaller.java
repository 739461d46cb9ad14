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
import java.util.Set;

/**
 * Installs the agent into this JVM, in an order that never leaves a half-working state visible:
 * <ol>
 *   <li>check that the agent's classes live in the bootstrap loader, where {@code java.lang.Thread} can call them
 *       (the jar's {@code Boot-Class-Path} names the jar's own file; renamed, it is not found);</li>
 *   <li>let {@code java.base} read the module of those classes;</li>
 *   <li>install the unraisable hook, the audit sinks and the {@code hook=} class;</li>
 *   <li>register {@link ClassLoaderTransformer}, which keeps child-first class loaders from defining a second
 *       copy of the API;</li>
 *   <li>register {@link ThreadTransformer} and retransform {@code Thread} (and {@code VirtualThread});</li>
 *   <li>self-test: every method the transformer must rewrite was rewritten, or one line says which was not.</li>
 * </ol>
 * A failure inside the agent is reported once, on one line, and the application goes on unaudited; only a bad
 * option ({@link AgentOptions.BadOption}) stops a JVM, and only at start-up.
 */
final class AgentInstaller {

    /** Guarded by the class lock: install runs once per JVM, and a plain lock costs no VarHandle at start-up. */
    private static boolean installed;

    private AgentInstaller() {
    }

    static synchronized void install(AgentOptions options, Instrumentation instrumentation)
            throws AgentOptions.BadOption {
        if (installed) {
            warn("already installed in this JVM; the options '" + options + "' are ignored");
            return;
        }
        installed = true;
        if (ThreadDispatch.class.getClassLoader() != null) {
            warn("the agent's classes are not in the bootstrap class loader, so the JDK cannot call them: keep the "
                    + "jar's file name pythread-agent.jar (its manifest's Boot-Class-Path names it); not installed");
            return;
        }
        Object hook = options.hookClass() == null ? null : instantiate(options.hookClass());
        List<AuditHook> sinks = AuditSinks.open(options);
        ThreadPolicy policy = options.policyFile() == null ? null : ThreadPolicy.load(options.policyFile());
        try {
            instrumentation.redefineModule(Thread.class.getModule(), Set.of(ThreadDispatch.class.getModule()),
                    Map.of(), Map.of(), Set.of(), Map.of());
        } catch (RuntimeException e) {
            warn("cannot let java.base read the agent's module (" + e + "); not installed");
            return;
        }
        installHooks(options, sinks, hook);
        ThreadDispatch.install(policy, AuditSinks.recordEveryStartCaller(options));
        instrumentation.addTransformer(new ClassLoaderTransformer());
        instrumentThreads(instrumentation);
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
     * it (and the classes its verification pulls in) for applications that may never use a virtual thread.
     */
    private static void instrumentThreads(Instrumentation instrumentation) {
        ThreadTransformer transformer = new ThreadTransformer();
        instrumentation.addTransformer(transformer, true);
        List<Class<?>> targets = new ArrayList<>(List.of(Thread.class));
        for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
            if (loaded.getName().equals("java.lang.VirtualThread") && loaded.getClassLoader() == null) {
                targets.add(loaded);
            }
        }
        try {
            instrumentation.retransformClasses(targets.toArray(new Class<?>[0]));
        } catch (UnmodifiableClassException | RuntimeException e) {
            warn("cannot instrument " + targets + " (" + e + "); thread starts and deaths are not audited");
            return;
        }
        transformer.checkInstrumented(ThreadTransformer.THREAD);
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
