package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSONL audit log shipped off the host by rsyslog, as docs/shipping.md configures it: a
 * shipper rsyslogd tails the file with imfile and forwards each line over TCP (omfwd, octet-counted framing) to a
 * receiver rsyslogd, which writes each message body as it came. The child JVM starts 20 000 threads and renames its
 * log away in the middle (rename-then-reopen, logrotate's default): imfile must read the rest of the old file and then
 * the new one, and every record must arrive exactly once, still a JSON line. Also with the shipper frozen across the
 * rename, and with one file per process ({@code %p}) tailed through a wildcard.
 *
 * <p>Both daemons run in the foreground ({@code rsyslogd -n -f CONF -i PIDFILE}) with their own configuration and
 * work directory in a temp dir, no system sockets (no imuxsock, no imklog) and a free loopback port. Skipped when
 * {@code rsyslogd} is not installed ({@code apt-get install rsyslog}), except under CI ({@code CI=true}), which must
 * have installed it: there the test fails rather than pass by skipping.
 */
class RsyslogShippingTest {

    private static final int ROTATE_AT = 10_000;
    private static final long DELIVERY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(90);

    /**
     * The receiving rsyslogd: each message of the shipper's input, its body alone, into RECEIVED. (The probe, another
     * app-name, goes to its own file.)
     */
    private static final String RECEIVER_CONF = """
            global(workDirectory="@WORK@" maxMessageSize="64k")
            module(load="imtcp")
            template(name="messageOnly" type="string" string="%msg%\\n")
            ruleset(name="received") {
              if $app-name == "pythread" then {
                action(type="omfile" file="@RECEIVED@" template="messageOnly")
              } else {
                action(type="omfile" file="@PROBE_RECEIVED@" template="messageOnly")
              }
            }
            input(type="imtcp" address="127.0.0.1" port="@PORT@" ruleset="received")
            """;

    /**
     * The shipper, as docs/shipping.md gives it: imfile in inotify mode on the file's name or a wildcard that the rotated
     * names do not match (either way it follows a rename: it reads the rest of the old file, then the new one),
     * RFC 5424 with octet-counted framing so that each line arrives as the message body unchanged.
     * (RSYSLOG_ForwardFormat, RFC 3164, would put a space before every line: found by this test.)
     */
    private static final String SHIPPER_CONF = """
            global(workDirectory="@WORK@" maxMessageSize="64k")
            module(load="imfile" mode="inotify")
            ruleset(name="ship") {
              action(type="omfwd" target="127.0.0.1" port="@PORT@" protocol="tcp"
                     tcp_framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format"
                     action.resumeRetryCount="-1" action.resumeInterval="1")
            }
            input(type="imfile" file="@LOG@" tag="pythread" ruleset="ship"
                  readMode="0" freshStartTail="off" reopenOnTruncate="on")
            # A line the test waits for: when it has arrived, the pipeline is up end to end.
            input(type="imfile" file="@PROBE@" tag="probe" ruleset="ship" freshStartTail="off")
            """;

    @TempDir
    Path dir;

    /** Four workers start 5 000 threads each; the rename comes while they go on starting. */
    @Test
    void twentyThousandStartsThroughARotationArriveExactlyOnceAsJsonLines() throws Exception {
        shipThroughARotation(4, 5_000, false, false);
    }

    /**
     * The shipper frozen (SIGSTOP) from 1 000 records before the rename until just after it: the end of the old file
     * is renamed away before imfile has read it, as when a shipper lags behind. imfile still reads it, then the new
     * file.
     */
    @Test
    void aShipperFrozenAcrossTheRenameStillReadsTheEndOfTheOldFile() throws Exception {
        shipThroughARotation(1, 20_000, true, false);
    }

    /**
     * One file per process, as docs/shipping.md advises ({@code audit=jsonl:DIR/threads-%p.jsonl}), tailed by imfile with a
     * wildcard ({@code DIR/threads-*.jsonl}) that the rotated name ({@code threads-PID.jsonl.1}) does not match.
     */
    @Test
    void aWildcardFollowsAPerProcessFileThroughARotation() throws Exception {
        shipThroughARotation(4, 5_000, false, true);
    }

    private void shipThroughARotation(int workers, int perWorker, boolean freezeAcrossTheRename, boolean wildcard)
            throws Exception {
        Path rsyslogd = Rsyslogd.find();
        if (rsyslogd == null && "true".equals(System.getenv("CI"))) {
            fail("rsyslogd is not installed, and under CI this test must run: .ci/run installs rsyslog");
        }
        assumeTrue(rsyslogd != null,
                "rsyslogd is not installed (apt-get install -y rsyslog): the rsyslog shipping test is skipped");

        String logName = wildcard ? "threads-%p.jsonl" : "threads.jsonl";
        String tailed = dir.resolve(wildcard ? "threads-*.jsonl" : logName).toString();
        Path received = dir.resolve("received.jsonl");
        Path probe = dir.resolve("probe.log");
        Path probeReceived = dir.resolve("probe-received.log");
        Path gate = dir.resolve("gate");
        Files.writeString(probe, "probe\n");
        int port = freePort();
        Path receiverConf = config("receiver", RECEIVER_CONF.replace("@RECEIVED@", received.toString())
                .replace("@PROBE_RECEIVED@", probeReceived.toString()).replace("@PORT@", Integer.toString(port)));
        Path shipperConf = config("shipper", SHIPPER_CONF.replace("@LOG@", tailed)
                .replace("@PROBE@", probe.toString()).replace("@PORT@", Integer.toString(port)));

        List<String> childArgs = new ArrayList<>(List.of(Integer.toString(workers), Integer.toString(perWorker),
                Integer.toString(ROTATE_AT), dir.resolve(logName).toString(), dir.resolve(logName + ".1").toString()));
        if (freezeAcrossTheRename) {
            childArgs.add(gate.toString());
        }
        List<String> written;
        List<String> arrived;
        try (Rsyslogd receiver = Rsyslogd.start(rsyslogd, receiverConf, dir.resolve("receiver"))) {
            awaitListening(port, receiver);
            try (Rsyslogd shipper = Rsyslogd.start(rsyslogd, shipperConf, dir.resolve("shipper"))) {
                awaitLines(probeReceived, 1, shipper, receiver);

                long start = System.nanoTime();
                written = runTheChild(childArgs, logName, freezeAcrossTheRename, received, gate, shipper, receiver);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                System.out.printf("rsyslog%s%s: %d records written, %d received; child start to last record "
                        + "received: %d ms%n", freezeAcrossTheRename ? " (frozen)" : "", wildcard ? " (wildcard)" : "",
                        written.size(), lines(received).size(), millis);
                shipper.stop();
            }
            receiver.stop();
            arrived = lines(received);
        }

        assertWrittenIsTheWholeRun(written, workers * perWorker);
        assertExactlyOnce(written, arrived);
        for (JsonNode record : AuditLog.of(received.toString(), arrived).records()) {
            assertTrue(record.isObject() && record.has("seq") && record.has("event"), record::toString);
        }
    }

    /**
     * Runs RotatingStarts under the agent (frozen: with the shipper stopped from the gate until the rename), waits
     * until the receiver has as many lines as the log's two files, and returns those lines, the rotated file's first.
     */
    private List<String> runTheChild(List<String> childArgs, String logName, boolean freezeAcrossTheRename,
            Path received, Path gate, Rsyslogd shipper, Rsyslogd receiver) throws IOException, InterruptedException {
        try (Child child = Child.start(dir, childArgs)) {
            Path log = dir.resolve(logName.replace("%p", Long.toString(child.pid())));
            if (freezeAcrossTheRename) {
                child.awaitLine("holding");
                int caughtUp = lines(log).size();
                awaitLines(received, caughtUp, shipper, receiver); // imfile has the file open and has read it all
                shipper.signal("STOP");
                try {
                    // A line the shipper sent just before the stop may still be on its way to the receiver (or a
                    // line the JVM wrote after the count above): count once that has landed, not before.
                    int frozenAt = settledLineCount(received);
                    Files.createFile(gate);
                    child.awaitLine("rotated");
                    assertEquals(frozenAt, lines(received).size(), "nothing arrives while the shipper is frozen");
                } finally {
                    shipper.signal("CONT");
                }
            }
            ChildJvm.Result result = child.awaitExit();
            assertEquals(0, result.exitCode(), result::toString);
            assertEquals("", result.stderr(), result::toString);
            assertEquals(freezeAcrossTheRename ? List.of("holding", "rotated", "done") : List.of("rotated", "done"),
                    result.stdoutLines(), result::toString);
            List<String> written = new ArrayList<>(lines(dir.resolve(log.getFileName() + ".1")));
            written.addAll(lines(log));
            awaitLines(received, written.size(), shipper, receiver);
            return written;
        }
    }

    /**
     * The two files hold one run: seq 1..N without a gap across the rotation, one record per start by a starter
     * thread, some of them over 20 000 bytes long.
     */
    private static void assertWrittenIsTheWholeRun(List<String> written, int starts) throws IOException {
        List<JsonNode> records = AuditLog.of("the log's two files, the rotated one first", written)
                .assertSeqContiguousFromOne().records();
        Set<String> started = new HashSet<>();
        int longLines = 0;
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            if (record.get("event").asText().equals(AuditLog.START)
                    && record.get("thread").get("name").asText().startsWith("starter-")) {
                String thread = record.get("args").get(0).asText();
                assertTrue(started.add(thread), () -> "one record per start: " + thread);
                longLines += written.get(i).length() > 20_000 ? 1 : 0;
            }
        }
        assertEquals("pythread.log.start", records.get(0).get("event").asText());
        assertEquals(starts, started.size());
        assertEquals(4, longLines, "records of the long thread names");
    }

    /** {@code arrived} holds each line of {@code written} exactly once, and nothing else. */
    private static void assertExactlyOnce(List<String> written, List<String> arrived) {
        Map<String, Integer> counts = new HashMap<>();
        for (String line : written) {
            counts.merge(line, 1, Integer::sum);
        }
        assertEquals(written.size(), counts.size(), "written lines are unique (each has its own seq)");
        List<String> duplicated = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String line : arrived) {
            Integer left = counts.get(line);
            if (left == null) {
                unknown.add(line);
            } else if (left == 0) {
                duplicated.add(line);
            } else {
                counts.put(line, 0);
            }
        }
        List<String> missing = counts.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey)
                .sorted().toList();
        if (!missing.isEmpty() || !duplicated.isEmpty() || !unknown.isEmpty()) {
            fail(written.size() + " written, " + arrived.size() + " arrived: " + missing.size() + " missing "
                    + head(missing) + ", " + duplicated.size() + " twice " + head(duplicated) + ", " + unknown.size()
                    + " not written (changed on the way?) " + head(unknown));
        }
        assertEquals(written.size(), arrived.size());
    }

    private static List<String> head(List<String> lines) {
        return lines.subList(0, Math.min(3, lines.size()));
    }

    /** Writes {@code NAME.conf} with its own work directory {@code NAME/} and returns its path. */
    private Path config(String name, String text) throws IOException {
        Path work = Files.createDirectories(dir.resolve(name));
        return Files.writeString(dir.resolve(name + ".conf"), text.replace("@WORK@", work.toString()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Waits (up to 30 s) for {@code daemon} to accept TCP connections on 127.0.0.1:{@code port}. */
    private static void awaitListening(int port, Rsyslogd daemon) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            daemon.assertAlive();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("rsyslogd never listened on port " + port + "\n" + daemon.output());
    }

    /** Polls until {@code file} has at least {@code count} lines, failing after 90 s or when a daemon dies. */
    private static void awaitLines(Path file, int count, Rsyslogd... daemons) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + DELIVERY_TIMEOUT_NANOS;
        int have = 0;
        while (System.nanoTime() < deadline) {
            have = Files.exists(file) ? lines(file).size() : 0;
            if (have >= count) {
                return;
            }
            for (Rsyslogd daemon : daemons) {
                daemon.assertAlive();
            }
            Thread.sleep(100);
        }
        StringBuilder outputs = new StringBuilder();
        for (Rsyslogd daemon : daemons) {
            outputs.append(daemon.output());
        }
        throw new AssertionError(file + ": " + have + " of " + count + " lines after 90 s\n" + outputs);
    }

    /** The number of lines of {@code file} once it has not changed for half a second (at most 10 s). */
    private static int settledLineCount(Path file) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int count = lines(file).size();
        int unchangedPolls = 0;
        while (unchangedPolls < 5 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            int now = lines(file).size();
            unchangedPolls = now == count ? unchangedPolls + 1 : 0;
            count = now;
        }
        return count;
    }

    private static List<String> lines(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.toList();
        }
    }

    /** The child JVM under the agent, in the background: RotatingStarts with its output in files; closing kills it. */
    private static final class Child implements AutoCloseable {

        private final Process process;
        private final Path out;
        private final Path err;

        private Child(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        static Child start(Path dir, List<String> args) throws IOException {
            List<String> command = new ArrayList<>(List.of(ChildJvm.JAVA, ChildJvm.agent("audit=jsonl:" + args.get(3)),
                    "-cp",
                    ChildJvm.TEST_CLASSES, "dev.pythread.it.apps.RotatingStarts"));
            command.addAll(args);
            Path out = dir.resolve("child.out");
            Path err = dir.resolve("child.err");
            Process process = ChildJvm.startInBackground(command, out, err);
            return new Child(process, out, err);
        }

        long pid() {
            return process.pid();
        }

        /** Waits (up to 60 s) for the child to print {@code line}. */
        void awaitLine(String line) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!lines(out).contains(line)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError("the child never printed " + line + "\n" + result(-1));
                }
                Thread.sleep(5);
            }
        }

        ChildJvm.Result awaitExit() throws IOException, InterruptedException {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("child JVM timed out\n" + result(-1));
            }
            return result(process.exitValue());
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor();
            }
        }

        private ChildJvm.Result result(int exitCode) throws IOException {
            return new ChildJvm.Result(exitCode, Files.readString(out), Files.readString(err));
        }
    }
}
