package dev.pythread.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pythread.agent.AgentOptions.BadOption;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;

/**
 * Fuzzes {@link AgentOptions#parse}: whatever the text after {@code -javaagent:pythread-agent.jar=}, the parser either
 * returns options that hold together, or throws {@link BadOption} with the one line that {@code Premain} prints after
 * {@code "pythread-agent: "} — never any other exception (which {@code Premain} would report as a bug of ours). A valid
 * parse is stable: its {@code toString()} (what the attach command passes on) parses to the same options.
 *
 * <p>The input bytes are read as UTF-8, as a command line would be. Without {@code JAZZER_FUZZ} this replays the
 * corpus in {@code src/test/resources/dev/pythread/agent/AgentOptionsFuzzTestInputs/parsesOrSaysWhyInOneLine/} (plain
 * option strings); with {@code JAZZER_FUZZ=1} Jazzer fuzzes for {@code maxDuration}.
 */
class AgentOptionsFuzzTest {

    /** How every message of the parser begins: it names the option. */
    private static final List<String> MESSAGE_STARTS = List.of("bad option '", "unknown option '", "option ");

    @FuzzTest(maxDuration = "45s")
    @DictionaryEntries({"audit=", "events=", "unraisable=", "hook=", "onfail=", "caller=", "policy=", "chain=",
        "key=", "required=", "true", "false", "jsonl:", "stderr", "jfr", "logger", "python", "jvm", "warn", "deny",
        "frame", "off", "sha256", "+",
        ",", "=", "*", "?", "_thread.*", "sys.unraisablehook", "com.acme.Hook$Inner"})
    void parsesOrSaysWhyInOneLine(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        AgentOptions options;
        try {
            options = AgentOptions.parse(text);
        } catch (BadOption e) {
            assertIsOneLineNamingTheOption(e.getMessage(), text);
            return;
        }
        assertHoldsTogether(options, text);

        String rendered = options.toString();
        AgentOptions again;
        try {
            again = AgentOptions.parse(rendered);
        } catch (BadOption e) {
            throw new AssertionError("'" + text + "' parsed, but its rendering '" + rendered + "' did not: "
                    + e.getMessage(), e);
        }
        assertSameOptions(options, again, text);
        assertEquals(rendered, again.toString(), "rendering is stable for '" + text + "'");
    }

    private static void assertIsOneLineNamingTheOption(String message, String text) {
        assertNotNull(message, "a BadOption without a message for '" + text + "'");
        assertTrue(MESSAGE_STARTS.stream().anyMatch(message::startsWith),
                "the message names the option: '" + message + "' for '" + text + "'");
        assertFalse(message.startsWith("pythread-agent"), "Premain adds the prefix: " + message);
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            assertFalse(Character.isISOControl(c), "one printable line, but the message has U+"
                    + String.format("%04X", (int) c) + " at " + i + ": '" + message + "' for '" + text + "'");
        }
    }

    /** The invariants parse promises for accepted options. */
    private static void assertHoldsTogether(AgentOptions options, String text) {
        List<AuditSink> sinks = options.sinks();
        assertEquals(sinks.size(), new HashSet<>(sinks).size(), "no sink twice: " + sinks + " for '" + text + "'");
        for (AuditSink sink : sinks) {
            assertEquals(sink.kind() == AuditSink.Kind.JSONL, sink.path() != null, "a path for jsonl only: " + sink);
            if (sink.path() != null) {
                assertFalse(sink.path().isEmpty(), "a jsonl sink with a path: '" + sink + "' for '" + text + "'");
            }
            assertFalse(sink.toString().contains(",") || sink.toString().contains("+"),
                    "a sink without separators: " + sink);
        }
        if (options.chain() == AgentOptions.ChainMode.SHA256) {
            assertTrue(sinks.stream().anyMatch(sink -> sink.kind() == AuditSink.Kind.JSONL),
                    "chain=sha256 needs a jsonl sink, for '" + text + "'");
        }
        if (options.keyFile() != null) {
            assertEquals(AgentOptions.ChainMode.SHA256, options.chain(), "key= needs chain=sha256: '" + text + "'");
        }
        assertNotEmptyIfGiven(options.hookClass(), "hook", text);
        assertNotEmptyIfGiven(options.policyFile(), "policy", text);
        assertNotEmptyIfGiven(options.keyFile(), "key", text);
        assertNotNull(options.events());
        assertNotNull(options.unraisable());
        assertNotNull(options.onFail());
        assertNotNull(options.chain());
    }

    private static void assertNotEmptyIfGiven(String value, String key, String text) {
        if (value != null) {
            assertFalse(value.isEmpty(), key + "= is empty for '" + text + "'");
            assertEquals(value.trim(), value, key + "= is trimmed for '" + text + "'");
            assertFalse(value.contains(","), key + "= without a comma for '" + text + "'");
        }
    }

    private static void assertSameOptions(AgentOptions expected, AgentOptions actual, String text) {
        String where = " after a round trip of '" + text + "' through '" + expected + "'";
        assertEquals(expected.sinks(), actual.sinks(), "sinks" + where);
        assertEquals(expected.events().toString(), actual.events().toString(), "events" + where);
        assertEquals(expected.events() == EventFilter.ALL, actual.events() == EventFilter.ALL, "events=*" + where);
        assertEquals(expected.unraisable(), actual.unraisable(), "unraisable" + where);
        assertEquals(expected.hookClass(), actual.hookClass(), "hook" + where);
        assertEquals(expected.onFail(), actual.onFail(), "onfail" + where);
        assertEquals(expected.attributeCaller(), actual.attributeCaller(), "caller" + where);
        assertEquals(expected.policyFile(), actual.policyFile(), "policy" + where);
        assertEquals(expected.chain(), actual.chain(), "chain" + where);
        assertEquals(expected.keyFile(), actual.keyFile(), "key" + where);
    }
}
