package dev.pythread.agent;

import java.lang.instrument.Instrumentation;

/**
 * The agent's entry points: {@code -javaagent:pythread-agent.jar[=OPTIONS]} calls {@link #premain}, attaching to a
 * running JVM ({@code java -jar pythread-agent.jar PID [OPTIONS]}, see {@link AttachMain}) calls
 * {@link #agentmain}. Both hand over to {@link AgentStartup} in the bootstrap class loader.
 *
 * <p>The JVM loads this class through the system class loader, which finds it in the bootstrap loader when the
 * jar's name is one that the manifest's {@code Boot-Class-Path} lists ({@code pythread-agent.jar},
 * {@code pythread-agent-VERSION.jar}). Under any other name the system class loader defines it from the jar
 * itself; then {@link LateBootClassPath} appends the jar to the bootstrap class path and calls the bootstrap
 * loader's copy of this class. This class therefore refers to no other agent class in a way that would load it
 * here (no catch of an agent exception, no field of an agent type): the system loader must define nothing of the
 * agent but this class and {@link LateBootClassPath}.
 */
public final class Premain {

    private Premain() {
    }

    /**
     * Called by the JVM before {@code main} for {@code -javaagent}.
     *
     * @param arguments       the option string, or {@code null}
     * @param instrumentation the JVM's instrumentation
     */
    public static void premain(String arguments, Instrumentation instrumentation) {
        if (Premain.class.getClassLoader() != null) {
            LateBootClassPath.reenter(arguments, instrumentation, false);
        } else {
            AgentStartup.start(arguments, instrumentation, false);
        }
    }

    /**
     * Called by the JVM when the agent is attached at run time.
     *
     * @param arguments       the option string, or {@code null}
     * @param instrumentation the JVM's instrumentation
     */
    public static void agentmain(String arguments, Instrumentation instrumentation) {
        if (Premain.class.getClassLoader() != null) {
            LateBootClassPath.reenter(arguments, instrumentation, true);
        } else {
            AgentStartup.start(arguments, instrumentation, true);
        }
    }
}
