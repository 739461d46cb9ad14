package dev.pythread.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pythread.agent.AgentOptions.BadOption;
import dev.pythread.agent.AgentOptions.OnFail;
import dev.pythread.agent.AgentOptions.UnraisableMode;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link AgentOptions}: parsing {@code key=value,key=value}, every key's validation and message, and rendering back
 * with {@link AgentOptions#toString()}. Messages are compared verbatim: they are what the user reads.
 */
class AgentOptionsTest {

    private static final String KEYS = "audit, events, unraisable, hook, onfail, caller, policy, chain, key, required, inventory";
    private static final String SINKS_ALLOWED = "allowed: jsonl:PATH, stderr, jfr, logger, several joined with +";
    private static final String GLOBS_ALLOWED =
            "allowed: event-name globs (* and ?) joined with +, e.g. _thread.*+sys.unraisablehook";
    private static final String UNRAISABLE_ALLOWED = "allowed: jvm, python";
    private static final String HOOK_ALLOWED = "allowed: the binary name of a public class with a public "
            + "no-argument constructor implementing Audit.AuditHook and/or Unraisable.UnraisableHook";
    private static final String ONFAIL_ALLOWED = "allowed: warn, deny";

    /** Parses options that must be accepted. */
    private static AgentOptions parse(String text) {
        try {
            return AgentOptions.parse(text);
        } catch (BadOption e) {
            throw new AssertionError("'" + text + "' was rejected: " + e.getMessage(), e);
        }
    }

    /** Parses options that must be rejected and returns the message, which is one line without the agent's prefix. */
    private static String bad(String text) {
        BadOption e = assertThrows(BadOption.class, () -> AgentOptions.parse(text), text);
        String message = e.getMessage();
        assertFalse(message.startsWith("pythread-agent"), "the caller adds the prefix: " + message);
        assertFalse(message.contains("\n") || message.contains("\r"), "one line: " + message);
        return message;
    }

    /** The sinks as the option spells them. */
    private static List<String> texts(List<AuditSink> sinks) {
        return sinks.stream().map(AuditSink::toString).collect(Collectors.toList());
    }

    private static void assertDefaults(AgentOptions options) {
        assertEquals(List.of(), texts(options.sinks()));
        assertSame(EventFilter.ALL, options.events());
        assertSame(UnraisableMode.JVM, options.unraisable());
        assertNull(options.hookClass());
        assertSame(OnFail.WARN, options.onFail());
        assertFalse(options.required());
        assertTrue(options.inventory());
        assertTrue(options.attributeCaller());
        assertNull(options.policyFile());
        assertSame(AgentOptions.ChainMode.OFF, options.chain());
        assertNull(options.keyFile());
        for (AgentOption option : AgentOption.values()) {
            assertEquals(option.defaultValue(), options.value(option), option.key());
        }
        assertEquals("", options.toString());
    }

    // ---------------------------------------------------------------- defaults

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "   ", "\t", " \t\n ", "\r\n"})
    void noOptionsGiveTheDefaults(String text) {
        assertDefaults(parse(text));
    }

    @Test
    void defaultsAreNoSinkEveryEventTheJvmChainNoHookAndWarn() {
        assertDefaults(AgentOptions.defaults());
    }

    @Test
    void aKeyNotGivenKeepsItsDefault() {
        AgentOptions options = parse("onfail=deny");
        assertEquals(List.of(), texts(options.sinks()));
        assertSame(EventFilter.ALL, options.events());
        assertSame(UnraisableMode.JVM, options.unraisable());
        assertNull(options.hookClass());
        assertSame(OnFail.DENY, options.onFail());
    }

    // ---------------------------------------------------------------- audit=

    @Test
    void auditStderr() {
        AgentOptions options = parse("audit=stderr");
        assertEquals(List.of("stderr"), texts(options.sinks()));
        assertSame(EventFilter.ALL, options.events());
        assertSame(UnraisableMode.JVM, options.unraisable());
        assertNull(options.hookClass());
        assertSame(OnFail.WARN, options.onFail());
    }

    @Test
    void sinksCannotBeModified() {
        List<AuditSink> sinks = parse("audit=stderr").sinks();
        assertThrows(UnsupportedOperationException.class, () -> sinks.add(AuditSink.JFR));
        assertThrows(UnsupportedOperationException.class, () -> AgentOptions.defaults().sinks().add(AuditSink.STDERR));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "audit=JFR            | JFR",
        "audit=log            | log",
        "audit=jsonl:         | jsonl:",
        "audit=jsonl          | jsonl",
        "audit=file:/tmp/x    | file:/tmp/x",
        "audit=bogus          | bogus",
        "audit=STDERR         | STDERR",
        "audit=Stderr         | Stderr",
        "audit=stderr+bogus   | bogus",
        "audit=bogus+stderr   | bogus",
        "audit=stderr+jfrx    | jfrx",
    })
    void unknownSink(String text, String sink) {
        assertEquals("option audit: unknown sink '" + sink + "'; " + SINKS_ALLOWED, bad(text));
    }

    @Test
    void callerIsFrameByDefaultAndCanBeTurnedOff() {
        assertTrue(AgentOptions.defaults().attributeCaller());
        assertTrue(parse("caller=frame").attributeCaller());
        assertEquals("", parse("caller=frame").toString(), "the default is left out");
        AgentOptions off = parse("caller=off");
        assertFalse(off.attributeCaller());
        assertEquals("caller=off", off.toString());
        assertEquals("option caller: bad value 'FRAME'; allowed: frame, off", bad("caller=FRAME"));
    }

    @Test
    void everySinkParsesInTheOrderGiven() {
        AgentOptions options = parse("audit=jsonl:/var/log/app/threads-%p.jsonl+jfr+logger+stderr+jsonl:b.jsonl");
        assertEquals(List.of("jsonl:/var/log/app/threads-%p.jsonl", "jfr", "logger", "stderr", "jsonl:b.jsonl"),
                texts(options.sinks()));
        assertEquals(List.of(AuditSink.Kind.JSONL, AuditSink.Kind.JFR, AuditSink.Kind.LOGGER, AuditSink.Kind.STDERR,
                AuditSink.Kind.JSONL), options.sinks().stream().map(AuditSink::kind).collect(Collectors.toList()));
        assertEquals("b.jsonl", options.sinks().get(4).path());
        assertEquals("audit=jsonl:/var/log/app/threads-%p.jsonl+jfr+logger+stderr+jsonl:b.jsonl", options.toString());
    }

    @Test
    void aJsonlPathMayContainColonsAndEquals() {
        assertEquals(List.of("jsonl:/tmp/a:b=c.jsonl"), texts(parse("audit=jsonl:/tmp/a:b=c.jsonl").sinks()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"audit=stderr+", "audit=+stderr", "audit=+", "audit=stderr++stderr"})
    void emptySinkIsAnUnknownSink(String text) {
        assertEquals("option audit: unknown sink ''; " + SINKS_ALLOWED, bad(text));
    }

    @Test
    void duplicateSink() {
        assertEquals("option audit: sink 'stderr' is given twice", bad("audit=stderr+stderr"));
    }

    // ---------------------------------------------------------------- events=

    @Test
    void eventsWithSeveralGlobsJoinedWithPlus() {
        AgentOptions options = parse("events=_thread.*+sys.unraisablehook");
        EventFilter events = options.events();
        assertEquals("_thread.*+sys.unraisablehook", events.toString());
        assertTrue(events.accepts("_thread.start_new_thread"));
        assertTrue(events.accepts("sys.unraisablehook"));
        assertFalse(events.accepts("sys.audit"));
        assertFalse(events.accepts("sys.unraisablehookx"));
        assertEquals(List.of(), texts(options.sinks()));
        assertSame(UnraisableMode.JVM, options.unraisable());
    }

    @Test
    void eventsWithOneGlob() {
        EventFilter events = parse("events=pythread.policy.?eny").events();
        assertTrue(events.accepts("pythread.policy.deny"));
        assertFalse(events.accepts("pythread.policy.dney"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"events=*", "events=a+*", "events=*+a", "events= * "})
    void eventsMatchingEverythingAreTheDefault(String text) {
        AgentOptions options = parse(text);
        assertSame(EventFilter.ALL, options.events());
        assertEquals("", options.toString());
    }

    @Test
    void eventsValueMayContainAnEqualsSign() {
        EventFilter events = parse("events=a=b").events();
        assertTrue(events.accepts("a=b"));
        assertFalse(events.accepts("a"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "events=a++b   | a++b",
        "events=+      | +",
        "events=a+     | a+",
        "events=+a     | +a",
        "events= +a    | +a",
        "events=+*     | +*",
    })
    void emptyGlob(String text, String value) {
        assertEquals("option events: empty pattern in '" + value + "'; " + GLOBS_ALLOWED, bad(text));
    }

    /**
     * An empty pattern is rejected wherever it is, even after a {@code *} that already matches every event: else
     * {@code a++b} is an error and {@code *++b} is not.
     */
    @ParameterizedTest
    @ValueSource(strings = {"*+", "*++b", "a+*+"})
    void emptyGlobIsRejectedAfterAStarToo(String value) {
        assertEquals("option events: empty pattern in '" + value + "'; " + GLOBS_ALLOWED, bad("events=" + value));
    }

    // ---------------------------------------------------------------- unraisable=

    @ParameterizedTest
    @CsvSource({"jvm, JVM", "python, PYTHON"})
    void unraisable(String value, UnraisableMode mode) {
        AgentOptions options = parse("unraisable=" + value);
        assertSame(mode, options.unraisable());
        assertEquals(List.of(), texts(options.sinks()));
        assertSame(OnFail.WARN, options.onFail());
    }

    @ParameterizedTest
    @ValueSource(strings = {"JVM", "Jvm", "PYTHON", "Python", "py", "cpython", "jvm+python", "none", "0"})
    void badUnraisable(String value) {
        assertEquals("option unraisable: bad value '" + value + "'; " + UNRAISABLE_ALLOWED,
                bad("unraisable=" + value));
    }

    // ---------------------------------------------------------------- hook=

    @ParameterizedTest
    @ValueSource(strings = {
        "com.example.MyHook",
        "com.example.Outer$Inner",
        "com.example.Outer$Inner$Innermost",
        "MyHook",
        "_x._y",
        "a1.b2.C3",
        "org.\u00e9t\u00e9.Crochet",
    })
    void hook(String className) {
        AgentOptions options = parse("hook=" + className);
        assertEquals(className, options.hookClass());
        assertEquals(List.of(), texts(options.sinks()));
        assertSame(EventFilter.ALL, options.events());
        assertSame(UnraisableMode.JVM, options.unraisable());
        assertSame(OnFail.WARN, options.onFail());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "1abc",
        "a..b",
        "a.",
        ".a",
        ".",
        "com.example.1Hook",
        "com.example.My Hook",
        "com.example.My-Hook",
        "com/example/MyHook",
        "com.example.MyHook;",
        "a=b",
        "a+b",
    })
    void badHook(String value) {
        assertEquals("option hook: '" + value + "' is not a class name; " + HOOK_ALLOWED, bad("hook=" + value));
    }

    /**
     * {@code $} is a Java letter: a class may be named {@code $Hook} or {@code Hook$}, and {@code a$$b} is a legal
     * binary name (one class {@code a$$b}, or member {@code $b} of {@code a}). They are binary names of public
     * classes, so they must be accepted.
     */
    @ParameterizedTest
    @ValueSource(strings = {"com.example.$Hook", "$Hook", "com.example.Hook$", "com.example.Outer$$Inner",
        "com.example.Outer$$Lambda"})
    void hookAcceptsDollarSignsAsJavaLetters(String className) {
        assertEquals(className, parse("hook=" + className).hookClass());
    }

    // ---------------------------------------------------------------- onfail=

    @ParameterizedTest
    @CsvSource({"warn, WARN", "deny, DENY"})
    void onfail(String value, OnFail onFail) {
        AgentOptions options = parse("onfail=" + value);
        assertSame(onFail, options.onFail());
        assertSame(UnraisableMode.JVM, options.unraisable());
        assertEquals(List.of(), texts(options.sinks()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"maybe", "WARN", "Deny", "DENY", "warn+deny", "fail", "ignore"})
    void badOnfail(String value) {
        assertEquals("option onfail: bad value '" + value + "'; " + ONFAIL_ALLOWED, bad("onfail=" + value));
    }

    // ---------------------------------------------------------------- chain, key

    @Test
    void chainIsOffByDefaultAndSealsJsonlFilesWithOptionalKey() {
        assertSame(AgentOptions.ChainMode.OFF, AgentOptions.defaults().chain());
        AgentOptions chained = parse("audit=jsonl:/tmp/a.jsonl+stderr,chain=sha256,key=/etc/app/audit.key");
        assertSame(AgentOptions.ChainMode.SHA256, chained.chain());
        assertEquals("/etc/app/audit.key", chained.keyFile());
        assertEquals("audit=jsonl:/tmp/a.jsonl+stderr,chain=sha256,key=/etc/app/audit.key", chained.toString());
        assertEquals("", parse("chain=off").toString(), "the default is left out");
    }

    @Test
    void chainAndKeyNeedWhatTheyWorkOn() {
        assertEquals("option chain: bad value 'md5'; allowed: sha256, off", bad("audit=jsonl:/tmp/a,chain=md5"));
        assertEquals("option chain: chains jsonl files, but audit= names none; add audit=jsonl:PATH",
                bad("audit=stderr,chain=sha256"));
        assertEquals("option key: keys a chained log, so it needs chain=sha256", bad("audit=jsonl:/tmp/a,key=/k"));
        assertEquals("option key has no value; allowed: the path of a file holding a secret of at least 16 bytes, "
                + "with chain=sha256", bad("audit=jsonl:/tmp/a,chain=sha256,key="));
    }

    // ---------------------------------------------------------------- required

    @Test
    void requiredIsFalseByDefaultAndRendersOnlyWhenTrue() {
        assertFalse(AgentOptions.defaults().required());
        assertFalse(parse("required=false").required());
        assertEquals("", parse("required=false").toString(), "the default is left out");
        AgentOptions required = parse("audit=stderr,required=true");
        assertTrue(required.required());
        assertEquals("audit=stderr,required=true", required.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "TRUE", "True", "1", "on", "true+false"})
    void badRequired(String value) {
        assertEquals("option required: bad value '" + value + "'; allowed: true, false", bad("required=" + value));
    }

    // ---------------------------------------------------------------- inventory

    @Test
    void inventoryIsOnByDefaultAndRendersOnlyWhenOff() {
        assertTrue(parse("inventory=on").inventory());
        assertEquals("", parse("inventory=on").toString(), "the default is left out");
        AgentOptions off = parse("audit=stderr,inventory=off");
        assertFalse(off.inventory());
        assertEquals("audit=stderr,inventory=off", off.toString());
        assertFalse(parse(off.toString()).inventory(), "round trip");
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "false", "ON", "Off", "1", "on+off"})
    void badInventory(String value) {
        assertEquals("option inventory: bad value '" + value + "'; allowed: on, off", bad("inventory=" + value));
    }

    @Test
    void requiresInstallWhenRequiredOrWhenTheOptionsDoNotParse() {
        assertTrue(AgentOptions.requiresInstall("required=true"));
        assertTrue(AgentOptions.requiresInstall("audit=carrier-pigeon"), "a bad option ends the JVM anyway");
        assertFalse(AgentOptions.requiresInstall("audit=stderr"));
        assertFalse(AgentOptions.requiresInstall(null));
    }

    // ---------------------------------------------------------------- all keys, whitespace

    @Test
    void everyKeyAtOnce() {
        AgentOptions options = parse(
                "audit=stderr,events=_thread.*+sys.unraisablehook,unraisable=python,hook=com.example.MyHook,"
                        + "onfail=deny");
        assertEquals(List.of("stderr"), texts(options.sinks()));
        assertEquals("_thread.*+sys.unraisablehook", options.events().toString());
        assertSame(UnraisableMode.PYTHON, options.unraisable());
        assertEquals("com.example.MyHook", options.hookClass());
        assertSame(OnFail.DENY, options.onFail());
    }

    @Test
    void keysMayComeInAnyOrder() {
        AgentOptions options = parse("onfail=deny,hook=com.example.MyHook,unraisable=python,events=x,audit=stderr");
        assertEquals(List.of("stderr"), texts(options.sinks()));
        assertEquals("x", options.events().toString());
        assertSame(UnraisableMode.PYTHON, options.unraisable());
        assertEquals("com.example.MyHook", options.hookClass());
        assertSame(OnFail.DENY, options.onFail());
    }

    @Test
    void whitespaceAroundKeysAndValuesIsTrimmed() {
        AgentOptions options = parse(" audit = stderr ,\tevents\t=\t_thread.* , unraisable= python,"
                + "hook =com.example.Outer$Inner  ,  onfail  =  deny ");
        assertEquals(List.of("stderr"), texts(options.sinks()));
        assertEquals("_thread.*", options.events().toString());
        assertTrue(options.events().accepts("_thread.start_new_thread"));
        assertSame(UnraisableMode.PYTHON, options.unraisable());
        assertEquals("com.example.Outer$Inner", options.hookClass());
        assertSame(OnFail.DENY, options.onFail());
        assertEquals("audit=stderr,events=_thread.*,unraisable=python,hook=com.example.Outer$Inner,onfail=deny",
                options.toString());
    }

    // ---------------------------------------------------------------- syntax errors

    @ParameterizedTest
    @ValueSource(strings = {"foo=1", "foo=", "Audit=stderr", "AUDIT=stderr", "audits=stderr", "jfr=on",
        "callers=frame", "policies=/etc/app/threads.policy"})
    void unknownKey(String text) {
        String key = text.substring(0, text.indexOf('='));
        assertEquals("unknown option '" + key + "' in '" + text + "'; allowed: " + KEYS, bad(text));
    }

    @Test
    void unknownKeyIsNamedTrimmedAndTheOptionAsGiven() {
        assertEquals("unknown option 'foo' in ' foo = 1 '; allowed: " + KEYS, bad("audit=stderr, foo = 1 "));
    }

    @Test
    void blankKeyIsAnUnknownKey() {
        assertEquals("unknown option '' in ' =stderr'; allowed: " + KEYS, bad(" =stderr"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"audit", "=stderr", "=", "stderr", "onfail:deny", "hook com.example.MyHook"})
    void missingEquals(String text) {
        assertEquals("bad option '" + text + "': expected key=value, with a key among " + KEYS, bad(text));
    }

    @Test
    void missingEqualsAfterAGoodOption() {
        assertEquals("bad option 'deny': expected key=value, with a key among " + KEYS, bad("audit=stderr,deny"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"audit=stderr,", "audit=stderr,,onfail=deny", ",audit=stderr", ","})
    void emptyOptionIsRejected(String text) {
        assertEquals("bad option '': expected key=value, with a key among " + KEYS, bad(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "audit=         | option audit has no value; " + SINKS_ALLOWED,
        "audit=   \t    | option audit has no value; " + SINKS_ALLOWED,
        "events=        | option events has no value; " + GLOBS_ALLOWED,
        "unraisable=    | option unraisable has no value; " + UNRAISABLE_ALLOWED,
        "hook=          | option hook has no value; " + HOOK_ALLOWED,
        "onfail=        | option onfail has no value; " + ONFAIL_ALLOWED,
    })
    void emptyValue(String text, String message) {
        assertEquals(message, bad(text));
    }

    @Test
    void emptyValueAfterAGoodOption() {
        assertEquals("option onfail has no value; " + ONFAIL_ALLOWED, bad("audit=stderr,onfail="));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "audit=stderr,audit=stderr                 | audit",
        "audit=stderr, audit = stderr              | audit",
        "events=a,events=b                         | events",
        "unraisable=jvm,unraisable=python          | unraisable",
        "hook=a.B,hook=a.B                         | hook",
        "onfail=warn,audit=stderr,onfail=deny      | onfail",
        "audit=stderr,audit=                       | audit",
    })
    void duplicateKey(String text, String key) {
        assertEquals("option " + key + " is given twice; give it once (join values with +)", bad(text));
    }

    @Test
    void theFirstBadOptionIsReported() {
        assertEquals("option audit has no value; " + SINKS_ALLOWED, bad("audit=,foo=1"));
        assertEquals("unknown option 'foo' in 'foo=1'; allowed: " + KEYS, bad("foo=1,audit="));
    }

    @Test
    void everyMessageNamesItsOption() {
        assertTrue(bad("audit=bogus").contains("audit"));
        assertTrue(bad("events=a++b").contains("events"));
        assertTrue(bad("unraisable=JVM").contains("unraisable"));
        assertTrue(bad("hook=1abc").contains("hook"));
        assertTrue(bad("onfail=maybe").contains("onfail"));
        assertTrue(bad("foo=1").contains("foo"));
        assertTrue(bad("audit").contains("audit"));
    }

    static Stream<Arguments> controlCharacters() {
        return Stream.of(
                Arguments.of("audit=std\nerr", "option audit: unknown sink 'std\\nerr'; " + SINKS_ALLOWED),
                Arguments.of("audit\r\n", "bad option 'audit\\r\\n': expected key=value, with a key among " + KEYS),
                Arguments.of("colo\nur=blue", "unknown option 'colo\\nur' in 'colo\\nur=blue'; allowed: " + KEYS),
                Arguments.of("onfail=de\tny", "option onfail: bad value 'de\\tny'; " + ONFAIL_ALLOWED),
                Arguments.of("unraisable=j\u001b[31mvm",
                        "option unraisable: bad value 'j\\u001b[31mvm'; " + UNRAISABLE_ALLOWED),
                Arguments.of("hook=a.\u0085B", "option hook: 'a.\\u0085B' is not a class name; " + HOOK_ALLOWED),
                Arguments.of("events=a\u0000+", "option events: empty pattern in 'a\\u0000+'; " + GLOBS_ALLOWED));
    }

    /** Found by AgentOptionsFuzzTest: a newline inside an option made the message two lines. */
    @ParameterizedTest
    @MethodSource("controlCharacters")
    void controlCharactersInAMessageAreEscapedSoItStaysOneLine(String text, String message) {
        assertEquals(message, bad(text));
    }

    // ---------------------------------------------------------------- toString and round trip

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "audit=stderr                                  | audit=stderr",
        "events=_thread.*+sys.unraisablehook           | events=_thread.*+sys.unraisablehook",
        "events=a=b                                    | events=a=b",
        "unraisable=python                             | unraisable=python",
        "hook=com.example.MyHook                       | hook=com.example.MyHook",
        "hook=com.example.Outer$Inner                  | hook=com.example.Outer$Inner",
        "onfail=deny                                   | onfail=deny",
        "onfail=deny,audit=stderr                      | audit=stderr,onfail=deny",
        "hook=a.B,unraisable=python                    | unraisable=python,hook=a.B",
        "onfail=deny,hook=H,unraisable=python,events=e?,audit=stderr"
            + " | audit=stderr,events=e?,unraisable=python,hook=H,onfail=deny",
        "unraisable=jvm                                | ''",
        "onfail=warn                                   | ''",
        "events=*                                      | ''",
        "audit=stderr,unraisable=jvm,onfail=warn,events=*  | audit=stderr",
        "' audit = stderr , onfail = deny '            | audit=stderr,onfail=deny",
    })
    void toStringRendersTheOptionsWithoutDefaults(String text, String rendered) {
        assertEquals(rendered, parse(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "audit=stderr",
        "events=_thread.*",
        "events=_thread.*+sys.unraisablehook",
        "events=a?c+(x)+[y]+a$b+\\Q.\\E",
        "unraisable=python",
        "unraisable=jvm",
        "hook=com.example.MyHook",
        "hook=com.example.Outer$Inner",
        "onfail=deny",
        "onfail=warn",
        "audit=stderr,onfail=deny",
        "audit=stderr,events=_thread.*+sys.unraisablehook,unraisable=python,hook=com.example.Outer$Inner,onfail=deny",
        "onfail=deny,unraisable=python",
        " hook = x.Y , events = a+b ",
    })
    void roundTrip(String text) {
        AgentOptions options = parse(text);
        String rendered = options.toString();
        AgentOptions again = parse(rendered);
        assertEquals(rendered, again.toString());
        assertEquals(options.sinks(), again.sinks());
        assertEquals(options.events().toString(), again.events().toString());
        assertSame(options.unraisable(), again.unraisable());
        assertEquals(options.hookClass(), again.hookClass());
        assertSame(options.onFail(), again.onFail());
    }

    @Test
    void defaultsRenderAsTheEmptyStringWhichParsesToTheDefaults() {
        assertEquals("", AgentOptions.defaults().toString());
        assertDefaults(parse(AgentOptions.defaults().toString()));
    }
}
