package dev.pythread.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pythread.Unraisable.UnraisableHookArgs;
import java.io.IOException;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes {@link Json#appendValue}: every value it supports — strings (any UTF-16, lone surrogates included), nested
 * {@code Object[]} and maps, {@code null}, other objects by their {@code toString()}, and unraisable reports — comes
 * out as one line of JSON, encodable as UTF-8, that a real parser (Jackson, strict: no raw control characters, no
 * duplicate keys, no trailing tokens) reads back as the same value, with nesting deeper than {@link Json#MAX_DEPTH} cut off as
 * {@code "..."} as documented.
 *
 * <p>The input is a small text notation, read as UTF-8, so that the corpus in
 * {@code src/test/resources/dev/pythread/agent/JsonFuzzTestInputs/roundTripsThroughARealParser/} is readable. Every
 * input means some value (see {@link Tape}); without {@code JAZZER_FUZZ} the corpus is replayed, with
 * {@code JAZZER_FUZZ=1} Jazzer fuzzes for {@code maxDuration}.
 */
class JsonFuzzTest {

    private static final ObjectMapper JACKSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    @FuzzTest(maxDuration = "45s")
    @DictionaryEntries({"[", "]", "{", "}", "~", "|", "#", "%", "!", "\\", "\\u", "\\ud83d", "\\ude00", "\\ud800",
        "\\udfff", "\\u0000", "\\u001f", "\\u2028", "\\\\", "[[[[[[[[[[", "]]]]]]]]]]"})
    void roundTripsThroughARealParser(byte[] input) {
        Object value = new Tape(new String(input, StandardCharsets.UTF_8)).readAll();
        StringBuilder out = new StringBuilder();
        Json.appendValue(out, value);
        String json = out.toString();
        for (int i = 0; i < json.length(); i++) {
            if (json.charAt(i) < 0x20) {
                throw new AssertionError("a raw control character U+" + String.format("%04X", (int) json.charAt(i))
                        + " at " + i + ": " + json);
            }
        }
        try { // as the jsonl sink writes it: a raw lone surrogate would not survive
            StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(json));
        } catch (CharacterCodingException e) {
            throw new AssertionError("not encodable as UTF-8: " + json, e);
        }
        // Parsed as text: Jackson's UTF-8 byte parser rejects a member name that holds an escaped lone surrogate,
        // which RFC 8259 (section 8.2) allows but leaves to the reader; its text parser reads it back as is.
        Object parsed;
        try {
            parsed = JACKSON.readValue(json, Object.class);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
        assertEquals(expected(value, 0), parsed, json);
    }

    /** What {@code value} must read back as, by Json's documented rules, nested {@code depth} levels deep. */
    private static Object expected(Object value, int depth) {
        if (value == null) {
            return null;
        }
        if (depth >= Json.MAX_DEPTH) {
            return "...";
        }
        if (value instanceof Object[]) {
            List<Object> list = new ArrayList<>();
            for (Object element : (Object[]) value) {
                list.add(expected(element, depth + 1));
            }
            return list;
        }
        if (value instanceof UnraisableHookArgs) {
            UnraisableHookArgs report = (UnraisableHookArgs) value;
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("excType", expected(report.excType().getName(), depth + 1));
            map.put("excMessage", expected(report.excValue().getMessage(), depth + 1));
            map.put("errMsg", expected(report.errMsg(), depth + 1));
            map.put("object", expected(report.object(), depth + 1));
            return map;
        }
        if (value instanceof Map) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                map.put(String.valueOf(entry.getKey()), expected(entry.getValue(), depth + 1));
            }
            return map;
        }
        if (value instanceof FailingRepr) {
            return "<repr failed: " + IllegalStateException.class.getName() + ">";
        }
        return value.toString();
    }

    /** An object whose {@code toString()} returns a fixed text (which Json must escape like any string). */
    private static final class Repr {
        private final String text;

        Repr(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** An object whose {@code toString()} throws: Json writes {@code "<repr failed: …>"} and goes on. */
    private static final class FailingRepr {
        @Override
        public String toString() {
            throw new IllegalStateException("no repr");
        }
    }

    /**
     * The input notation. A sequence of values makes an {@code Object[]} (one value alone stands for itself):
     * <pre>
     *   [ v v … ]      an Object[] (an unclosed one ends with the input)
     *   { k v k v … }  a map; each key k is read as a string
     *   ~              null
     *   # s            an object whose toString() returns the string s
     *   %              an object whose toString() throws
     *   ! s s v        an unraisable report: exception message, errMsg, object
     *   text           a string: everything up to the next unescaped []{}~#%!| ; a | ends it (so "" is a lone |)
     *   \\uXXXX        inside a string: that UTF-16 unit (a lone surrogate too); \\ before any other character:
     *                  that character itself
     * </pre>
     * A stray {@code ]} or {@code }} where a value should start is skipped; a key without a value maps to null.
     */
    static final class Tape {
        private static final String SPECIAL = "[]{}~#%!|";
        private final String text;
        private int pos;

        Tape(String text) {
            this.text = text;
        }

        Object readAll() {
            List<Object> values = new ArrayList<>();
            while (pos < text.length()) {
                if (!skipStrayCloser()) {
                    values.add(read());
                }
            }
            return values.size() == 1 ? values.get(0) : values.toArray();
        }

        private boolean skipStrayCloser() {
            char c = text.charAt(pos);
            if (c == ']' || c == '}') {
                pos++;
                return true;
            }
            return false;
        }

        private boolean atEndOr(char closer) {
            if (pos >= text.length()) {
                return true;
            }
            if (text.charAt(pos) == closer) {
                pos++;
                return true;
            }
            return false;
        }

        private Object read() {
            if (pos >= text.length()) {
                return "";
            }
            char c = text.charAt(pos);
            switch (c) {
                case '[': {
                    pos++;
                    List<Object> elements = new ArrayList<>();
                    while (!atEndOr(']')) {
                        if (!skipStrayCloser()) {
                            elements.add(read());
                        }
                    }
                    return elements.toArray();
                }
                case '{': {
                    pos++;
                    Map<String, Object> map = new LinkedHashMap<>();
                    while (!atEndOr('}')) {
                        if (!skipStrayCloser()) {
                            String key = readString();
                            boolean hasValue = pos < text.length() && text.charAt(pos) != '}';
                            map.put(key, hasValue ? read() : null);
                        }
                    }
                    return map;
                }
                case '~':
                    pos++;
                    return null;
                case '#':
                    pos++;
                    return new Repr(readString());
                case '%':
                    pos++;
                    return new FailingRepr();
                case '!': {
                    pos++;
                    String message = readString();
                    String errMsg = readString();
                    Object object = pos < text.length() ? read() : null;
                    IllegalStateException exc = new IllegalStateException(message);
                    return new UnraisableHookArgs(exc.getClass(), exc, new StackTraceElement[0], errMsg, object);
                }
                default:
                    return readString();
            }
        }

        /** A string; anything that is not one ({@code [}, {@code ~}, …) where a string is due is read as "". */
        private String readString() {
            StringBuilder s = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '|') {
                    pos++;
                    break;
                }
                if (SPECIAL.indexOf(c) >= 0) {
                    break;
                }
                pos++;
                if (c == '\\' && pos < text.length()) {
                    if (text.startsWith("u", pos) && pos + 5 <= text.length() && isHex(text, pos + 1, pos + 5)) {
                        s.append((char) Integer.parseInt(text.substring(pos + 1, pos + 5), 16));
                        pos += 5;
                    } else {
                        s.append(text.charAt(pos++));
                    }
                } else {
                    s.append(c);
                }
            }
            return s.toString();
        }

        private static boolean isHex(String text, int from, int to) {
            for (int i = from; i < to; i++) {
                if (Character.digit(text.charAt(i), 16) < 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
