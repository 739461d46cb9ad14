package dev.pythread.agent;

import java.util.regex.Pattern;

/**
 * One line of a thread policy that decides classes — {@code allow|deny from KIND VALUE} — or the {@code default}
 * directive, or one of the verdicts the policy gives without a line ({@link #TRUSTED}, {@link #NO_CODE_SOURCE_DENIED}).
 * A rule matches a class, never a particular frame: its code source, package or module.
 *
 * @param allow whether a class it decides may start threads
 * @param kind  what it looks at
 * @param value the glob, package or module name; empty for kinds that take none
 * @param line  its line in the policy file; 0 for a verdict no line gave
 * @param jarGlob a {@link Kind#JAR} rule's glob, compiled; {@code null} for other kinds
 */
record PolicyRule(boolean allow, Kind kind, String value, int line, Pattern jarGlob) {

    /** What a rule looks at; {@link #keyword} is how the policy file names it. */
    enum Kind {
        JAR("jar", true), PACKAGE("package", true), MODULE("module", true), NO_CODE_SOURCE("no-code-source", false),
        /** The {@code default} directive: decides where no rule matched, matches nothing by itself. */
        DEFAULT("default", false),
        /** A JDK or agent class ({@link TrustedClasses}): never decided. */
        TRUSTED("trusted", false);

        final String keyword;
        final boolean takesValue;

        Kind(String keyword, boolean takesValue) {
            this.keyword = keyword;
            this.takesValue = takesValue;
        }

        /** The kind a policy file's {@code from} names, or {@code null}. */
        static Kind named(String keyword) {
            for (Kind kind : values()) {
                if (kind.keyword.equals(keyword) && kind != DEFAULT && kind != TRUSTED) {
                    return kind;
                }
            }
            return null;
        }
    }

    /** Where no {@code from no-code-source} rule is given: a class with no code source is untrusted. */
    static final PolicyRule NO_CODE_SOURCE_DENIED = of(false, Kind.NO_CODE_SOURCE, "", 0);

    /** Trusted by identity: never decided. */
    static final PolicyRule TRUSTED = of(true, Kind.TRUSTED, "", 0);

    static PolicyRule of(boolean allow, Kind kind, String value, int line) {
        return new PolicyRule(allow, kind, value, line, kind == Kind.JAR ? globToRegex(value) : null);
    }

    /** The {@code default} directive; line 0 when the file has none. */
    static PolicyRule byDefault(boolean allow, int line) {
        return of(allow, Kind.DEFAULT, "", line);
    }

    /**
     * Whether this rule decides a class.
     *
     * @param source the class's code source ({@link CallerFrame#sourceOf}), {@code null} for none
     */
    boolean matches(Class<?> type, String source) {
        switch (kind) {
            case NO_CODE_SOURCE:
                return source == null;
            case JAR:
                return source != null && jarGlob.matcher(source).matches();
            case PACKAGE:
                String pkg = type.getPackageName();
                return pkg.equals(value) || pkg.startsWith(value + ".");
            case MODULE:
                return type.getModule().isNamed() && type.getModule().getName().equals(value);
            default: // the default directive decides only where no rule matched; TRUSTED is never looked up
                return false;
        }
    }

    /** As the policy file writes it: what a denial names. */
    @Override
    public String toString() {
        String verdict = allow ? "allow" : "deny";
        if (kind == Kind.DEFAULT) {
            return "default " + verdict;
        }
        return verdict + " from " + kind.keyword + (kind.takesValue ? " " + value : "");
    }

    /**
     * {@code *} within one path segment, {@code **} across segments, {@code ?} one character; the rest literal. Not
     * the JDK's {@code glob:} {@code PathMatcher}: its {@code {a,b}} and {@code [abc]} would give those characters a
     * new meaning in existing policies, and a code source is not always a file path ({@code jrt:/…}).
     */
    static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else {
                    regex.append("[^/]*");
                }
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
