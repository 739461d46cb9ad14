package dev.pythread.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The options tables of the docs say what {@link AgentOption} says: every option, in its order, with its default. The
 * table of options is the one place an option is described; the docs are checked against it, so they cannot drift.
 */
class AgentOptionDocsTest {

    /** The rows {@code | `key=` | values | default | what it does |} of the file's options table. */
    private static List<String[]> optionRows(Path doc) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(doc, StandardCharsets.UTF_8)) {
            if (line.matches("\\| `[a-z]+=` \\|.*")) {
                String[] cells = line.split("\\|");
                rows.add(new String[] {cells[1].trim(), cells[3].trim()});
            }
        }
        return rows;
    }

    @ParameterizedTest
    @ValueSource(strings = {"../docs/agent.md", "../docs/api.md"})
    void everyOptionIsInTheTableInOrderWithItsDefault(String file) throws IOException {
        Path doc = Path.of(file);
        assertTrue(Files.isRegularFile(doc), doc.toAbsolutePath()::toString);
        List<String> expected = new ArrayList<>();
        for (AgentOption option : AgentOption.values()) {
            String text = option.defaultText();
            String shown = text == null ? "none" : text.equals("all") ? "all" : "`" + text + "`";
            expected.add("`" + option.key() + "=` default " + shown);
        }
        List<String> documented = new ArrayList<>();
        for (String[] row : optionRows(doc)) {
            documented.add(row[0] + " default " + row[1]);
        }
        assertEquals(expected, documented, file);
    }

    @ParameterizedTest
    @ValueSource(strings = {"onfail", "caller", "required", "inventory"})
    void theUsageLineGivesTheDefault(String key) {
        AgentOption option = AgentOption.withKey(key);
        assertTrue(option.usageLine().startsWith("    " + key + "="), option.usageLine());
        assertTrue(option.usageLine().endsWith("(default: " + option.defaultText() + ")"), option.usageLine());
    }
}
