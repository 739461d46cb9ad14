package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10 000 virtual-thread tasks under {@code audit=jsonl} (JDK 21+): a start record for each virtual thread, one
 * unraisable record per uncaught exception, none for failures a {@code Future} captured.
 */
class VirtualThreadTasksTest {

    @Test
    void tenThousandVirtualThreadsAreRecordedAndOnlyUncaughtFailuresAreReported(@TempDir Path dir) throws Exception {
        assumeTrue(ChildJvm.FEATURE_VERSION >= 21, "virtual threads need JDK 21+");
        Path log = dir.resolve("virtual.jsonl");
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.agent("audit=jsonl:" + log)),
                "dev.pythread.it.apps.VirtualTasks");
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(List.of("futures that failed: 10"), result.stdoutLines());
        AuditLog audit = AuditLog.read(log);
        long virtualStarts = audit.events(AuditLog.START).stream()
                .filter(record -> record.get("args").get(0).asText().startsWith("VirtualThread[")).count();
        TreeSet<String> uncaught = new TreeSet<>();
        for (JsonNode record : audit.events("sys.unraisablehook")) {
            uncaught.add(record.get("args").get(1).get("excMessage").asText());
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

    /**
     * Do no harm: the same output with the agent (no options) as without, up to the order threads finish in. The
     * JDK's default handler ({@code ThreadGroup.uncaughtException}) prints the {@code Exception in thread "…" } prefix
     * and the stack trace in two separate writes, so when virtual threads die at the same moment a prefix can land
     * before another thread's trace — with or without the agent. The comparison therefore counts the prefixes and
     * compares the remaining lines as a sorted multiset.
     */
    @Test
    void withNoOptionsTheOutputIsTheSameAsWithoutTheAgent() {
        assumeTrue(ChildJvm.FEATURE_VERSION >= 21, "virtual threads need JDK 21+");
        ChildJvm.Result plain = ChildJvm.run(List.of(), "dev.pythread.it.apps.VirtualTasks");
        ChildJvm.Result agent = ChildJvm.run(List.of(ChildJvm.agent("")), "dev.pythread.it.apps.VirtualTasks");
        assertEquals(plain.stdout(), agent.stdout());
        assertEquals(20, prefixCount(plain.stderr()), plain::toString);
        assertEquals(prefixCount(plain.stderr()), prefixCount(agent.stderr()), agent::toString);
        assertEquals(sortedLinesWithoutPrefixes(plain.stderr()), sortedLinesWithoutPrefixes(agent.stderr()));
    }

    private static final Pattern PREFIX = Pattern.compile("Exception in thread \"[^\"]*\" ");

    private static long prefixCount(String stderr) {
        return PREFIX.matcher(stderr).results().count();
    }

    private static List<String> sortedLinesWithoutPrefixes(String stderr) {
        List<String> lines = new ArrayList<>();
        for (String line : PREFIX.matcher(stderr).replaceAll("").split("\n")) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        Collections.sort(lines);
        return lines;
    }
}
