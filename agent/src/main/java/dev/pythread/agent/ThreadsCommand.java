package dev.pythread.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * The target's half of {@code java -jar pythread-agent.jar PID threads [--json]} ({@link ThreadsClient} is the
 * attaching half): the client loads the agent's {@code Agent-Class} once more, with the argument
 * {@code threads:text:FILE} or {@code threads:json:FILE} instead of options, and this writes the
 * {@link ThreadInventory} into {@code FILE}, which the client created and reads.
 *
 * <p>Before it loads anything the client reads the target's agent properties (the attach API's
 * {@code getAgentProperties()}, where the JDK's management agent publishes its address too), into which
 * {@link #publish} wrote, as the agent installed, its version and whether it keeps the inventory: a JVM without
 * the agent is told so without an agent load, which would print a stack trace in that JVM.
 */
final class ThreadsCommand {

    /** The agent argument that is a command, not options; no option string starts so (options are key=value). */
    static final String PREFIX = "threads:";
    static final String TEXT = "text";
    static final String JSON = "json";

    /** The agent property that says which agent version runs here. */
    static final String VERSION_PROPERTY = "dev.pythread.agent.version";
    /** The agent property that says {@code on} or {@code off}: whether the agent keeps the inventory. */
    static final String INVENTORY_PROPERTY = "dev.pythread.agent.inventory";

    private ThreadsCommand() {
    }

    /** What both halves say of a JVM whose agent runs with {@code inventory=off}. */
    static String inventoryOff(String pid) {
        return "process " + pid + " runs pythread-agent with inventory=off, so it keeps no record of who started its "
                + "threads";
    }

    static boolean isCommand(String arguments) {
        return arguments != null && arguments.startsWith(PREFIX);
    }

    /**
     * Publishes the agent's presence in this JVM's agent properties, for {@link ThreadsClient}: unseen by the
     * application (they are not system properties) and read without loading anything into this JVM. A JDK without
     * {@code jdk.internal.vm.VMSupport} publishes nothing; the command then says this JVM runs no agent.
     *
     * @param agentProperties the JDK's agent properties, or {@code null} if this JDK has none
     */
    static void publish(Properties agentProperties, boolean inventory) {
        if (agentProperties != null) {
            agentProperties.setProperty(VERSION_PROPERTY, AgentVersion.VERSION);
            agentProperties.setProperty(INVENTORY_PROPERTY, inventory ? "on" : "off");
        }
    }

    /**
     * Runs {@code threads:FORMAT:FILE} in the attached JVM, on the JDK's attach thread. A failure is one line on this
     * JVM's stderr (the client, which finds {@code FILE} empty, says where to look): the application goes on.
     */
    static void run(String arguments) {
        String command = arguments.substring(PREFIX.length());
        int colon = command.indexOf(':');
        String format = colon < 0 ? "" : command.substring(0, colon);
        if (colon < 0 || !(format.equals(TEXT) || format.equals(JSON))) {
            AgentInstaller.warn("bad threads command '" + arguments + "'; expected threads:text:FILE or "
                    + "threads:json:FILE");
            return;
        }
        Path file = Paths.get(command.substring(colon + 1));
        LiveThreads live = ThreadDispatch.liveThreads();
        long pid = ProcessHandle.current().pid();
        String report;
        if (live == null) {
            report = "pythread-agent: " + inventoryOff(Long.toString(pid)) + System.lineSeparator();
        } else {
            ThreadInventory inventory = ThreadInventory.take(live);
            report = format.equals(JSON) ? inventory.json(pid) + System.lineSeparator() : inventory.text(pid);
        }
        try {
            // The client made the file (only its user may write it); a missing one is not created here.
            Files.writeString(file, report, StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException | RuntimeException e) {
            AgentInstaller.warn("cannot write the thread inventory to " + file + ": " + e);
        }
    }
}
