package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10 000 virtual-thread tasks under {@code audit=jsonl} (JDK 21+): a start record for each virtual thread, one
 * unraisable record per uncaught exception, none for failures a {@code Future} captured.
 */
class VirtualThreadTasksTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void tenThousandVirtualThreadsAreRecordedAndOnlyUncaughtFailuresAreReported(@TempDir Path dir) throws Exception {
        assumeTrue(ChildJvm.FEATURE_VERSION >= 21, "virtual threads need JDK 21+");
        Path log = dir.resolve("virtual.jsonl");
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.agent("audit=jsonl:" + log)),
                "dev.pythread.it.apps.VirtualTasks");
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(List.of("futures that failed: 10"), result.stdoutLines());
        int virtualStarts = 0;
        TreeSet<String> uncaught = new TreeSet<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            JsonNode record = JSON.readTree(line);
            String event = record.get("event").asText();
            if (event.equals("_thread.start_new_thread") && record.get("args").get(0).asText()
                    .startsWith("VirtualThread[")) {
                virtualStarts++;
            } else if (event.equals("sys.unraisablehook")) {
                uncaught.add(record.get("args").get(1).get("excMessage").asText());
            }
        }
        assertEquals(10_000, virtualStarts);
        TreeSet<String> expected = new TreeSet<>();
        for (int task = 0; task < 9_990; task += 500) {
            expected.add("task " + task + " failed");
        }
        assertEquals(expected, uncaught, "one report per uncaught exception, none for captured failures");
        assertEquals(20, result.stderr().split("Exception in thread").length - 1,
                "the JVM still prints each uncaught exception once: " + result.stderr());
    }

    /** Do no harm: the same output with the agent (no options) as without, up to the order threads finish in. */
    @Test
    void withNoOptionsTheOutputIsTheSameAsWithoutTheAgent() {
        assumeTrue(ChildJvm.FEATURE_VERSION >= 21, "virtual threads need JDK 21+");
        ChildJvm.Result plain = ChildJvm.run(List.of(), "dev.pythread.it.apps.VirtualTasks");
        ChildJvm.Result agent = ChildJvm.run(List.of(ChildJvm.agent("")), "dev.pythread.it.apps.VirtualTasks");
        assertEquals(plain.stdout(), agent.stdout());
        assertEquals(sortedLines(plain.stderr()), sortedLines(agent.stderr()));
    }

    private static List<String> sortedLines(String text) {
        List<String> lines = new java.util.ArrayList<>(List.of(text.split("\n")));
        java.util.Collections.sort(lines);
        return lines;
    }
}
