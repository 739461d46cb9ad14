package dev.pythread.agent;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The agent's options, {@code -javaagent:pythread-agent.jar=key=value,key=value}: each key, its default, its
 * validation and its error messages are a constant of the table {@link AgentOption}; this parses a string through it,
 * checks how options go together, holds the typed values and renders them back into that syntax with
 * {@link #toString()} (which the attach command passes on).
 *
 * <p>Values cannot contain commas, which separate the options; several values of one key are joined with
 * {@code +}, as in {@code audit=jsonl:/var/log/app/threads.jsonl+jfr} or {@code events=_thread.*+sys.unraisablehook}
 * (so a jsonl path cannot contain {@code ,} or {@code +}).
 */
final class AgentOptions {

    /**
     * A bad option: its message is the one line the user sees, after {@code "pythread-agent: "}. Control characters
     * that the message quotes from the user's text (a newline in an option, a terminal escape sequence) are shown
     * escaped as in Java source — {@code \n}, {@code \r}, {@code \t}, else a backslash, {@code u} and four hex
     * digits — so that the line stays one printable line.
     */
    static final class BadOption extends Exception {
        private static final long serialVersionUID = 1L;

        BadOption(String message) {
            super(oneLine(message));
        }

        private static String oneLine(String message) {
            StringBuilder line = null;
            for (int i = 0; i < message.length(); i++) {
                char c = message.charAt(i);
                if (!Character.isISOControl(c)) {
                    if (line != null) {
                        line.append(c);
                    }
                    continue;
                }
                if (line == null) {
                    line = new StringBuilder(message.length() + 16).append(message, 0, i);
                }
                if (c == '\n') {
                    line.append("\\n");
                } else if (c == '\r') {
                    line.append("\\r");
                } else if (c == '\t') {
                    line.append("\\t");
                } else {
                    String hex = Integer.toHexString(c);
                    line.append("\\u").append("0000", hex.length(), 4).append(hex);
                }
            }
            return line == null ? message : line.toString();
        }
    }

    /** {@code unraisable=}: who writes an uncaught exception. */
    enum UnraisableMode {
        /** The JVM's usual chain: the thread's handler, its group, the default handler (the default). */
        JVM,
        /** CPython's format, from {@code Unraisable.DEFAULT_HOOK}. */
        PYTHON
    }

    /** {@code onfail=}: what a failing audit sink does. */
    enum OnFail {
        /** Report the failure on stderr, count the lost record, and let the application go on (the default). */
        WARN,
        /** Make the audited operation fail. */
        DENY
    }

    /** {@code caller=}: whether thread-start records say who started the thread. */
    enum CallerMode {
        /** The nearest application frame (the default). */
        FRAME,
        /** No {@code caller} field, no stack walk. */
        OFF
    }

    /** {@code chain=}: whether jsonl records are chained into a tamper-evident log (see {@link RecordChain}). */
    enum ChainMode {
        /** Plain records (the default). */
        OFF,
        /** Each record carries {@code prev} and {@code hash}: SHA-256, or HMAC-SHA256 with {@code key=}. */
        SHA256
    }

    /** Every option's value, its default where not given: keyed by the table, {@link AgentOption}. */
    private final Map<AgentOption, Object> values;

    private AgentOptions(Map<AgentOption, Object> values) {
        this.values = values;
    }

    /**
     * The options when none are given: no sink, every event, the JVM's handler chain, warn on failure, callers, and
     * an application that goes on (with one line on stderr) if the agent cannot install, and the inventory of who
     * started each live thread.
     */
    static AgentOptions defaults() {
        return new AgentOptions(withDefaults(new EnumMap<>(AgentOption.class)));
    }

    private static Map<AgentOption, Object> withDefaults(Map<AgentOption, Object> given) {
        for (AgentOption option : AgentOption.values()) {
            given.putIfAbsent(option, option.defaultValue());
        }
        return given;
    }

    /**
     * Parses the agent argument string.
     *
     * @param text the text after {@code =} in {@code -javaagent:jar=text}; {@code null} or empty for none
     * @return the options
     * @throws BadOption with a one-line message naming the option and what is allowed
     */
    static AgentOptions parse(String text) throws BadOption {
        if (text == null || text.isBlank()) {
            return defaults();
        }
        Map<AgentOption, Object> given = new EnumMap<>(AgentOption.class);
        for (String pair : text.split(",", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new BadOption("bad option '" + pair + "': expected key=value, with a key among "
                        + AgentOption.keys());
            }
            String key = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            AgentOption option = AgentOption.withKey(key);
            if (option == null) {
                throw new BadOption("unknown option '" + key + "' in '" + pair + "'; allowed: " + AgentOption.keys());
            }
            if (given.containsKey(option)) {
                throw new BadOption("option " + key + " is given twice; give it once (join values with +)");
            }
            if (value.isEmpty()) {
                throw new BadOption("option " + key + " has no value; " + option.allowed());
            }
            given.put(option, option.parse(value));
        }
        AgentOptions options = new AgentOptions(withDefaults(given));
        if (options.chain() == ChainMode.SHA256
                && options.sinks().stream().noneMatch(sink -> sink.kind() == AuditSink.Kind.JSONL)) {
            throw new BadOption("option chain: chains jsonl files, but audit= names none; add audit=jsonl:PATH");
        }
        if (options.keyFile() != null && options.chain() != ChainMode.SHA256) {
            throw new BadOption("option key: keys a chained log, so it needs chain=sha256");
        }
        return options;
    }

    /**
     * Whether {@code text} asks that a JVM whose agent cannot install end ({@code required=true}), for a caller
     * that must not handle {@link BadOption} itself: options that do not parse count as asking it, as a bad option
     * ends the JVM at start-up anyway.
     */
    static boolean requiresInstall(String text) {
        try {
            return parse(text).required();
        } catch (BadOption e) {
            return true;
        }
    }

    /** The value of {@code option}, its default if not given: for table-driven checks. */
    Object value(AgentOption option) {
        return values.get(option);
    }

    /** The sinks of {@code audit=}, in the order given; none by default. */
    @SuppressWarnings("unchecked") // AgentOption.AUDIT parses to a List<AuditSink>
    List<AuditSink> sinks() {
        return (List<AuditSink>) values.get(AgentOption.AUDIT);
    }

    EventFilter events() {
        return (EventFilter) values.get(AgentOption.EVENTS);
    }

    UnraisableMode unraisable() {
        return (UnraisableMode) values.get(AgentOption.UNRAISABLE);
    }

    /** The {@code hook=} class name, or {@code null}. */
    String hookClass() {
        return (String) values.get(AgentOption.HOOK);
    }

    OnFail onFail() {
        return (OnFail) values.get(AgentOption.ONFAIL);
    }

    /** The {@code policy=} file, or {@code null}. */
    String policyFile() {
        return (String) values.get(AgentOption.POLICY);
    }

    ChainMode chain() {
        return (ChainMode) values.get(AgentOption.CHAIN);
    }

    /** The {@code key=} file, or {@code null}. */
    String keyFile() {
        return (String) values.get(AgentOption.KEY);
    }

    /**
     * {@code required=true}: a JVM whose agent cannot install ends at start-up, with the one line that says why,
     * instead of running unaudited. The default, {@code false}, prints that line and lets the application run:
     * the agent must never be the reason a production service does not come up.
     */
    boolean required() {
        return (Boolean) values.get(AgentOption.REQUIRED);
    }

    /**
     * {@code inventory=on} (the default): the agent keeps who started each live thread, for
     * {@code java -jar pythread-agent.jar PID threads}; {@code off}: no record and no stack walk per start.
     */
    boolean inventory() {
        return (Boolean) values.get(AgentOption.INVENTORY);
    }

    /** Whether thread-start records carry {@code caller}. */
    boolean attributeCaller() {
        return values.get(AgentOption.CALLER) == CallerMode.FRAME;
    }

    /** The options in the agent's own syntax, defaults left out: {@code parse(toString())} gives equal options. */
    @Override
    public String toString() {
        StringJoiner text = new StringJoiner(",");
        for (Map.Entry<AgentOption, Object> option : values.entrySet()) {
            if (option.getKey().isGiven(option.getValue())) {
                text.add(option.getKey().key() + "=" + option.getKey().render(option.getValue()));
            }
        }
        return text.toString();
    }
}
