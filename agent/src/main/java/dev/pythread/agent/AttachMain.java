package dev.pythread.agent;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * {@code java -jar pythread-agent.jar PID [OPTIONS]}: loads the agent into the running JVM with process id
 * {@code PID} (byte-buddy-agent's attach), which then audits the threads started from that moment on. And
 * {@code java -jar pythread-agent.jar PID threads [--json]}: the live threads of a JVM that runs the agent, grouped
 * by who started them ({@link ThreadsClient}). And
 * {@code java -jar pythread-agent.jar verify FILE [--key PATH]}: {@link LogVerifier}. And
 * {@code java -jar pythread-agent.jar --version}: {@code pythread-agent VERSION}, on stdout.
 *
 * <p>The options are checked here first, so that a typo is reported to the person typing, not in the target's
 * stderr. On JDK 21+ the target prints its own warning that an agent was loaded dynamically (JEP 451) unless it
 * was started with {@code -XX:+EnableDynamicAgentLoading}; that warning is the JDK's, and is left alone.
 */
public final class AttachMain {

    private static final String USAGE = usage();

    /** The usage text, its options' lines from the table of options ({@link AgentOption}). */
    private static String usage() {
        List<String> lines = new ArrayList<>(List.of(
                "usage: java -jar pythread-agent.jar PID [OPTIONS]",
                "       java -jar pythread-agent.jar PID threads [--json]",
                "       java -jar pythread-agent.jar verify FILE [--key PATH]",
                "       java -jar pythread-agent.jar --version",
                "  Loads pythread-agent into the running JVM with process id PID;",
                "  or prints the live threads of that JVM, which runs the agent, grouped by who started them;",
                "  or checks a log written with chain=sha256 and names its first bad record.",
                "  OPTIONS: key=value pairs separated by commas, as for -javaagent:pythread-agent.jar=OPTIONS:"));
        for (AgentOption option : AgentOption.values()) {
            lines.add(option.usageLine());
        }
        return String.join(System.lineSeparator(), lines);
    }

    private AttachMain() {
    }

    /**
     * Attaches the agent.
     *
     * @param args {@code PID [OPTIONS]}, {@code PID threads [--json]}, {@code verify FILE [--key PATH]}, or
     *             {@code --version}
     */
    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("--version")) {
            System.out.println("pythread-agent " + AgentVersion.VERSION);
            return;
        }
        if (args.length >= 1 && args[0].equals("verify")) {
            System.exit(LogVerifier.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length >= 2 && args[0].matches("[0-9]+") && args[1].equals("threads")) {
            threads(args);
            return;
        }
        if (args.length < 1 || args.length > 2 || !args[0].matches("[0-9]+")) {
            System.err.println(USAGE);
            System.exit(2);
        }
        String options = args.length == 2 ? args[1] : "";
        try {
            options = AgentOptions.parse(options).toString();
        } catch (AgentOptions.BadOption e) {
            System.err.println("pythread-agent: " + e.getMessage());
            System.exit(1);
        }
        File launcher = null;
        try {
            launcher = launcherJar(agentJar());
            ByteBuddyAgent.attach(launcher, args[0], options);
        } catch (IOException | RuntimeException e) {
            System.err.println("pythread-agent: cannot attach to process " + args[0] + ": " + causes(e));
            System.exit(1);
        } finally {
            if (launcher != null) {
                launcher.delete(); // read by the target while it attached; it needs it no more
            }
        }
        System.out.println("pythread-agent: attached to process " + args[0]
                + (options.isEmpty() ? "" : " with options " + options));
    }

    /** {@code PID threads [--json]}: the inventory on stdout, or one line on stderr and status 1. */
    private static void threads(String[] args) {
        boolean json = args.length == 3 && args[2].equals("--json");
        if (args.length > 3 || args.length == 3 && !json) {
            System.err.println(USAGE);
            System.exit(2);
        }
        try {
            System.out.print(ThreadsClient.inventory(args[0], json));
            System.out.flush();
        } catch (ThreadsClient.Failure e) {
            System.err.println("pythread-agent: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * The jar the target loads: a manifest alone, whose {@code Boot-Class-Path} names the agent jar by its absolute
     * path. A JVM appends an attached agent's {@code Boot-Class-Path} while it runs and says so for every entry it
     * cannot find, so the agent jar's own manifest, which lists two names of which one is usually absent, would add
     * a line to the target's output; this one lists one entry, which is there, whatever the agent jar is called.
     */
    private static File launcherJar(File agentJar) throws IOException {
        return LauncherJar.write("pythread-agent-attach-", Map.of("Boot-Class-Path", agentJar.toURI().getRawPath(),
                "Can-Retransform-Classes", "true", "Can-Redefine-Classes", "true")).toFile();
    }

    private static File agentJar() {
        try {
            return new File(AttachMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the agent jar", e);
        }
    }

    /**
     * The exception and its causes on one line: Byte Buddy wraps the attach API's own exception (for instance the
     * target's refusal, an {@code AgentInitializationException}) in one that names only the attach provider.
     */
    private static String causes(Throwable failure) {
        StringBuilder line = new StringBuilder(failure.toString());
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            line.append("; caused by ").append(cause);
        }
        return line.toString();
    }
}
