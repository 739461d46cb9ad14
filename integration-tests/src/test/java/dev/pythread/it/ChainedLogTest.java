package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chain=sha256} end to end: the built agent writes a chained log of a real application's thread starts, and
 * {@code java -jar pythread-agent.jar verify} checks it, with and without {@code key=}, before and after tampering.
 */
class ChainedLogTest {

    private static final String BROKEN_AFTER_LINE_2 = "line 3 (seq 3): changed: its hash does not match its content";

    @TempDir
    Path dir;

    @Test
    void fourThreadsTimesFiveThousandStartsVerify() throws IOException {
        Path log = dir.resolve("busy.jsonl");
        ChildJvm.Result run = ChildJvm.run(List.of(ChildJvm.agent("audit=jsonl:" + log + ",chain=sha256")),
                "dev.pythread.it.apps.ManyStarts", "4", "5000");
        assertEquals(0, run.exitCode(), run::toString);
        long records = Files.readAllLines(log, StandardCharsets.UTF_8).size();
        assertTrue(records > 20_000, "20 000 starts, the starters and the header: " + records);
        ChildJvm.Result verify = verify(log.toString());
        assertEquals(0, verify.exitCode(), verify::toString);
        assertEquals(List.of("ok: " + records + " records, seq 1.." + records), verify.stdoutLines());

        editLine(log, 3);
        ChildJvm.Result tampered = verify(log.toString());
        assertEquals(1, tampered.exitCode(), tampered::toString);
        assertEquals(List.of(BROKEN_AFTER_LINE_2), tampered.stdoutLines());
    }

    @Test
    void aKeyedLogVerifiesOnlyWithItsKey() throws IOException {
        Path key = dir.resolve("audit.key");
        Files.writeString(key, "4f1c8e2b9a7d6c5e3b2a1f0e9d8c7b6a\n", StandardCharsets.US_ASCII);
        Path log = dir.resolve("keyed.jsonl");
        ChildJvm.Result run = ChildJvm.run(List.of(ChildJvm.agent("audit=jsonl:" + log + ",chain=sha256,key=" + key)),
                "dev.pythread.it.apps.ManyStarts", "2", "10");
        assertEquals(0, run.exitCode(), run::toString);
        long records = Files.readAllLines(log, StandardCharsets.UTF_8).size();
        assertEquals(List.of("ok: " + records + " records, seq 1.." + records),
                verify(log.toString(), "--key", key.toString()).stdoutLines());
        ChildJvm.Result withoutKey = verify(log.toString());
        assertEquals(1, withoutKey.exitCode(), withoutKey::toString);
        assertEquals(List.of("line 1 (seq 1): changed: its hash does not match its content"),
                withoutKey.stdoutLines());
    }

    @Test
    void aShortKeyStopsTheJvmWithOneLine() throws IOException {
        Path key = dir.resolve("short.key");
        Files.writeString(key, "hunter2", StandardCharsets.US_ASCII);
        Path log = dir.resolve("never.jsonl");
        ChildJvm.Result run = ChildJvm.run(List.of(ChildJvm.agent("audit=jsonl:" + log + ",chain=sha256,key=" + key)),
                "dev.pythread.it.apps.Hello");
        assertEquals(1, run.exitCode(), run::toString);
        assertEquals("", run.stdout());
        assertEquals(List.of("pythread-agent: option key: " + key + " holds 7 bytes; a key needs at least 16 "
                + "(e.g. openssl rand -hex 32 > " + key + ")"), run.stderrLines());
    }

    @Test
    void verifyWithoutAFileShowsItsUsage() {
        ChildJvm.Result usage = verify();
        assertEquals(2, usage.exitCode(), usage::toString);
        assertEquals(List.of("usage: java -jar pythread-agent.jar verify FILE [--key PATH]"), usage.stderrLines());
    }

    private static ChildJvm.Result verify(String... args) {
        List<String> command = new ArrayList<>(List.of(ChildJvm.JAVA, "-jar", ChildJvm.AGENT_JAR.toString(),
                "verify"));
        command.addAll(List.of(args));
        return ChildJvm.exec(command);
    }

    /** Changes one character of line {@code n} (1-based) of the file, as an editor would. */
    private static void editLine(Path log, int n) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        lines.set(n - 1, lines.get(n - 1).replace("\"pid\":", "\"pId\":"));
        Files.write(log, lines, StandardCharsets.UTF_8);
    }
}
