package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A JSONL audit log as the tests read it, once the process that wrote it has ended: its records, those of one event,
 * the names of the threads whose start it recorded, and the check that {@code seq} runs 1, 2, 3… with no gap.
 */
final class AuditLog {

    static final String START = "_thread.start_new_thread";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the records came from, for failure messages: a file, or what a test says of its lines. */
    private final String source;
    private final List<JsonNode> records;

    private AuditLog(String source, List<JsonNode> records) {
        this.source = source;
        this.records = records;
    }

    /** Reads every line of {@code file} as one record. */
    static AuditLog read(Path file) throws IOException {
        return of(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /**
     * Each of {@code lines} as one record: for a log the test has gathered itself (across a rotation, up to a line cut
     * by a kill); {@code source} says where they came from.
     */
    static AuditLog of(String source, List<String> lines) throws JsonProcessingException {
        List<JsonNode> records = new ArrayList<>();
        for (String line : lines) {
            records.add(parse(line));
        }
        return new AuditLog(source, List.copyOf(records));
    }

    /** One record as any sink writes it (a JSONL line, a logger message, an OTLP body), or any other JSON text. */
    static JsonNode parse(String json) throws JsonProcessingException {
        return JSON.readTree(json);
    }

    /** The name of the thread a {@code _thread.start_new_thread} record says was started. */
    static String startedThreadName(JsonNode start) {
        return ChildJvm.threadName(start.get("args").get(0).asText());
    }

    List<JsonNode> records() {
        return records;
    }

    /** Records {@code from} (inclusive) to {@code to} (exclusive): the part one process wrote of a shared file. */
    AuditLog slice(int from, int to) {
        return new AuditLog("records " + from + " to " + to + " of " + source, records.subList(from, to));
    }

    /** The records of {@code event}, in order. */
    List<JsonNode> events(String event) {
        return records.stream().filter(record -> record.get("event").asText().equals(event))
                .collect(Collectors.toList());
    }

    /** The names of the threads whose start was recorded, from the {@code Thread.toString()} in each record. */
    List<String> startedThreadNames() {
        return events(START).stream().map(AuditLog::startedThreadName).collect(Collectors.toList());
    }

    /** One process wrote it: {@code seq} is 1, 2, 3… with no gap and no repeat. */
    AuditLog assertSeqContiguousFromOne() {
        for (int i = 0; i < records.size(); i++) {
            int n = i + 1;
            JsonNode record = records.get(i);
            assertEquals(n, record.get("seq").asLong(), () -> "seq of record " + n + " of " + source + ": " + record);
        }
        return this;
    }

    @Override
    public String toString() {
        return source + ": " + records;
    }
}
