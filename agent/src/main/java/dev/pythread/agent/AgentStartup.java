package dev.pythread.agent;

import java.lang.instrument.Instrumentation;

/**
 * Parses the options and installs the agent ({@link AgentInstaller}), in the bootstrap class loader, and decides
 * what a failure does.
 *
 * <p>A bad option at start-up — or anything else that keeps the agent from installing as asked — prints one line,
 * {@code pythread-agent: …}, and ends the JVM with status 1 before {@code main}: not the JVM's own abort with native
 * frames that a throwing {@code premain} would cause, and not an application running unaudited. The one exception
 * is an agent that cannot instrument the JDK ({@link AgentInstaller.NotInstalled}: a JDK that renamed a method,
 * another agent that made {@code Thread} impossible to retransform): by default its line is printed and the
 * application runs unaudited, since the agent must never be the reason a service does not come up; with
 * {@code required=true} that JVM, too, ends with status 1. At attach time the running application is never stopped:
 * the line is printed and nothing more is installed.
 */
final class AgentStartup {

    private AgentStartup() {
    }

    static void start(String arguments, Instrumentation instrumentation, boolean attached) {
        AgentOptions options;
        try {
            options = AgentOptions.parse(arguments);
        } catch (AgentOptions.BadOption e) {
            fail(e.getMessage(), true, attached);
            return;
        }
        String failure;
        boolean fatal = true;
        try {
            AgentInstaller.install(options, instrumentation);
            return;
        } catch (AgentOptions.BadOption e) {
            failure = e.getMessage();
        } catch (AgentInstaller.NotInstalled e) {
            fatal = options.required() && !attached;
            failure = e.getMessage() + (fatal ? "; required=true, so the JVM exits" : "");
        } catch (RuntimeException | LinkageError e) {
            // An audit sink that fails under onfail=deny while the agent installs, or a bug of ours: never the
            // JVM's abort with native frames, one line instead.
            failure = "cannot start: " + e;
        }
        fail(failure, fatal, attached);
    }

    private static void fail(String failure, boolean fatal, boolean attached) {
        AgentInstaller.warn(failure);
        if (fatal && !attached) {
            Runtime.getRuntime().halt(1);
        }
    }
}
