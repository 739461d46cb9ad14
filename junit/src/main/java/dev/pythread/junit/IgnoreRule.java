package dev.pythread.junit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One rule for threads that are not leaks, as written in {@code pythread.junit.threadLeaks.ignore} or
 * {@code @DetectThreadLeaks(ignore = …)}. By who started the thread first, by its name only as a fallback, because a
 * name is chosen by whoever creates the thread and is often a counter ({@code pool-7-thread-1}):
 * <ul>
 *   <li>{@code package:com.example} — the starting frame's class is in that package or a subpackage;</li>
 *   <li>{@code class:com.example.Foo} — the starting frame's class, or the thread's own class, is that class or a
 *       class nested in it;</li>
 *   <li>{@code jar:kafka-clients-*.jar} — the file name of the starting frame's code source (a jar, or a folder
 *       such as {@code classes}) matches the glob;</li>
 *   <li>{@code name:GLOB} — the thread's name matches the glob.</li>
 * </ul>
 * A glob's {@code *} matches any run of characters, {@code ?} one character; everything else matches itself. The
 * starting frame is known only under pythread-agent: without it, only {@code class:} (by the thread's class) and
 * {@code name:} can match.
 */
final class IgnoreRule {

    /** What {@link #parseList} accepts, for the messages of bad values. */
    static final String ALLOWED = "package:NAME, class:NAME, jar:GLOB, name:GLOB, separated by commas";

    /** What a rule matches. */
    enum Kind {
        PACKAGE, CLASS, JAR, NAME
    }

    private final Kind kind;
    /** The package or class name, or the glob, as written. */
    private final String value;
    /** {@link #value} compiled, for {@code jar:} and {@code name:}; else {@code null}. */
    private final Pattern glob;

    private IgnoreRule(Kind kind, String value, Pattern glob) {
        this.kind = kind;
        this.value = value;
        this.glob = glob;
    }

    /**
     * Parses {@code text}: rules separated by commas, blanks around them ignored, empty entries skipped.
     *
     * @throws IllegalArgumentException whose message is the first bad rule, as written
     */
    static List<IgnoreRule> parseList(String text) {
        List<IgnoreRule> rules = new ArrayList<>();
        for (String entry : text.split(",", -1)) {
            String rule = entry.trim();
            if (!rule.isEmpty()) {
                rules.add(parse(rule));
            }
        }
        return rules;
    }

    private static IgnoreRule parse(String rule) {
        int colon = rule.indexOf(':');
        String value = colon < 0 ? "" : rule.substring(colon + 1).trim();
        if (colon < 0 || value.isEmpty() || value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(rule);
        }
        switch (rule.substring(0, colon).trim().toLowerCase(Locale.ROOT)) {
            case "package":
                return new IgnoreRule(Kind.PACKAGE, value, null);
            case "class":
                return new IgnoreRule(Kind.CLASS, value, null);
            case "jar":
                return new IgnoreRule(Kind.JAR, value, glob(value));
            case "name":
                return new IgnoreRule(Kind.NAME, value, glob(value));
            default:
                throw new IllegalArgumentException(rule);
        }
    }

    private static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                regex.append(Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
                literal.setLength(0);
            } else {
                literal.append(c);
            }
        }
        return Pattern.compile(regex.append(Pattern.quote(literal.toString())).toString(), Pattern.DOTALL);
    }

    /**
     * Whether this rule says {@code thread} is not a leak.
     *
     * @param frame the code that started it, or {@code null} if unknown
     */
    boolean matches(Thread thread, StartFrame frame) {
        switch (kind) {
            case PACKAGE:
                return frame != null && inPackage(frame.className());
            case CLASS:
                return frame != null && isClass(frame.className()) || isClass(thread.getClass().getName());
            case JAR:
                String file = frame == null ? null : frame.sourceFileName();
                return file != null && glob.matcher(file).matches();
            default:
                return glob.matcher(thread.getName()).matches();
        }
    }

    private boolean inPackage(String className) {
        int dot = className.lastIndexOf('.');
        String pkg = dot < 0 ? "" : className.substring(0, dot);
        return pkg.equals(value) || pkg.startsWith(value + ".");
    }

    private boolean isClass(String className) {
        return className.equals(value) || className.startsWith(value + "$");
    }

    /** The rule as written, normalised: {@code name:worker-*}. */
    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + ":" + value;
    }
}
