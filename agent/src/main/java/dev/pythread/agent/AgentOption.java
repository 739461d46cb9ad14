package dev.pythread.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The agent's options, one constant each: its key, the syntax and meaning the usage text prints, its default, what
 * its error messages say is allowed, how its value parses and how it renders back. {@link AgentOptions} parses and
 * renders through this table, {@link AttachMain}'s usage is printed from it, and {@code AgentOptionDocsTest} checks the
 * options tables of {@code docs/agent.md} and {@code docs/api.md} against it.
 */
enum AgentOption {

    AUDIT("audit", "jsonl:PATH|stderr|jfr|logger[+...]", "where audit records go", null, List.of(),
            "allowed: jsonl:PATH, stderr, jfr, logger, several joined with +") {
        @Override
        Object parse(String value) throws AgentOptions.BadOption {
            return AuditSink.parseAll(value);
        }

        @Override
        String render(Object value) {
            List<String> texts = new ArrayList<>();
            for (Object sink : (List<?>) value) {
                texts.add(sink.toString());
            }
            return String.join("+", texts);
        }
    },
    EVENTS("events", "GLOB[+GLOB...]", "which audit events are recorded", "all", EventFilter.ALL,
            "allowed: event-name globs (* and ?) joined with +, e.g. _thread.*+sys.unraisablehook") {
        @Override
        Object parse(String value) throws AgentOptions.BadOption {
            try {
                return EventFilter.parse(value);
            } catch (IllegalArgumentException e) {
                throw new AgentOptions.BadOption("option events: " + e.getMessage() + "; " + allowed());
            }
        }
    },
    UNRAISABLE("unraisable", "jvm|python", "who writes uncaught exceptions", "jvm", AgentOptions.UnraisableMode.JVM,
            "allowed: jvm, python"),
    HOOK("hook", "CLASS", "an Audit.AuditHook / Unraisable.UnraisableHook to install", null, null,
            "allowed: the binary name of a public class with a public no-argument constructor implementing "
                    + "Audit.AuditHook and/or Unraisable.UnraisableHook") {
        @Override
        Object parse(String value) throws AgentOptions.BadOption {
            for (String part : value.split("\\.", -1)) { // '$' is a Java letter: Outer$Inner is one identifier
                if (part.isEmpty() || !Character.isJavaIdentifierStart(part.codePointAt(0))
                        || !part.codePoints().allMatch(Character::isJavaIdentifierPart)) {
                    throw new AgentOptions.BadOption("option hook: '" + value + "' is not a class name; "
                            + allowed());
                }
            }
            return value;
        }
    },
    ONFAIL("onfail", "warn|deny", "what a failing audit sink does", "warn", AgentOptions.OnFail.WARN,
            "allowed: warn, deny"),
    CALLER("caller", "frame|off", "whether start records say who started the thread", "frame",
            AgentOptions.CallerMode.FRAME, "allowed: frame, off"),
    POLICY("policy", "PATH", "a thread policy file: which code may start threads", null, null,
            "allowed: the path of a thread policy file"),
    CHAIN("chain", "sha256|off", "chain jsonl records into a tamper-evident log", "off", AgentOptions.ChainMode.OFF,
            "allowed: sha256, off"),
    KEY("key", "PATH", "with chain=sha256: a secret file, for HMAC-SHA256", null, null,
            "allowed: the path of a file holding a secret of at least " + RecordChain.MIN_KEY_BYTES
                    + " bytes, with chain=sha256"),
    REQUIRED("required", "true|false", "whether a JVM whose agent cannot install exits", "false", Boolean.FALSE,
            "allowed: true, false") {
        @Override
        Object parse(String value) throws AgentOptions.BadOption {
            return parseSwitch(value, "true", "false");
        }

        @Override
        String render(Object value) {
            return value.toString();
        }
    },
    INVENTORY("inventory", "on|off", "whether the agent keeps who started each live thread", "on", Boolean.TRUE,
            "allowed: on, off") {
        @Override
        Object parse(String value) throws AgentOptions.BadOption {
            return parseSwitch(value, "on", "off");
        }

        @Override
        String render(Object value) {
            return (Boolean) value ? "on" : "off";
        }
    };

