package dev.pythread.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The agent option {@code events=}: glob patterns of the audit event names to record, joined with {@code +}.
 * {@code *} matches any run of characters (dots included), {@code ?} one character; everything else is literal.
 * An event is recorded when any pattern matches its whole name.
 */
final class EventFilter {

    /** Every event: the default. */
    static final EventFilter ALL = new EventFilter("*", List.of());

    private final String text;
    /** Empty for {@link #ALL}. */
    private final List<Pattern> patterns;

    private EventFilter(String text, List<Pattern> patterns) {
        this.text = text;
        this.patterns = patterns;
    }

    /**
     * Parses {@code glob+glob+…}.
     *
     * @throws IllegalArgumentException if a pattern is empty
     */
    static EventFilter parse(String text) {
        List<Pattern> patterns = new ArrayList<>();
        boolean matchesAll = false;
        for (String glob : text.split("\\+", -1)) {
            if (glob.isEmpty()) {
                throw new IllegalArgumentException("empty pattern in '" + text + "'");
            }
            matchesAll |= glob.equals("*");
            patterns.add(toRegex(glob));
        }
        return matchesAll ? ALL : new EventFilter(text, List.copyOf(patterns));
    }

    private static Pattern toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        int literalStart = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                if (literalStart < i) {
                    regex.append(Pattern.quote(glob.substring(literalStart, i)));
                }
                regex.append(c == '*' ? ".*" : ".");
                literalStart = i + 1;
            }
        }
        if (literalStart < glob.length()) {
            regex.append(Pattern.quote(glob.substring(literalStart)));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /** Whether events named {@code event} are recorded. */
    boolean accepts(String event) {
        if (patterns.isEmpty()) {
            return true;
        }
        for (Pattern pattern : patterns) {
            if (pattern.matcher(event).matches()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }
}
