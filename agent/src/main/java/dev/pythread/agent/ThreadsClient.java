package dev.pythread.agent;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * {@code java -jar pythread-agent.jar PID threads [--json]}: the live thread inventory of a JVM that runs the agent
 * ({@link ThreadsCommand} is the target's half), printed on stdout.
 *
 * <ol>
 *   <li>Attach, and read the target's agent properties: no {@code dev.pythread.agent.version} there means no agent
 *       (exit 1, the target untouched); {@code dev.pythread.agent.inventory=off}, no inventory (exit 1).</li>
 *   <li>Create an empty file only this user may write, and load into the target a jar that is a manifest alone,
 *       naming the agent's {@code Agent-Class} and no {@code Boot-Class-Path}: the target's system class loader
 *       finds that class in its bootstrap loader, where the running agent is, so nothing new is loaded and no class
 *       path grows (an appended boot class path would make HotSpot print a class-sharing warning).</li>
 *   <li>Print what the target wrote into the file; delete both files.</li>
 * </ol>
 * On JDK 21+ the target prints the JDK's warning that an agent was loaded dynamically (JEP 451) unless it runs with
 * {@code -XX:+EnableDynamicAgentLoading}, which is the flag the JDK asks serviceability tools to use.
 */
final class ThreadsClient {

    private ThreadsClient() {
    }

    /** What went wrong, in the one line the user reads after {@code "pythread-agent: "}. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    /**
     * The inventory of process {@code pid}, as the target wrote it.
     *
     * @param json the JSON form rather than text
     */
    static String inventory(String pid, boolean json) throws Failure {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(pid);
        } catch (AttachNotSupportedException | IOException | RuntimeException e) {
            throw new Failure("cannot attach to process " + pid + ": " + e);
        }
        Path report = null;
        Path launcher = null;
        try {
            Properties properties = vm.getAgentProperties();
            if (properties.getProperty(ThreadsCommand.VERSION_PROPERTY) == null) {
                throw new Failure("process " + pid + " does not run pythread-agent (start it with "
                        + "-javaagent:pythread-agent.jar, or attach it: java -jar pythread-agent.jar " + pid + ")");
            }
            if ("off".equals(properties.getProperty(ThreadsCommand.INVENTORY_PROPERTY))) {
                throw new Failure(ThreadsCommand.inventoryOff(pid));
            }
            report = Files.createTempFile("pythread-threads-", json ? ".json" : ".txt");
            launcher = LauncherJar.write("pythread-agent-threads-", Map.of());
            vm.loadAgent(launcher.toString(), ThreadsCommand.PREFIX + (json ? ThreadsCommand.JSON
                    : ThreadsCommand.TEXT) + ":" + report);
            String written = Files.readString(report, StandardCharsets.UTF_8);
            if (written.isEmpty()) {
                throw new Failure("process " + pid + " wrote no inventory into " + report + "; its stderr says why");
            }
            return written;
        } catch (AgentLoadException | AgentInitializationException | IOException e) {
            throw new Failure("cannot ask process " + pid + " for its threads: " + e);
        } finally {
            deleteQuietly(report);
            deleteQuietly(launcher);
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the target may have gone; the answer, or the failure, is what the user needs
            }
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file left in the temporary directory
            }
        }
    }
}
