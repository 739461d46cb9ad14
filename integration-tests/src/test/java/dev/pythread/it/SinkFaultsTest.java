package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pythread.it.apps.StepStarts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The jsonl file breaks while the application runs, twice, and is mended each time. Between the faults the child
 * ({@link StepStarts}) starts threads on command:
 * <ul>
 *   <li>{@code onfail=warn}: every start goes on; each fault is one burst — one stderr line naming the cause — and
 *       when the file works again a {@code pythread.log.dropped} record gives the exact number of records lost, just
 *       before the record that follows; {@code seq} stays contiguous across the files (it counts written records);</li>
 *   <li>{@code onfail=deny}: each start during the fault throws, naming the cause; nothing is dropped or counted;</li>
 *   <li>in both, writing resumes as soon as the fault is gone, and every thread that started has its record.</li>
 * </ul>
 * The faults: the file deleted (no fault at all: the sink opens a new file at the path), made immutable with
 * {@code chattr +i} (the only read-only that stops root, and it also stops writes through an already open descriptor;
 * {@code chmod} stops neither), the path turned into a directory, the path turned into a symbolic link to
 * {@code /dev/full}. The tests run as root in CI; where {@code chattr +i} is refused (no {@code CAP_LINUX_IMMUTABLE},
 * a file system without the flag) that case is skipped, saying why.
 */
class SinkFaultsTest {

    private static final long ANSWER_SECONDS = 30;
    /** {@code JsonlFile.CHECK_AT_LEAST_EVERY_NANOS}, and a margin. */
    private static final long NOTICED_WITHIN_MILLIS = 1_100;

    @TempDir
    Path dir;

    /** What happens to PATH, and how it is mended; {@code aside} is where the old file goes, if it goes. */
    enum Fault {
        DELETED(null) {
            @Override
            void apply(Path log, Path aside) throws Exception {
                Files.createLink(aside, log);
                Files.delete(log);
            }

            @Override
            void clear(Path log) {
            }
        },
        IMMUTABLE("java.io.IOException: Operation not permitted") {
            @Override
            void apply(Path log, Path aside) throws Exception {
                chattr("+i", log);
            }

            @Override
            boolean replacesThePath() {
                return false;
            }

            @Override
            void clear(Path log) throws Exception {
                chattr("-i", log);
            }
        },
        DIRECTORY("java.io.FileNotFoundException: PATH (Is a directory)") {
            @Override
            void apply(Path log, Path aside) throws Exception {
                Files.move(log, aside);
                Files.createDirectory(log);
            }

            @Override
            void clear(Path log) throws Exception {
                Files.delete(log);
            }
        },
        DEV_FULL("java.io.IOException: No space left on device") {
            @Override
            void apply(Path log, Path aside) throws Exception {
                Files.move(log, aside);
                Files.createSymbolicLink(log, Path.of("/dev/full"));
            }

            @Override
            void clear(Path log) throws Exception {
                Files.delete(log);
            }
        };

        /** How the sink's write fails ({@code PATH} stands for the log's path); {@code null}: it does not. */
        final String cause;

        Fault(String cause) {
            this.cause = cause;
        }

        abstract void apply(Path log, Path aside) throws Exception;

        /** Whether the file at PATH is another one afterwards, which the sink notices a moment later. */
        boolean replacesThePath() {
            return true;
        }

        abstract void clear(Path log) throws Exception;
    }

