package dev.pythread.agent;

import java.io.File;
import java.net.URISyntaxException;
import java.util.Arrays;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * {@code java -jar pythread-agent.jar PID [OPTIONS]}: loads the agent into the running JVM with process id
 * {@code PID} (byte-buddy-agent's attach), which then audits the threads started from that moment on. And
 * {@code java -jar pythread-agent.jar verify FILE [--key PATH]}: {@link LogVerifier}.
 *
 * <p>The options are checked here first, so that a typo is reported to the person typing, not in the target's
 * stderr. On JDK 21+ the target prints its own warning that an agent was loaded dynamically (JEP 451) unless it
 * was started with {@code -XX:+EnableDynamicAgentLoading}; that warning is the JDK's, and is left alone.
 */
public final class AttachMain {

    private static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar pythread-agent.jar PID [OPTIONS]",
            "       java -jar pythread-agent.jar verify FILE [--key PATH]",
            "  Loads pythread-agent into the running JVM with process id PID;",
            "  or checks a log written with chain=sha256 and names its first bad record.",
            "  OPTIONS: key=value pairs separated by commas, as for -javaagent:pythread-agent.jar=OPTIONS:",
            "    audit=jsonl:PATH|stderr|jfr|logger[+...]  where audit records go",
            "    events=GLOB[+GLOB...]        which audit events are recorded (default: all)",
            "    unraisable=jvm|python        who writes uncaught exceptions (default: jvm)",
            "    hook=CLASS                   an Audit.AuditHook / Unraisable.UnraisableHook to install",
            "    onfail=warn|deny             what a failing audit sink does (default: warn)",
            "    caller=frame|off             whether start records say who started the thread (default: frame)",
            "    policy=PATH                  a thread policy file: which code may start threads",
            "    chain=sha256|off             chain jsonl records into a tamper-evident log (default: off)",
            "    key=PATH                     with chain=sha256: a secret file, for HMAC-SHA256");

    private AttachMain() {
    }

    /**
     * Attaches the agent.
     *
     * @param args {@code PID [OPTIONS]}, or {@code verify FILE [--key PATH]}
     */
    public static void main(String[] args) {
        if (args.length >= 1 && args[0].equals("verify")) {
            System.exit(LogVerifier.run(Arrays.copyOfRange(args, 1, args.length)));
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
        try {
            ByteBuddyAgent.attach(agentJar(), args[0], options);
        } catch (RuntimeException e) {
            System.err.println("pythread-agent: cannot attach to process " + args[0] + ": " + e);
            System.exit(1);
        }
        System.out.println("pythread-agent: attached to process " + args[0]
                + (options.isEmpty() ? "" : " with options " + options));
    }

    private static File agentJar() {
        try {
            return new File(AttachMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the agent jar", e);
        }
    }
}
