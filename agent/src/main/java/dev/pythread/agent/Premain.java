package dev.pythread.agent;

import java.lang.instrument.Instrumentation;

/**
 * The agent's entry points: {@code -javaagent:pythread-agent.jar[=OPTIONS]} calls {@link #premain}, attaching to a
 * running JVM ({@code java -jar pythread-agent.jar PID [OPTIONS]}, see {@link AttachMain}) calls
 * {@link #agentmain}. Both parse the options and hand over to {@link AgentInstaller}.
 *
 * <p>A bad option at start-up — or anything else that keeps the agent from installing as asked — prints one line,
 * {@code pythread-agent: …}, and ends the JVM with status 1 before {@code main}: not the JVM's own abort with native
 * frames that a throwing {@code premain} would cause, and not an application running unaudited. At attach time the
 * running application is never stopped: the line is printed and nothing more is installed.
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
        start(arguments, instrumentation, false);
    }

    /**
     * Called by the JVM when the agent is attached at run time.
     *
     * @param arguments       the option string, or {@code null}
     * @param instrumentation the JVM's instrumentation
     */
    public static void agentmain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, true);
    }

    private static void start(String arguments, Instrumentation instrumentation, boolean attached) {
        String failure;
        try {
            AgentInstaller.install(AgentOptions.parse(arguments), instrumentation);
            return;
        } catch (AgentOptions.BadOption e) {
            failure = e.getMessage();
        } catch (RuntimeException | LinkageError e) {
            // An audit sink that fails under onfail=deny while the agent installs, or a bug of ours: never the
            // JVM's abort with native frames, one line instead.
            failure = "cannot start: " + e;
        }
        System.err.println("pythread-agent: " + failure);
        if (!attached) {
            Runtime.getRuntime().halt(1);
        }
    }
}
