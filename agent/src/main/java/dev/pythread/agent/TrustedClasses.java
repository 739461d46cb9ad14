package dev.pythread.agent;

import java.lang.reflect.Proxy;

/**
 * The classes the agent trusts by their identity — their defining loader and module — never by a name, a package
 * prefix or a thread group, which any code can choose for itself.
 *
 * <ul>
 *   <li>{@link #isJdk the JDK's}: defined by the bootstrap or platform loader in one of the JDK's named modules.
 *       Application code cannot define one: those loaders define classes only from the JDK's image, and the
 *       bootstrap loader's additions (the agent's jar, {@code -Xbootclasspath/a}) are in its unnamed module.</li>
 *   <li>{@link #isAgent the agent's}: the bootstrap loader's unnamed module, in {@code dev.pythread} or below. Code
 *       outside the agent can add no class there: that takes a full-privilege {@code Lookup} on an agent class,
 *       which {@link GuardDispatch} refuses, or {@code Instrumentation}, which an agent loaded at run time would
 *       need and a policy refuses.</li>
 *   <li>{@link #isJdkGenerated made by the JDK} for the application: {@code java.lang.reflect.Proxy} classes (their
 *       code only forwards to an {@code InvocationHandler}, whose frame is judged on its own) and, on JDK 17, the
 *       generated reflection accessors, which extend a class of a package {@code java.base} does not export.</li>
 * </ul>
 */
final class TrustedClasses {

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();
    private static final Module AGENT_MODULE = TrustedClasses.class.getModule();
    private static final String AGENT_PACKAGES = "dev.pythread.";

    private TrustedClasses() {
    }

    /** A class of the JDK's own named modules; see the class comment. */
    static boolean isJdk(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return (loader == null || loader == PLATFORM) && type.getModule().isNamed();
    }

    /** A class of the agent jar, as the JDK calls it (in the bootstrap loader); see the class comment. */
    static boolean isAgent(Class<?> type) {
        return type.getModule() == AGENT_MODULE && type.getClassLoader() == null
                && type.getName().startsWith(AGENT_PACKAGES);
    }

    /**
     * A class the JDK generated: a dynamic proxy, or a subclass of a JDK class no application code may extend (a
     * package {@code java.base} does not export, such as JDK 17's {@code jdk.internal.reflect.MethodAccessorImpl}).
     */
    static boolean isJdkGenerated(Class<?> type) {
        if (Proxy.isProxyClass(type)) {
            return true;
        }
        Class<?> parent = type.getSuperclass();
        return parent != null && isJdk(parent) && !parent.getModule().isExported(parent.getPackageName());
    }
}
