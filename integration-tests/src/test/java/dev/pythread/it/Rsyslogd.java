package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One rsyslogd in the foreground ({@code rsyslogd -n -f CONF -i WORK/rsyslogd.pid}), its stdout and stderr in
 * {@code WORK/output}; closing stops it (SIGTERM, then KILL).
 */
final class Rsyslogd implements AutoCloseable {

    private final Process process;
    private final Path conf;
    private final Path output;

    private Rsyslogd(Process process, Path conf, Path output) {
        this.process = process;
        this.conf = conf;
        this.output = output;
    }

    /** {@code rsyslogd} on the PATH or in the sbin directories (not on a non-root PATH on Debian); null if absent. */
    static Path find() {
        String path = System.getenv().getOrDefault("PATH", "");
        List<String> dirs = new ArrayList<>(List.of(path.split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/sbin"));
        for (String d : dirs) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "rsyslogd"))) {
                return Path.of(d, "rsyslogd");
            }
        }
        return null;
    }

    /** Starts {@code rsyslogd} with {@code conf}; {@code work} must exist. */
    static Rsyslogd start(Path rsyslogd, Path conf, Path work) throws IOException {
        Path output = work.resolve("output");
        Process process = new ProcessBuilder(rsyslogd.toString(), "-n", "-f", conf.toString(),
                "-i", work.resolve("rsyslogd.pid").toString())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        return new Rsyslogd(process, conf, output);
    }

    void assertAlive() throws IOException {
        if (!process.isAlive()) {
            throw new AssertionError("rsyslogd -f " + conf + " exited with " + process.exitValue() + "\n"
                    + output());
        }
    }

    String output() throws IOException {
        return "--- rsyslogd -f " + conf + "\n" + Files.readString(conf) + "--- its output\n"
                + (Files.exists(output) ? Files.readString(output) : "") + "\n";
    }

    /** {@code kill -NAME} the daemon (STOP, CONT). */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + name);
    }

    /** SIGTERM, then up to 20 s for rsyslogd to flush and exit (then SIGKILL). */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
