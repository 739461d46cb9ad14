package dev.pythread.agent;

import dev.pythread.Unraisable.UnraisableHookArgs;
import java.util.Map;

/**
 * Renders audit event arguments as JSON: strings via {@code String.valueOf}, {@code Object[]} as arrays, maps as
 * objects (keys via {@code String.valueOf}), {@code null} as {@code null}, and an unraisable report
 * ({@link UnraisableHookArgs}) as {@code {"excType", "excMessage", "errMsg", "object"}}, which says how a thread died,
 * and a thread start's {@link Caller} as its object. Strings are escaped as RFC 8259 asks:
 * quotes, backslashes and control characters; a lone surrogate (which UTF-8 cannot encode) as {@code \\uXXXX}.
 * Nesting deeper than {@link #MAX_DEPTH} (a self-containing array, say) is cut off as {@code "..."}, and an
 * object whose {@code toString()} throws becomes {@code "<repr failed: ExceptionClass>"}: rendering never throws.
 */
final class Json {

    static final int MAX_DEPTH = 8;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {
    }

    static void appendValue(StringBuilder out, Object value) {
        appendValue(out, value, 0);
    }

    private static void appendValue(StringBuilder out, Object value, int depth) {
        if (value == null) {
            out.append("null");
        } else if (depth >= MAX_DEPTH) {
            appendString(out, "...");
        } else if (value instanceof Object[]) {
            out.append('[');
            Object[] array = (Object[]) value;
            for (int i = 0; i < array.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                appendValue(out, array[i], depth + 1);
            }
            out.append(']');
        } else if (value instanceof UnraisableHookArgs) {
            UnraisableHookArgs report = (UnraisableHookArgs) value;
            out.append("{\"excType\":");
            appendValue(out, report.excType() == null ? null : report.excType().getName(), depth + 1);
            out.append(",\"excMessage\":");
            appendValue(out, report.excValue() == null ? null : safeMessage(report.excValue()), depth + 1);
            out.append(",\"errMsg\":");
            appendValue(out, report.errMsg(), depth + 1);
            out.append(",\"object\":");
            appendValue(out, report.object(), depth + 1);
            out.append('}');
        } else if (value instanceof Caller) {
            ((Caller) value).appendJson(out);
        } else if (value instanceof Map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                appendString(out, safeToString(entry.getKey()));
                out.append(':');
                appendValue(out, entry.getValue(), depth + 1);
            }
            out.append('}');
        } else {
            appendString(out, safeToString(value));
        }
    }

    static String safeToString(Object value) {
        try {
            String text = String.valueOf(value);
            return text == null ? "null" : text; // a toString() that returns null, printed as StringBuilder would
        } catch (RuntimeException | StackOverflowError e) {
            // StackOverflowError too: two entities whose toString() call each other are common.
            return "<repr failed: " + e.getClass().getName() + ">";
        }
    }

    static String safeMessage(Throwable exc) {
        try {
            return exc.getMessage();
        } catch (RuntimeException e) {
            return "<exception str() failed>";
        }
    }

    /**
     * {@code text} as a JSON string. The runs of characters that need no escape — in practice the whole text — are
     * appended in bulk, one copy per run rather than one append per character.
     */
    static void appendString(StringBuilder out, String text) {
        out.append('"');
        int clean = 0; // text[clean, i) needs no escape and is not appended yet
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
                continue;
            }
            out.append(text, clean, i);
            clean = i + 1;
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                case '\b':
                    out.append("\\b");
                    break;
                case '\f':
                    out.append("\\f");
                    break;
                default:
                    if (c < 0x20 || isLoneSurrogate(text, i)) {
                        appendUnicodeEscape(out, c);
                    } else {
                        out.append(c); // half of a valid surrogate pair
                    }
            }
        }
        out.append(text, clean, text.length()).append('"');
    }

    /** A high surrogate without its low half after it, or a low one without its high half before it. */
    private static boolean isLoneSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
        }
        return false;
    }

    private static void appendUnicodeEscape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                .append(HEX[c & 0xf]);
    }
}