    /** The usage text's column where an option's meaning starts. */
    private static final int MEANING_COLUMN = 33;

    private final String key;
    private final String syntax;
    private final String meaning;
    private final String defaultText;
    private final Object defaultValue;
    private final String allowed;

    AgentOption(String key, String syntax, String meaning, String defaultText, Object defaultValue, String allowed) {
        this.key = key;
        this.syntax = syntax;
        this.meaning = meaning;
        this.defaultText = defaultText;
        this.defaultValue = defaultValue;
        this.allowed = allowed;
    }

    /** The key, as in {@code key=value}. */
    String key() {
        return key;
    }

    /** What the default is, as the usage and the docs say it ({@code "warn"}, {@code "all"}), or {@code null}. */
    String defaultText() {
        return defaultText;
    }

    /** The value when the option is not given: {@code null} for none. */
    Object defaultValue() {
        return defaultValue;
    }

    /** {@code allowed: …}, the end of every message about a bad value of this option. */
    String allowed() {
        return allowed;
    }

    /**
     * The value of {@code key=VALUE}: by default, for an option whose default is an enum constant, the constant of that
     * enum whose name in lower case is the text; else the text itself (a path, for instance).
     *
     * @param value the text after {@code =}, trimmed and not empty
     * @throws AgentOptions.BadOption with a one-line message naming the option and what is allowed
     */
    Object parse(String value) throws AgentOptions.BadOption {
        if (defaultValue instanceof Enum) {
            for (Enum<?> constant : ((Enum<?>) defaultValue).getDeclaringClass().getEnumConstants()) {
                if (constant.name().toLowerCase(Locale.ROOT).equals(value)) {
                    return constant;
                }
            }
            throw badValue(value);
        }
        return value;
    }

    /** The value as {@code key=VALUE} gives it: by default an enum constant's name in lower case, or the text. */
    String render(Object value) {
        return value instanceof Enum ? ((Enum<?>) value).name().toLowerCase(Locale.ROOT) : value.toString();
    }

    /** Whether {@code value} differs from the default, so that it is rendered. */
    boolean isGiven(Object value) {
        return defaultValue instanceof List ? !((List<?>) value).isEmpty() : value != defaultValue;
    }

    /** The option's line of the usage text: {@code "    onfail=warn|deny   what a failing … (default: warn)"}. */
    String usageLine() {
        StringBuilder line = new StringBuilder("    ").append(key).append('=').append(syntax);
        line.append(" ".repeat(Math.max(2, MEANING_COLUMN - line.length())));
        line.append(meaning);
        if (defaultText() != null) {
            line.append(" (default: ").append(defaultText).append(')');
        }
        return line.toString();
    }

    /** Every key, in the table's order: {@code audit, events, …}. */
    static String keys() {
        List<String> keys = new ArrayList<>();
        for (AgentOption option : values()) {
            keys.add(option.key);
        }
        return String.join(", ", keys);
    }

    /** The option with {@code key}, or {@code null}. */
    static AgentOption withKey(String key) {
        for (AgentOption option : values()) {
            if (option.key.equals(key)) {
                return option;
            }
        }
        return null;
    }

    /** {@code option KEY: bad value 'VALUE'; allowed: …}. */
    AgentOptions.BadOption badValue(String value) {
        return new AgentOptions.BadOption("option " + key + ": bad value '" + value + "'; " + allowed);
    }

    Boolean parseSwitch(String value, String yes, String no) throws AgentOptions.BadOption {
        if (value.equals(yes) || value.equals(no)) {
            return value.equals(yes);
        }
        throw badValue(value);
    }
}
