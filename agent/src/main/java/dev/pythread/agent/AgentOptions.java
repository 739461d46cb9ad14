package dev.pythread.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The agent's options, {@code -javaagent:pythread-agent.jar=key=value,key=value}: every key, its default, its
 * validation and its error message live here, and {@link #toString()} renders the options back into that syntax
 * (which the attach command passes on).
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

    static final String AUDIT = "audit";
    static final String EVENTS = "events";
    static final String UNRAISABLE = "unraisable";
    static final String HOOK = "hook";
    static final String ONFAIL = "onfail";
    static final String CALLER = "caller";
    static final String POLICY = "policy";
    static final String CHAIN = "chain";
    static final String KEY = "key";
    static final String REQUIRED = "required";
    static final String INVENTORY = "inventory";

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

    private static final List<String> KEYS = List.of(AUDIT, EVENTS, UNRAISABLE, HOOK, ONFAIL, CALLER, POLICY, CHAIN,
            KEY, REQUIRED, INVENTORY);
    static final String SINK_STDERR = "stderr";
    static final String SINK_JFR = "jfr";
    static final String SINK_LOGGER = "logger";
    static final String SINK_JSONL_PREFIX = "jsonl:";
    private static final List<String> NAMED_SINKS = List.of(SINK_STDERR, SINK_JFR, SINK_LOGGER);
    private static final String GLOBS_ALLOWED =
            "allowed: event-name globs (* and ?) joined with +, e.g. _thread.*+sys.unraisablehook";

    private final List<String> sinks;
    private final EventFilter events;
    private final UnraisableMode unraisable;
    private final String hookClass;
    private final OnFail onFail;
    private final CallerMode caller;
    private final String policyFile;
    private final ChainMode chain;
    private final String keyFile;
    private final boolean required;
    private final boolean inventory;

    private AgentOptions(List<String> sinks, EventFilter events, UnraisableMode unraisable, String hookClass,
                         OnFail onFail, CallerMode caller, String policyFile, ChainMode chain, String keyFile,
                         boolean required, boolean inventory) {
        this.sinks = List.copyOf(sinks);
        this.events = events;
        this.unraisable = unraisable;
        this.hookClass = hookClass;
        this.onFail = onFail;
        this.caller = caller;
        this.policyFile = policyFile;
        this.chain = chain;
        this.keyFile = keyFile;
        this.required = required;
        this.inventory = inventory;
    }

    /**
     * The options when none are given: no sink, every event, the JVM's handler chain, warn on failure, callers, and
     * an application that goes on (with one line on stderr) if the agent cannot install, and the inventory of who
     * started each live thread.
     */
    static AgentOptions defaults() {
        return new AgentOptions(List.of(), EventFilter.ALL, UnraisableMode.JVM, null, OnFail.WARN, CallerMode.FRAME,
                null, ChainMode.OFF, null, false, true);
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
        Map<String, String> given = new LinkedHashMap<>();
        for (String option : text.split(",", -1)) {
            int eq = option.indexOf('=');
            if (eq <= 0) {
                throw new BadOption("bad option '" + option + "': expected key=value, with a key among "
                        + String.join(", ", KEYS));
            }
            String key = option.substring(0, eq).trim();
            String value = option.substring(eq + 1).trim();
            if (!KEYS.contains(key)) {
                throw new BadOption("unknown option '" + key + "' in '" + option + "'; allowed: "
                        + String.join(", ", KEYS));
            }
            if (given.put(key, value) != null) {
                throw new BadOption("option " + key + " is given twice; give it once (join values with +)");
            }
            if (value.isEmpty()) {
                throw new BadOption("option " + key + " has no value; " + allowed(key));
            }
        }
        List<String> sinks = given.containsKey(AUDIT) ? parseSinks(given.get(AUDIT)) : List.of();
        ChainMode chain = given.containsKey(CHAIN) ? parseEnum(CHAIN, given.get(CHAIN), ChainMode.class) : ChainMode.OFF;
        if (chain == ChainMode.SHA256 && sinks.stream().noneMatch(sink -> sink.startsWith(SINK_JSONL_PREFIX))) {
            throw new BadOption("option chain: chains jsonl files, but audit= names none; add audit=jsonl:PATH");
        }
        if (given.containsKey(KEY) && chain != ChainMode.SHA256) {
            throw new BadOption("option key: keys a chained log, so it needs chain=sha256");
        }
        return new AgentOptions(
                sinks,
                given.containsKey(EVENTS) ? parseEvents(given.get(EVENTS)) : EventFilter.ALL,
                given.containsKey(UNRAISABLE) ? parseEnum(UNRAISABLE, given.get(UNRAISABLE), UnraisableMode.class)
                        : UnraisableMode.JVM,
                given.containsKey(HOOK) ? parseClassName(given.get(HOOK)) : null,
                given.containsKey(ONFAIL) ? parseEnum(ONFAIL, given.get(ONFAIL), OnFail.class) : OnFail.WARN,
                given.containsKey(CALLER) ? parseEnum(CALLER, given.get(CALLER), CallerMode.class) : CallerMode.FRAME,
                given.get(POLICY),
                chain,
                given.get(KEY),
                given.containsKey(REQUIRED) && parseBoolean(REQUIRED, given.get(REQUIRED)),
                !given.containsKey(INVENTORY) || parseOnOff(INVENTORY, given.get(INVENTORY)));
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

    private static boolean parseBoolean(String key, String value) throws BadOption {
        if (value.equals("true") || value.equals("false")) {
            return value.equals("true");
        }
        throw new BadOption("option " + key + ": bad value '" + value + "'; " + allowed(key));
    }

    private static boolean parseOnOff(String key, String value) throws BadOption {
        if (value.equals("on") || value.equals("off")) {
            return value.equals("on");
        }
        throw new BadOption("option " + key + ": bad value '" + value + "'; " + allowed(key));
    }

    private static List<String> parseSinks(String value) throws BadOption {
        List<String> sinks = new ArrayList<>();
        for (String sink : value.split("\\+", -1)) {
            boolean jsonl = sink.startsWith(SINK_JSONL_PREFIX) && sink.length() > SINK_JSONL_PREFIX.length();
            if (!jsonl && !NAMED_SINKS.contains(sink)) {
                throw new BadOption("option audit: unknown sink '" + sink + "'; " + allowed(AUDIT));
            }
            if (sinks.contains(sink)) {
                throw new BadOption("option audit: sink '" + sink + "' is given twice");
            }
            sinks.add(sink);
        }
        return sinks;
    }

    private static EventFilter parseEvents(String value) throws BadOption {
        try {
            return EventFilter.parse(value);
        } catch (IllegalArgumentException e) {
            throw new BadOption("option events: " + e.getMessage() + "; " + GLOBS_ALLOWED);
        }
    }

    private static <E extends Enum<E>> E parseEnum(String key, String value, Class<E> type) throws BadOption {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(Locale.ROOT).equals(value)) {
                return constant;
            }
        }
        throw new BadOption("option " + key + ": bad value '" + value + "'; " + allowed(key));
    }

    private static String parseClassName(String value) throws BadOption {
        for (String part : value.split("\\.", -1)) { // '$' is a Java letter: Outer$Inner is one identifier
            if (part.isEmpty() || !Character.isJavaIdentifierStart(part.codePointAt(0))
                    || !part.codePoints().allMatch(Character::isJavaIdentifierPart)) {
                throw new BadOption("option hook: '" + value + "' is not a class name; " + allowed(HOOK));
            }
        }
        return value;
    }

    private static String allowed(String key) {
        switch (key) {
            case AUDIT:
                return "allowed: jsonl:PATH, stderr, jfr, logger, several joined with +";
            case EVENTS:
                return GLOBS_ALLOWED;
            case UNRAISABLE:
                return "allowed: jvm, python";
            case HOOK:
                return "allowed: the binary name of a public class with a public no-argument constructor "
                        + "implementing Audit.AuditHook and/or Unraisable.UnraisableHook";
            case ONFAIL:
                return "allowed: warn, deny";
            case CALLER:
                return "allowed: frame, off";
            case POLICY:
                return "allowed: the path of a thread policy file";
            case CHAIN:
                return "allowed: sha256, off";
            case KEY:
                return "allowed: the path of a file holding a secret of at least " + RecordChain.MIN_KEY_BYTES
                        + " bytes, with chain=sha256";
            case REQUIRED:
                return "allowed: true, false";
            case INVENTORY:
                return "allowed: on, off";
            default:
                throw new IllegalArgumentException(key);
        }
    }

    List<String> sinks() {
        return sinks;
    }

    EventFilter events() {
        return events;
    }

    UnraisableMode unraisable() {
        return unraisable;
    }

    /** The {@code hook=} class name, or {@code null}. */
    String hookClass() {
        return hookClass;
    }

    OnFail onFail() {
        return onFail;
    }

    /** The {@code policy=} file, or {@code null}. */
    String policyFile() {
        return policyFile;
    }

    ChainMode chain() {
        return chain;
    }

    /** The {@code key=} file, or {@code null}. */
    String keyFile() {
        return keyFile;
    }

    /**
     * {@code required=true}: a JVM whose agent cannot install ends at start-up, with the one line that says why,
     * instead of running unaudited. The default, {@code false}, prints that line and lets the application run:
     * the agent must never be the reason a production service does not come up.
     */
    boolean required() {
        return required;
    }

    /**
     * {@code inventory=on} (the default): the agent keeps who started each live thread, for
     * {@code java -jar pythread-agent.jar PID threads}; {@code off}: no record and no stack walk per start.
     */
    boolean inventory() {
        return inventory;
    }

    /** Whether thread-start records carry {@code caller}. */
    boolean attributeCaller() {
        return caller == CallerMode.FRAME;
    }

    /** The options in the agent's own syntax, defaults left out: {@code parse(toString())} gives equal options. */
    @Override
    public String toString() {
        StringJoiner text = new StringJoiner(",");
        if (!sinks.isEmpty()) {
            text.add(AUDIT + "=" + String.join("+", sinks));
        }
        if (events != EventFilter.ALL) {
            text.add(EVENTS + "=" + events);
        }
        if (unraisable != UnraisableMode.JVM) {
            text.add(UNRAISABLE + "=" + unraisable.name().toLowerCase(Locale.ROOT));
        }
        if (hookClass != null) {
            text.add(HOOK + "=" + hookClass);
        }
        if (onFail != OnFail.WARN) {
            text.add(ONFAIL + "=" + onFail.name().toLowerCase(Locale.ROOT));
        }
        if (caller != CallerMode.FRAME) {
            text.add(CALLER + "=" + caller.name().toLowerCase(Locale.ROOT));
        }
        if (policyFile != null) {
            text.add(POLICY + "=" + policyFile);
        }
        if (chain != ChainMode.OFF) {
            text.add(CHAIN + "=" + chain.name().toLowerCase(Locale.ROOT));
        }
        if (keyFile != null) {
            text.add(KEY + "=" + keyFile);
        }
        if (required) {
            text.add(REQUIRED + "=true");
        }
        if (!inventory) {
            text.add(INVENTORY + "=off");
        }
        return text.toString();
    }
}
