package dev.pythread.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pythread.Unraisable.UnraisableHookArgs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Json}: audit arguments as JSON. Outputs are compared with exact expected strings (there is no JSON parser on
 * the test class path); in the expected strings below, Java's own escapes are doubled where JSON's appear.
 */
class JsonTest {

    private static final String ERR_MSG = "Exception ignored in thread started by";

    private static String value(Object value) {
        StringBuilder out = new StringBuilder();
        Json.appendValue(out, value);
        return out.toString();
    }

    private static String string(String text) {
        StringBuilder out = new StringBuilder();
        Json.appendString(out, text);
        return out.toString();
    }

    /** {@code value} inside {@code levels} one-element arrays. */
    private static Object nest(Object value, int levels) {
        Object nested = value;
        for (int i = 0; i < levels; i++) {
            nested = new Object[] {nested};
        }
        return nested;
    }

    /** An object with a fixed {@code toString()}. */
    private static Object repr(String text) {
        return new Object() {
            @Override
            public String toString() {
                return text;
            }
        };
    }

    /** An object whose {@code toString()} throws {@code exception}. */
    private static Object failingRepr(RuntimeException exception) {
        return new Object() {
            @Override
            public String toString() {
                throw exception;
            }
        };
    }

    static final class Boom extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** An exception whose {@code getMessage()} throws, as a Python exception whose {@code __str__} raises. */
    static final class BadMessage extends RuntimeException {
        private static final long serialVersionUID = 1L;

        @Override
        public String getMessage() {
            throw new IllegalStateException("no message for you");
        }
    }

    private static UnraisableHookArgs report(Throwable exc, String errMsg, Object object) {
        return new UnraisableHookArgs(exc.getClass(), exc, exc.getStackTrace(), errMsg, object);
    }

    // ---------------------------------------------------------------- null and strings

    @Test
    void nullIsNull() {
        assertEquals("null", value(null));
    }

    static Stream<Arguments> strings() {
        return Stream.of(
                Arguments.of("", "\"\""),
                Arguments.of("plain text", "\"plain text\""),
                Arguments.of("\"", "\"\\\"\""),
                Arguments.of("\\", "\"\\\\\""),
                Arguments.of("\n", "\"\\n\""),
                Arguments.of("\r", "\"\\r\""),
                Arguments.of("\t", "\"\\t\""),
                Arguments.of("\b", "\"\\b\""),
                Arguments.of("\f", "\"\\f\""),
                Arguments.of("/", "\"/\""),
                Arguments.of("'", "\"'\""),
                Arguments.of("\u0000", "\"\\u0000\""),
                Arguments.of("\u0001", "\"\\u0001\""),
                Arguments.of("\u000b", "\"\\u000b\""),
                Arguments.of("\u001a", "\"\\u001a\""),
                Arguments.of("\u001b", "\"\\u001b\""),
                Arguments.of("\u001f", "\"\\u001f\""),
                Arguments.of(" ", "\" \""),
                Arguments.of("~", "\"~\""),
                Arguments.of("\u007f", "\"\u007f\""),
                Arguments.of("\u0080", "\"\u0080\""),
                Arguments.of("\u009f", "\"\u009f\""),
                Arguments.of("\u00e9", "\"\u00e9\""),
                Arguments.of("\u4e2d", "\"\u4e2d\""),
                Arguments.of("\u2028\u2029", "\"\u2028\u2029\""),
                Arguments.of("\ud7ff\ue000\ufffd\uffff", "\"\ud7ff\ue000\ufffd\uffff\""),
                Arguments.of("say \"hi\"\r\n\tC:\\dir\\", "\"say \\\"hi\\\"\\r\\n\\tC:\\\\dir\\\\\""),
                Arguments.of("a\u0000b\u0007c", "\"a\\u0000b\\u0007c\""),
                Arguments.of("\\u0041", "\"\\\\u0041\""),
                // a surrogate pair (U+1F600) is a well-formed character: written as-is, both halves
                Arguments.of("\ud83d\ude00", "\"\ud83d\ude00\""),
                Arguments.of("smile \ud83d\ude00!", "\"smile \ud83d\ude00!\""),
                Arguments.of("\ud83d\ude00\ud83d\ude00", "\"\ud83d\ude00\ud83d\ude00\""),
                // lone surrogates, which UTF-8 cannot encode, are escaped
                Arguments.of("\ud83d", "\"\\ud83d\""),
                Arguments.of("\ude00", "\"\\ude00\""),
                Arguments.of("a\ud83d", "\"a\\ud83d\""),
                Arguments.of("\ud83db", "\"\\ud83db\""),
                Arguments.of("a\ude00b", "\"a\\ude00b\""),
                Arguments.of("\ude00\ud83d", "\"\\ude00\\ud83d\""),
                Arguments.of("\ud83d\ud83d\ude00", "\"\\ud83d\ud83d\ude00\""),
                Arguments.of("\ud83d\ude00\ude00", "\"\ud83d\ude00\\ude00\""),
                Arguments.of("\udbff\udfff", "\"\udbff\udfff\""),
                Arguments.of("\ud800", "\"\\ud800\""),
                Arguments.of("\udfff", "\"\\udfff\""));
    }

