package dev.pythread.agent;

import dev.pythread.Audit.AuditHook;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Opens the sinks named by the option {@code audit=}, in the order given. A jsonl file that cannot be opened for
 * appending is a bad option: the JVM does not start, rather than run unaudited.
 */
final class AuditSinks {

    private AuditSinks() {
    }

    static List<AuditHook> open(AgentOptions options) throws AgentOptions.BadOption {
        List<AuditHook> sinks = new ArrayList<>();
        for (AuditSink sink : options.sinks()) {
            switch (sink.kind()) {
                case STDERR:
                    sinks.add(LineSink.toStderr(SinkSettings.of(sink.toString(), options)));
                    break;
                case JFR:
                    sinks.add(new JfrSink(SinkSettings.of(sink.toString(), options)));
                    break;
                case LOGGER:
                    sinks.add(new LoggerSink(SinkSettings.of(sink.toString(), options)));
                    break;
                default:
                    sinks.add(openJsonl(sink, options));
            }
        }
        return sinks;
    }

    /**
     * Whether some sink will record every thread start with its caller: a stderr, logger or jsonl sink whose events
     * include {@code _thread.start_new_thread}, with {@code caller=frame}. The jfr sink does not count: it records
     * only while a recording runs, and no recording should not cost a stack walk.
     */
    static boolean recordEveryStartCaller(AgentOptions options) {
        return options.attributeCaller() && options.events().accepts(AgentEvents.START)
                && options.sinks().stream().anyMatch(AuditSink::writesEveryRecord);
    }

    /** {@code jsonl:PATH}: {@code %p} in PATH becomes the process id. */
    private static LineSink openJsonl(AuditSink spec, AgentOptions options) throws AgentOptions.BadOption {
        String pid = Long.toString(ProcessHandle.current().pid());
        String pathText = spec.path().replace("%p", pid);
        LineTarget target;
        Path path;
        try {
            path = Paths.get(pathText).toAbsolutePath();
            if (Files.isDirectory(path)) {
                throw new IOException("it is a directory");
            }
            target = JsonlFile.open(path);
        } catch (IOException | InvalidPathException | SecurityException e) {
            throw new AgentOptions.BadOption("option audit: cannot open " + spec + " for appending ("
                    + describe(e) + ")");
        }
        RecordChain chain = null;
        if (options.chain() == AgentOptions.ChainMode.SHA256) {
            byte[] key = options.keyFile() == null ? null : RecordChain.readKey(Path.of(options.keyFile()));
            try {
                chain = RecordChain.continuing(path, key);
            } catch (IOException | RuntimeException e) {
                throw new AgentOptions.BadOption("option chain: cannot read the last line of " + path + " ("
                        + describe(e) + ")");
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pid", pid);
        ProcessHandle.current().info().startInstant().ifPresent(started -> details.put("started", started));
        details.put("jvm", Runtime.version().toString());
        details.put("agent", AgentVersion.VERSION);
        details.put("options", options.toString());
        return new LineSink(SinkSettings.of("jsonl:" + path, options), target, details, chain);
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
