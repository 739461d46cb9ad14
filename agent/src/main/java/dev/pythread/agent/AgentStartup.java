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
        if (attached && ThreadsCommand.isCommand(arguments)) {
            ThreadsCommand.run(arguments);
            return;
        }
        AgentOptions options;
        try {
            options = AgentOptions.parse(arguments);
        } catch (AgentOptions.BadOption e) {
            fail(e.getMessage(), attached);
            return;
        }
        try {
            AgentInstaller.install(options, instrumentation);
        } catch (AgentOptions.BadOption e) {
            fail(e.getMessage(), attached);
        } catch (AgentInstaller.NotInstalled e) {
            notInstalled(e.getMessage(), options.required(), attached);
        } catch (RuntimeException | LinkageError e) {
            // An audit sink that fails under onfail=deny while the agent installs, or a bug of ours: never the
            // JVM's abort with native frames, one line instead.
            fail("cannot start: " + e, attached);
        }
    }

    /**
     * What an agent that cannot install does ({@link LateBootClassPath} too): one line and, under
     * {@code required=true} at start-up, the end of the JVM; otherwise the application goes on.
     */
    static void notInstalled(String failure, boolean required, boolean attached) {
        if (required && !attached) {
            fail(failure + "; required=true, so the JVM exits", false);
        } else {
            AgentInstaller.warn(failure);
        }
    }

    /** One line; then, at start-up, status 1 before {@code main}. A running application is never stopped. */
    private static void fail(String failure, boolean attached) {
        AgentInstaller.warn(failure);
        if (!attached) {
            Runtime.getRuntime().halt(1);
        }
    }
}