    @ParameterizedTest
    @MethodSource("strings")
    void stringsAreEscaped(String text, String json) {
        assertEquals(json, string(text));
        assertEquals(json, value(text));
    }

    @Test
    void everyControlCharacterIsEscaped() {
        for (char c = 0; c < 0x20; c++) {
            String expected;
            switch (c) {
                case '\b':
                    expected = "\\b";
                    break;
                case '\t':
                    expected = "\\t";
                    break;
                case '\n':
                    expected = "\\n";
                    break;
                case '\f':
                    expected = "\\f";
                    break;
                case '\r':
                    expected = "\\r";
                    break;
                default:
                    expected = String.format("\\u%04x", (int) c);
            }
            assertEquals("\"" + expected + "\"", string(String.valueOf(c)), "char " + (int) c);
        }
    }

    @Test
    void hexEscapesAreLowerCase() {
        assertEquals("\"\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\"", string("\u001a\u001b\u001c\u001d\u001e\u001f"));
        assertEquals("\"\\udabc\"", string("\udabc"));
    }

    @Test
    void appendingKeepsWhatTheBuilderHolds() {
        StringBuilder out = new StringBuilder("{\"k\":");
        Json.appendString(out, "v");
        Json.appendValue(out.append(",\"n\":"), null);
        Json.appendValue(out.append(",\"a\":"), new Object[] {"x"});
        assertEquals("{\"k\":\"v\",\"n\":null,\"a\":[\"x\"]", out.toString());
    }

    // ---------------------------------------------------------------- arrays

    @Test
    void emptyArray() {
        assertEquals("[]", value(new Object[0]));
    }

    @Test
    void arrayOfMixedValues() {
        assertEquals("[\"a\",null,\"1\",\"true\",\"x\\\"y\"]", value(new Object[] {"a", null, 1, true, "x\"y"}));
    }

    @Test
    void arrayOfNulls() {
        assertEquals("[null,null]", value(new Object[2]));
    }

    @Test
    void nestedArrays() {
        assertEquals("[[\"a\"],[],[[]],[null,[\"b\",\"c\"]]]",
                value(new Object[] {new Object[] {"a"}, new Object[0], new Object[] {new Object[0]},
                    new Object[] {null, new Object[] {"b", "c"}}}));
    }

    @Test
    void arraysOfAnyReferenceTypeAreArrays() {
        assertEquals("[\"a\",\"b\"]", value(new String[] {"a", "b"}));
        assertEquals("[\"1\",null]", value(new Integer[] {1, null}));
        assertEquals("[[\"x\"]]", value(new String[][] {{"x"}}));
    }

    @Test
    void theAuditArgsOfAThreadStart() {
        Object thread = repr("Thread[#21,worker-1,5,main]");
        assertEquals("[\"Thread[#21,worker-1,5,main]\",[],null]", value(new Object[] {thread, new Object[0], null}));
    }

    // ---------------------------------------------------------------- maps

    @Test
    void emptyMap() {
        assertEquals("{}", value(Collections.emptyMap()));
    }

