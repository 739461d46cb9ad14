package dev.pythread.agent;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.security.CodeSource;
import java.util.jar.JarFile;

/**
 * Installs an agent jar whose file name the manifest's {@code Boot-Class-Path} does not list (a renamed copy, a
 * timestamped snapshot from a repository, {@code agent.jar} in a container image): it appends the jar to the
 * bootstrap class path with {@link Instrumentation#appendToBootstrapClassLoaderSearch}, the JDK's documented way,
 * then calls the bootstrap loader's copy of {@link Premain}, so the agent installs as under its own name.
 *
 * <p>The one difference a user sees: with class data sharing on (the JDK's default), HotSpot prints its own line,
 * {@code … warning: Sharing is only supported for boot loader classes because bootstrap classpath has been
 * appended}, when the bootstrap class path grows after start-up. So this class adds one line of its own after it,
 * saying what that line is about and how to be rid of both: give the jar a name that {@code Boot-Class-Path} lists.
 * Without class data sharing, nothing is printed. At attach time the JVM prints that line under any name (the
 * manifest's {@code Boot-Class-Path} is appended late too), so nothing is added then.
 *
 * <p>This class runs in the system class loader, and until the jar is appended it touches no other agent class but
 * {@link Premain}: what the system loader defined then would be a second, unused copy of it. Only a failure to
 * append loads more there ({@link AgentStartup#notInstalled}), when nothing is installed anyway.
 */
final class LateBootClassPath {

    private LateBootClassPath() {
    }

    static void reenter(String arguments, Instrumentation instrumentation, boolean attached) {
        File jar;
        try {
            jar = agentJar();
            // The JVM takes the file's name and opens the jar itself; this handle only proves it a readable jar.
            try (JarFile file = new JarFile(jar)) {
                instrumentation.appendToBootstrapClassLoaderSearch(file);
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            notInstalled("cannot put the agent jar on the bootstrap class path (" + e + "); not installed",
                    arguments, attached);
            return;
        }
        if (!attached && classDataSharing()) {
            System.err.print("pythread-agent: " + jar.getName() + " is not named as its manifest's Boot-Class-Path "
                    + "expects (" + AgentVersion.VERSIONED_JAR + " or " + AgentVersion.PLAIN_JAR + "), so it was "
                    + "appended to the boot class path at run time, which made the JVM print the line above; "
                    + "rename the jar to one of those names for neither line" + System.lineSeparator());
        }
        try {
            Class<?> bootPremain = Class.forName(Premain.class.getName(), true, null);
            bootPremain.getMethod(attached ? "agentmain" : "premain", String.class, Instrumentation.class)
                    .invoke(null, arguments, instrumentation);
        } catch (InvocationTargetException e) {
            notInstalled("cannot start: " + e.getCause(), arguments, attached);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            notInstalled("cannot find the agent on the bootstrap class path after appending " + jar + " (" + e
                    + "); not installed", arguments, attached);
        }
    }

    /** As for a failure of the installer; options that do not parse count as {@code required=true}. */
    private static void notInstalled(String failure, String arguments, boolean attached) {
        AgentStartup.notInstalled(failure, AgentOptions.requiresInstall(arguments), attached);
    }

    private static File agentJar() throws URISyntaxException {
        CodeSource source = Premain.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("the system class loader says nothing of where " + Premain.class
                    + " came from");
        }
        return new File(source.getLocation().toURI());
    }

    /**
     * Whether the JVM maps a class data sharing archive, so that appending to the boot class path made it print its
     * warning: HotSpot says so in {@code java.vm.info} ("mixed mode, sharing"), on JDK 17 and 25 alike.
     */
    private static boolean classDataSharing() {
        return System.getProperty("java.vm.info", "").contains("sharing");
    }
}