    @ParameterizedTest(name = "{0}, onfail={1}")
    @CsvSource({"DELETED, warn", "DELETED, deny", "IMMUTABLE, warn", "IMMUTABLE, deny", "DIRECTORY, warn",
        "DIRECTORY, deny", "DEV_FULL, warn", "DEV_FULL, deny"})
    void aFaultMidRunIsHandledAsOnfailSaysAndWritingResumesWhenItIsGone(Fault fault, String onfail) throws Exception {
        Path log = dir.resolve("threads.jsonl");
        if (fault == Fault.IMMUTABLE) {
            assumeImmutableWorks();
        }
        Path err = dir.resolve("child.err");
        Process child = new ProcessBuilder(ChildJvm.JAVA, ChildJvm.agent("audit=jsonl:" + log
                + ",events=_thread.*,onfail=" + onfail), "-cp", ChildJvm.TEST_CLASSES, StepStarts.class.getName())
                .redirectError(err.toFile()).start();
        List<String> out = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        boolean deny = onfail.equals("deny");
        boolean faulty = fault.cause != null;
        try (Conversation talk = new Conversation(child, out)) {
            int[] during = {3, 4};
            assertEquals("started 2 refused 0", talk.ask("start 2"));
            for (int round = 0; round < during.length; round++) {
                Path aside = dir.resolve("before-fault-" + round + ".jsonl");
                fault.apply(log, aside);
                if (fault.replacesThePath()) {
                    // The sink compares PATH with its open file when its watch reports PATH, and at least once a
                    // second: after a second the next record sees the fault. (Sooner, records go into the file that
                    // was moved aside, where they stay: JsonlFileTest.)
                    Thread.sleep(NOTICED_WITHIN_MILLIS);
                }
                try {
                    int refused = faulty && deny ? during[round] : 0;
                    assertEquals("started " + (during[round] - refused) + " refused " + refused,
                            talk.ask("start " + during[round]));
                } finally {
                    fault.clear(log);
                }
                if (Files.exists(aside)) {
                    files.add(aside);
                }
                assertEquals("started 2 refused 0", talk.ask("start 2"));
            }
            child.getOutputStream().close();
            assertEquals("done", talk.next());
            assertTrue(child.waitFor(ANSWER_SECONDS, TimeUnit.SECONDS), "the child ends at the end of its input");
        } finally {
            child.destroyForcibly();
            if (fault == Fault.IMMUTABLE) {
                Fault.IMMUTABLE.clear(log); // or @TempDir cannot clean up
            }
        }
        files.add(log);
        String diagnosis = "stdout " + out + "\nstderr " + Files.readString(err);
        assertEquals(0, child.exitValue(), diagnosis);

        String cause = faulty ? fault.cause.replace("PATH", log.toString()) : null;
        List<String> refusals = out.stream().filter(line -> line.startsWith("refused ")).collect(Collectors.toList());
        List<String> warnings = Files.readAllLines(err);
        if (faulty && deny) {
            assertEquals(7, refusals.size(), diagnosis); // s-3..s-5 and s-8..s-11
            for (String refusal : refusals) {
                assertTrue(refusal.endsWith(": pythread-agent: audit sink jsonl:" + log + " cannot record "
                        + "_thread.start_new_thread (" + cause + "), so the operation is denied (onfail=deny)"),
                        diagnosis);
            }
            assertEquals(List.of(), warnings, diagnosis);
        } else {
            assertEquals(List.of(), refusals, diagnosis);
            String warning = "pythread-agent: audit sink jsonl:" + log + " failed (" + cause
                    + "); dropping and counting records until it works again (onfail=warn)";
            assertEquals(faulty ? List.of(warning, warning) : List.of(), warnings, diagnosis); // one per burst
        }

        // The log, across the files the path held in turn: seq contiguous, the starts that went on recorded,
        // and under warn the exact count of what was lost, just before the next record.
        List<String> expected = new ArrayList<>(List.of("pythread.log.start"));
        int thread = 1;
        for (int step : new int[] {2, 3, 2, 4, 2}) {
            boolean duringFault = step != 2;
            if (duringFault && faulty && !deny) { // written with the first record after the fault
                expected.add("pythread.log.dropped " + step);
                thread += step;
                continue;
            }
            for (int i = 0; i < step; i++, thread++) {
                if (!(duringFault && faulty)) {
                    expected.add("_thread.start_new_thread s-" + thread);
                }
            }
        }
        List<String> lines = new ArrayList<>();
        for (Path file : files) {
            lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
        }
        List<String> recorded = AuditLog.of(files.toString(), lines).assertSeqContiguousFromOne().records().stream()
                .map(SinkFaultsTest::describe).collect(Collectors.toCollection(ArrayList::new));
        recorded.removeIf(line -> line.startsWith("_thread.start_new_thread ") && !line.matches(".* s-\\d+"));
        assertEquals(expected, recorded, diagnosis);
    }

    /** {@code EVENT NAME} for a start ({@code NAME} the started thread's), {@code EVENT COUNT} for a dropped count. */
    private static String describe(JsonNode record) {
        String event = record.get("event").asText();
        switch (event) {
            case "_thread.start_new_thread":
                return event + " " + AuditLog.startedThreadName(record);
            case "pythread.log.dropped":
                return event + " " + record.get("args").get(0).asText();
            default:
                return event;
        }
    }

    private void assumeImmutableWorks() throws Exception {
        Path probe = Files.writeString(dir.resolve("probe"), "x");
        boolean works;
        try {
            works = run("chattr", "+i", probe.toString()) == 0;
            if (works) {
                try (OutputStream append = Files.newOutputStream(probe, java.nio.file.StandardOpenOption.APPEND)) {
                    append.write('y');
                    works = false; // the flag did not stop root
                } catch (IOException refused) {
                    works = true;
                }
            }
        } finally {
            run("chattr", "-i", probe.toString());
        }
        assumeTrue(works, "chattr +i does not make a file read-only here (not root, no CAP_LINUX_IMMUTABLE, or "
                + "a file system without the flag)");
    }

    private static void chattr(String flag, Path file) throws Exception {
        assertEquals(0, run("chattr", flag, file.toString()), "chattr " + flag + " " + file);
    }

    private static int run(String... command) throws Exception {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertTrue(process.waitFor(ANSWER_SECONDS, TimeUnit.SECONDS), List.of(command)::toString);
            return process.exitValue();
        } catch (IOException noSuchCommand) {
            return -1;
        }
    }

    /**
     * Talks to a child line by line: a command on its stdin, an answer from its stdout. A child that does not answer
     * within {@value #ANSWER_SECONDS} s is stuck: the failure carries its threads ({@code jcmd Thread.print}).
     */
    private static final class Conversation implements AutoCloseable {
        private final Process child;
        private final List<String> transcript;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Thread reader;

        Conversation(Process child, List<String> transcript) {
            this.child = child;
            this.transcript = transcript;
            this.reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException closed) {
                    // the child is gone; next() says so
                }
            }, "child-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        /** Sends {@code command} and returns the answer's last line (the lines before it stay in the transcript). */
        String ask(String command) throws Exception {
            child.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
            child.getOutputStream().flush();
            String line = next();
            while (line.startsWith("refused ")) {
                line = next();
            }
            return line;
        }

        String next() throws InterruptedException {
            String line = lines.poll(ANSWER_SECONDS, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("the child did not answer within " + ANSWER_SECONDS + " s (alive: "
                        + child.isAlive() + "); said so far " + transcript + "\n--- threads\n"
                        + (child.isAlive() ? ChildJvm.threadDump(child.pid()) : "(none: it has ended)"));
            }
            transcript.add(line);
            return line;
        }

        @Override
        public void close() {
            reader.interrupt();
        }
    }
}