    @Test
    void mapIsAnObjectInIterationOrder() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("k", "v");
        map.put(1, null);
        map.put(null, "x");
        map.put("q\"\n", new Object[] {"a"});
        map.put(true, 2.5);
        assertEquals("{\"k\":\"v\",\"1\":null,\"null\":\"x\",\"q\\\"\\n\":[\"a\"],\"true\":\"2.5\"}", value(map));
    }

    @Test
    void nestedMapsAndArrays() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("b", new Object[] {Map.of()});
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("a", inner);
        assertEquals("[{\"a\":{\"b\":[{}]}}]", value(new Object[] {outer}));
    }

    @Test
    void mapKeyWhoseToStringThrows() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put(failingRepr(new IllegalStateException()), "v");
        assertEquals("{\"<repr failed: java.lang.IllegalStateException>\":\"v\"}", value(map));
    }

    // ---------------------------------------------------------------- other objects

    @Test
    void otherObjectsAreStringsViaStringValueOf() {
        assertEquals("\"42\"", value(42));
        assertEquals("\"-1\"", value(-1L));
        assertEquals("\"9223372036854775807\"", value(Long.MAX_VALUE));
        assertEquals("\"1.5\"", value(1.5));
        assertEquals("\"NaN\"", value(Double.NaN));
        assertEquals("\"true\"", value(Boolean.TRUE));
        assertEquals("\"false\"", value(false));
        assertEquals("\"c\"", value('c'));
        assertEquals("\"\\\"\"", value('"'));
        assertEquals("\"custom\"", value(repr("custom")));
        assertEquals("\"SECONDS\"", value(java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    void collectionsOtherThanArraysAreStrings() {
        assertEquals("\"[a, b]\"", value(List.of("a", "b")));
        assertEquals("\"[]\"", value(new ArrayList<>()));
    }

    @Test
    void aToStringIsEscaped() {
        assertEquals("\"line \\\"1\\\"\\nline\\t2 \\\\ \\u0001\"", value(repr("line \"1\"\nline\t2 \\ \u0001")));
    }

    @Test
    void objectWhoseToStringThrows() {
        assertEquals("\"<repr failed: java.lang.IllegalStateException>\"",
                value(failingRepr(new IllegalStateException("nope"))));
        assertEquals("\"<repr failed: dev.pythread.agent.JsonTest$Boom>\"", value(failingRepr(new Boom())));
        assertEquals("[\"a\",\"<repr failed: java.lang.UnsupportedOperationException>\",\"b\"]",
                value(new Object[] {"a", failingRepr(new UnsupportedOperationException()), "b"}));
    }

    /**
     * "Rendering never throws": an object whose {@code toString()} returns {@code null} (legal, if rude) renders as
     * {@code String.valueOf} and {@code StringBuilder.append} show it, {@code "null"}.
     */
    @Test
    void objectWhoseToStringReturnsNull() {
        assertEquals("[\"null\"]", value(new Object[] {repr(null)}));
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put(repr(null), "v");
        assertEquals("{\"null\":\"v\"}", value(map));
    }

    // ---------------------------------------------------------------- depth

    @Test
    void maxDepthIsEight() {
        assertEquals(8, Json.MAX_DEPTH);
    }

    @Test
    void shallowNestingIsWrittenInFull() {
        assertEquals("[[[\"x\"]]]", value(nest("x", 3)));
    }

    @Test
    void aValueAtMaxDepthIsCutOff() {
        assertEquals("[[[[[[[\"x\"]]]]]]]", value(nest("x", Json.MAX_DEPTH - 1)));
        assertEquals("[[[[[[[[\"...\"]]]]]]]]", value(nest("x", Json.MAX_DEPTH)));
        assertEquals("[[[[[[[[\"...\"]]]]]]]]", value(nest("x", Json.MAX_DEPTH + 5)));
        assertEquals("[[[[[[[[]]]]]]]]", value(nest(new Object[0], Json.MAX_DEPTH - 1)));
        assertEquals("[[[[[[[[\"...\"]]]]]]]]", value(nest(new Object[0], Json.MAX_DEPTH)));
        assertEquals("[[[[[[[[null]]]]]]]]", value(nest(null, Json.MAX_DEPTH)));
    }

    @Test
    void aSelfContainingArrayTerminates() {
        Object[] self = new Object[1];
        self[0] = self;
        assertEquals("[[[[[[[[\"...\"]]]]]]]]", value(self));
        assertEquals("[".repeat(Json.MAX_DEPTH) + "\"...\"" + "]".repeat(Json.MAX_DEPTH), value(self));
    }

    @Test
    void aSelfContainingArrayWithSiblings() {
        Object[] self = new Object[2];
        self[0] = "x";
        self[1] = self;
        // depth 0..6: ["x", <next>]; depth 7: both elements are at depth 8
        String expected = "[\"x\",".repeat(Json.MAX_DEPTH - 1) + "[\"...\",\"...\"]" + "]".repeat(Json.MAX_DEPTH - 1);
        assertEquals(expected, value(self));
        assertEquals("[\"x\",[\"x\",[\"x\",[\"x\",[\"x\",[\"x\",[\"x\",[\"...\",\"...\"]]]]]]]]", value(self));
    }

    @Test
    void aSelfContainingMapTerminates() {
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("self", self);
        assertEquals("{\"self\":".repeat(Json.MAX_DEPTH) + "\"...\"" + "}".repeat(Json.MAX_DEPTH), value(self));
    }

    @Test
    void aReportAtMaxDepthIsCutOff() {
        IllegalStateException exc = new IllegalStateException("boom");
        assertEquals("[[[[[[[[\"...\"]]]]]]]]", value(nest(report(exc, ERR_MSG, "o"), Json.MAX_DEPTH)));
        assertEquals("[[[[[[[{\"excType\":\"...\",\"excMessage\":\"...\",\"errMsg\":\"...\",\"object\":\"...\"}]]]]]]]",
                value(nest(report(exc, ERR_MSG, "o"), Json.MAX_DEPTH - 1)));
    }

    // ---------------------------------------------------------------- unraisable reports

    @Test
    void unraisableReport() {
        IllegalStateException exc = new IllegalStateException("boom");
        assertEquals("{\"excType\":\"java.lang.IllegalStateException\",\"excMessage\":\"boom\","
                        + "\"errMsg\":\"Exception ignored in thread started by\",\"object\":\"...\"}",
                value(report(exc, ERR_MSG, "...")));
        assertEquals("{\"excType\":\"java.lang.IllegalStateException\",\"excMessage\":\"boom\","
                        + "\"errMsg\":\"Exception ignored in thread started by\","
                        + "\"object\":\"Thread[#21,worker-1,5,main]\"}",
                value(report(exc, ERR_MSG, repr("Thread[#21,worker-1,5,main]"))));
    }

    @Test
    void unraisableReportWithNulls() {
        IllegalStateException noMessage = new IllegalStateException();
        assertEquals("{\"excType\":\"java.lang.IllegalStateException\",\"excMessage\":null,"
                        + "\"errMsg\":\"Exception ignored in thread started by\",\"object\":\"o\"}",
                value(report(noMessage, ERR_MSG, "o")));
        assertEquals("{\"excType\":\"java.lang.IllegalStateException\",\"excMessage\":\"boom\","
                        + "\"errMsg\":null,\"object\":null}",
                value(report(new IllegalStateException("boom"), null, null)));
        assertEquals("{\"excType\":null,\"excMessage\":null,\"errMsg\":null,\"object\":null}",
                value(new UnraisableHookArgs(null, null, null, null, null)));
    }

    @Test
    void unraisableReportWhoseMessageFails() {
        BadMessage exc = new BadMessage();
        assertEquals("{\"excType\":\"dev.pythread.agent.JsonTest$BadMessage\","
                        + "\"excMessage\":\"<exception str() failed>\","
                        + "\"errMsg\":\"Exception ignored in thread started by\",\"object\":\"o\"}",
                value(report(exc, ERR_MSG, "o")));
    }

    @Test
    void unraisableReportUsesItsExcTypeAndEscapes() {
        IllegalStateException exc = new IllegalStateException("a \"quoted\"\nmessage");
        UnraisableHookArgs args = new UnraisableHookArgs(RuntimeException.class, exc, new StackTraceElement[0],
                "err\tmsg", new Object[] {"f", failingRepr(new Boom())});
        assertEquals("{\"excType\":\"java.lang.RuntimeException\",\"excMessage\":\"a \\\"quoted\\\"\\nmessage\","
                        + "\"errMsg\":\"err\\tmsg\","
                        + "\"object\":[\"f\",\"<repr failed: dev.pythread.agent.JsonTest$Boom>\"]}",
                value(args));
    }

    @Test
    void unraisableReportWhoseObjectFails() {
        assertEquals("{\"excType\":\"java.lang.IllegalStateException\",\"excMessage\":\"boom\","
                        + "\"errMsg\":\"Exception ignored in thread started by\","
                        + "\"object\":\"<repr failed: java.lang.IllegalStateException>\"}",
                value(report(new IllegalStateException("boom"), ERR_MSG,
                        failingRepr(new IllegalStateException()))));
    }

    @Test
    void unraisableReportAsAnAuditArgument() {
        assertEquals("[{\"excType\":\"java.lang.IllegalStateException\",\"excMessage\":\"boom\","
                        + "\"errMsg\":\"Exception ignored in thread started by\",\"object\":null}]",
                value(new Object[] {report(new IllegalStateException("boom"), ERR_MSG, null)}));
    }
}
