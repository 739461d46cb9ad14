package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    private final Path file;
    private final List<JsonNode> records;

    private AuditLog(Path file, List<JsonNode> records) {
        this.file = file;
        this.records = records;
    }

    /** Reads every line of {@code file} as one record. */
    static AuditLog read(Path file) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            records.add(JSON.readTree(line));
        }
        return new AuditLog(file, List.copyOf(records));
    }

    List<JsonNode> records() {
        return records;
    }

    /** The records of {@code event}, in order. */
    List<JsonNode> events(String event) {
        return records.stream().filter(record -> record.get("event").asText().equals(event))
                .collect(Collectors.toList());
    }

    /** The names of the threads whose start was recorded, from the {@code Thread.toString()} in each record. */
    List<String> startedThreadNames() {
        return events(START).stream().map(record -> ChildJvm.threadName(record.get("args").get(0).asText()))
                .collect(Collectors.toList());
    }

    /** One process wrote it: {@code seq} is 1, 2, 3… with no gap and no repeat. */
    AuditLog assertSeqContiguousFromOne() {
        for (int i = 0; i < records.size(); i++) {
            assertEquals(i + 1, records.get(i).get("seq").asLong(), () -> "seq of a record in " + file);
        }
        return this;
    }

    @Override
    public String toString() {
        return file + ": " + records;
    }
}
