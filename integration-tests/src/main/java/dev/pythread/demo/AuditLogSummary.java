package dev.pythread.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a pythread JSONL audit log and tells, for one process: which threads were started (grouped by pool, that is by
 * name without its number) and which threads died of which exception.
 */
final class AuditLogSummary {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int records;
    private final Map<String, Integer> startsByPool = new TreeMap<>();
    private final List<String> deaths = new ArrayList<>();

    private AuditLogSummary(Path log, long pid) throws IOException {
        int count = 0;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            JsonNode record = JSON.readTree(line);
            if (record.get("pid").asLong() != pid) {
                continue; // an earlier run's part of the file
            }
            count++;
            String event = record.get("event").asText();
            if (event.equals("_thread.start_new_thread")) {
                startsByPool.merge(pool(threadName(record.get("args").get(0).asText())), 1, Integer::sum);
            } else if (event.equals("sys.unraisablehook")) {
                JsonNode report = record.get("args").get(1);
                deaths.add(String.format("%-14s %s: %s", record.get("thread").get("name").asText(),
                        report.get("excType").asText(), report.get("excMessage").asText()));
            }
        }
        records = count;
    }

    static AuditLogSummary of(Path log, long pid) throws IOException {
        return new AuditLogSummary(log, pid);
    }

    void print(Path log) {
        int starts = startsByPool.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("audit log: " + log.toAbsolutePath() + " (" + records + " records from this run)");
        System.out.println("threads started: " + starts);
        startsByPool.forEach((pool, count) -> System.out.printf("  %4d  %s%n", count, pool));
        System.out.println("threads that died of an uncaught exception: " + deaths.size());
        deaths.forEach(death -> System.out.println("        " + death));
    }

    /** {@code jetty-pool-23} → {@code jetty-pool-*}: the pool a thread belongs to, by its name. */
    static String pool(String threadName) {
        String pool = threadName.replaceAll("\\d+", "*");
        return pool.isEmpty() ? "(unnamed)" : pool;
    }

    /** The name in {@code Thread[#21,name,5,main]} (JDK 19+), {@code Thread[name,5,main]} or {@code VirtualThread[#22]/…}. */
    static String threadName(String threadToString) {
        int open = threadToString.indexOf('[');
        int close = threadToString.lastIndexOf(']');
        if (open < 0 || close < open) {
            return threadToString;
        }
        String[] parts = threadToString.substring(open + 1, close).split(",");
        String name = parts[0].startsWith("#") ? (parts.length > 1 ? parts[1] : "") : parts[0];
        return name;
    }
}
