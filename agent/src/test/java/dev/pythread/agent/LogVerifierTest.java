package dev.pythread.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chain=sha256}: logs written by a real {@link LineSink} through {@link RecordChain} to a file, then edited,
 * cut, re-ordered and re-chained in every place — {@link LogVerifier} must name the first bad line each time.
 */
@Timeout(60)
class LogVerifierTest {

    private static final SinkSettings DENYING = new SinkSettings("test", EventFilter.ALL, AgentOptions.OnFail.DENY,
            false);

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final int EVENTS = 10;
    private static final int LINES = EVENTS + 1; // the pythread.log.start header, then the events
    private static final Pattern SEQ = Pattern.compile("^\\{\"seq\":(\\d+),");

    @TempDir
    Path dir;

    /** A chained log of a header and {@link #EVENTS} events, its lines. */
    private List<String> writeLog(Path log, byte[] key) throws IOException {
        LineSink sink = new LineSink(DENYING, JsonlFile.open(log),
                Map.of("pid", "42"), RecordChain.continuing(log, key));
        for (int i = 1; i <= EVENTS; i++) {
            sink.onEvent("app.event", new Object[] {"event " + i});
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertEquals(LINES, lines.size());
        return lines;
    }

    private String verify(List<String> lines, byte[] key) throws IOException {
        Path copy = Files.createTempFile(dir, "tampered", ".jsonl");
        Files.write(copy, lines, StandardCharsets.UTF_8);
        return new LogVerifier(key).verify(copy).message();
    }

    private static long seqOf(String line) {
        Matcher m = SEQ.matcher(line);
        assertTrue(m.find(), line);
        return Long.parseLong(m.group(1));
    }

    @Test
    void anUntouchedLogVerifies() throws IOException {
        Path log = dir.resolve("a.jsonl");
        List<String> lines = writeLog(log, null);
        assertTrue(lines.get(0).startsWith("{\"seq\":1,\"prev\":null,\"time\":"), lines.get(0));
        assertTrue(lines.get(0).contains("\"event\":\"pythread.log.start\""), lines.get(0));
        assertTrue(lines.get(1).matches("\\{\"seq\":2,\"prev\":\"[0-9a-f]{64}\",.*,\"hash\":\"[0-9a-f]{64}\"}"),
                lines.get(1));
        LogVerifier.Verdict verdict = new LogVerifier(null).verify(log);
        assertTrue(verdict.ok());
        assertEquals("ok: 11 records, seq 1..11", verdict.message());
    }

    @Test
    void anEditedLineIsNamedWhereverItIs() throws IOException {
        List<String> lines = writeLog(dir.resolve("a.jsonl"), null);
        for (int k = 0; k < LINES; k++) {
            List<String> tampered = new ArrayList<>(lines);
            tampered.set(k, tampered.get(k).replace("\"pid\":", "\"pId\":"));
            assertEquals("line " + (k + 1) + " (seq " + (k + 1) + "): changed: its hash does not match its content",
                    verify(tampered, null), "edited line " + (k + 1));
        }
    }

    @Test
    void aDeletedLineIsNamedWhereTheChainBreaks() throws IOException {
        List<String> lines = writeLog(dir.resolve("a.jsonl"), null);
        for (int k = 0; k < LINES; k++) {
            List<String> tampered = new ArrayList<>(lines);
            tampered.remove(k);
            String expected;
            if (k == 0) {
                expected = "line 1 (seq 2): the first line of a log must have prev null: the lines before it are "
                        + "missing";
            } else if (k == LINES - 1) {
                expected = "ok: 10 records, seq 1..10"; // cut at a line boundary: no chain can tell (documented)
            } else {
                expected = broken(k + 1, k + 2, k);
            }
            assertEquals(expected, verify(tampered, null), "deleted line " + (k + 1));
        }
    }

    @Test
    void anInsertedCopyOfAnyLineIsNamed() throws IOException {
        List<String> lines = writeLog(dir.resolve("a.jsonl"), null);
        for (int at = 0; at <= LINES; at++) {
            for (int copied = 0; copied < LINES; copied++) {
                List<String> tampered = new ArrayList<>(lines);
                tampered.add(at, lines.get(copied)); // line i (0-based) has seq i + 1
                String expected;
                if (at == 0 && copied != 0) {
                    expected = "line 1 (seq " + (copied + 1) + "): the first line of a log must have prev null: "
                            + "the lines before it are missing";
                } else if (at == copied) {
                    // A duplicate of the line that follows (or of the header, first): the second copy breaks.
                    expected = broken(at + 2, at + 1, at + 1);
                } else {
                    expected = broken(at + 1, copied + 1, at);
                }
                assertEquals(expected, verify(tampered, null),
                        "a copy of line " + (copied + 1) + " inserted before line " + (at + 1));
            }
        }
    }

    private static String broken(int line, long seq, long previousSeq) {
        return "line " + line + " (seq " + seq + "): does not follow line " + (line - 1) + " (seq " + previousSeq
                + "): a record was deleted, inserted, moved, or changed and re-hashed here";
    }

    @Test
    void swappedNeighboursAreNamed() throws IOException {
        List<String> lines = writeLog(dir.resolve("a.jsonl"), null);
        for (int k = 0; k + 1 < LINES; k++) {
            List<String> tampered = new ArrayList<>(lines);
            tampered.set(k, lines.get(k + 1));
            tampered.set(k + 1, lines.get(k));
            String expected = k == 0
                    ? "line 1 (seq 2): the first line of a log must have prev null: the lines before it are missing"
                    : broken(k + 1, k + 2, k);
            assertEquals(expected, verify(tampered, null), "swapped lines " + (k + 1) + " and " + (k + 2));
        }
    }

    @Test
    void aFileCutInsideAnyLineIsNamed() throws IOException {
        Path log = dir.resolve("a.jsonl");
        writeLog(log, null);
        byte[] bytes = Files.readAllBytes(log);
        int line = 1;
        for (int cut = 1; cut < bytes.length; cut++) {
            if (bytes[cut - 1] == '\n') {
                line++;
                continue; // a cut at a line boundary is a shorter, valid log
            }
            Path copy = dir.resolve("cut.jsonl");
            Files.write(copy, Arrays.copyOf(bytes, cut));
            assertEquals("line " + line + ": cut short: the file ends inside this line",
                    new LogVerifier(null).verify(copy).message(), "cut at byte " + cut);
        }
    }

    @Test
    void withAKeyOnlyTheKeyVerifies() throws IOException {
        Path log = dir.resolve("keyed.jsonl");
        List<String> lines = writeLog(log, KEY);
        assertEquals("ok: 11 records, seq 1..11", new LogVerifier(KEY).verify(log).message());
        assertEquals("line 1 (seq 1): changed: its hash does not match its content",
                new LogVerifier(null).verify(log).message(), "a keyed log is not a plain SHA-256 chain");
        byte[] otherKey = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
        assertEquals("line 1 (seq 1): changed: its hash does not match its content",
                new LogVerifier(otherKey).verify(log).message());

        // An intruder edits line 5 and re-chains everything, without the key: plain SHA-256 checks out, the key not.
        List<String> edited = new ArrayList<>(lines);
        edited.set(4, edited.get(4).replace("event 4", "event X"));
        List<String> rechained = rechain(edited, null);
        assertEquals("ok: 11 records, seq 1..11", verify(rechained, null));
        assertEquals("line 1 (seq 1): changed: its hash does not match its content", verify(rechained, KEY));
    }

    @Test
    void aSecondProcessContinuesTheChainOfTheFile() throws IOException {
        Path log = dir.resolve("two.jsonl");
        writeLog(log, KEY);
        LineSink second = new LineSink(DENYING, JsonlFile.open(log),
                Map.of("pid", "43"), RecordChain.continuing(log, KEY));
        second.onEvent("app.event", new Object[] {"from the second process"});
        assertEquals("ok: 13 records, seq 1..2", new LogVerifier(KEY).verify(log).message());
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertFalse(lines.get(11).contains("\"prev\":null"), "the second process's header follows the file");
        lines.remove(10); // the first process's last record: now the break shows
        assertEquals(broken(11, 1, 10), verify(lines, KEY));
    }

    @Test
    void fourThreadsWritingConcurrentlyMakeOneValidChain() throws Exception {
        Path log = dir.resolve("busy.jsonl");
        LineSink sink = new LineSink(DENYING, JsonlFile.open(log),
                Map.of("pid", "42"), RecordChain.continuing(log, null));
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int writer = t;
            writers.add(new Thread(() -> {
                for (int i = 0; i < 5_000; i++) {
                    sink.onEvent("app.event", new Object[] {writer, i});
                }
            }));
        }
        writers.forEach(Thread::start);
        for (Thread writer : writers) {
            writer.join();
        }
        assertEquals("ok: 20001 records, seq 1..20001", new LogVerifier(null).verify(log).message());
    }

    /** What an intruder without the key can do: strip the chain and seal the lines again with plain SHA-256. */
    private static List<String> rechain(List<String> lines, byte[] key) throws IOException {
        Path scratch = Files.createTempFile("rechain", ".jsonl");
        try {
            RecordChain chain = RecordChain.continuing(scratch, key);
            List<String> out = new ArrayList<>();
            for (String line : lines) {
                String plain = line.replaceFirst(",\"prev\":(null|\"[0-9a-f]{64}\")", "")
                        .replaceFirst(",\"hash\":\"[0-9a-f]{64}\"}$", "}");
                RecordChain.Sealed sealed = chain.seal(plain);
                chain.advance(sealed);
                out.add(sealed.line());
            }
            return out;
        } finally {
            Files.deleteIfExists(scratch);
        }
    }
}
