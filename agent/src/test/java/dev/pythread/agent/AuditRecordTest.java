package dev.pythread.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pythread.PyThread;
import dev.pythread.Unraisable.UnraisableHookArgs;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link AuditRecord#line}: the JSON line every text sink writes, compared field by field with exact text.
 */
@Timeout(60)
class AuditRecordTest {

    private static final long PID = ProcessHandle.current().pid();
    private static final Instant TIME = Instant.parse("2026-11-25T12:00:00.123456Z");

    /** What {@code supplier} returns, and the id of the thread it ran in. */
    private static final class Ran<T> {
        final T result;
        final long threadId;

        Ran(T result, long threadId) {
            this.result = result;
            this.threadId = threadId;
        }
    }

    /** Runs {@code supplier} in a new thread named {@code name}. */
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is JDK 19+, and equal to it for a plain Thread
    private static <T> Ran<T> inThread(String name, Supplier<T> supplier) throws InterruptedException {
        AtomicReference<Ran<T>> ran = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                ran.set(new Ran<>(supplier.get(), Thread.currentThread().getId()));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, name);
        thread.start();
        thread.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(thread.isAlive(), "the thread finished");
        if (failure.get() != null) {
            throw new AssertionError("failed in thread " + name, failure.get());
        }
        assertEquals(thread.getId(), ran.get().threadId);
        return ran.get();
    }

    /** The record line expected for these fields, {@code event}, {@code name} and {@code args} given as JSON. */
    private static String expected(long seq, String time, String eventJson, long threadId, String nameJson,
                                   String argsJson) {
        return "{\"seq\":" + seq + ",\"time\":\"" + time + "\",\"pid\":" + PID + ",\"event\":" + eventJson
                + ",\"thread\":{\"id\":" + threadId + ",\"name\":" + nameJson + "},\"args\":" + argsJson + "}";
    }

    // ---------------------------------------------------------------- the whole line

    @Test
    void exactFieldsInOrder() throws InterruptedException {
        Ran<String> ran = inThread("worker-1",
                () -> AuditRecord.line(7, TIME, "e", new Object[] {"a", null, new Object[0], 42}));
        assertEquals("{\"seq\":7,\"time\":\"2026-11-25T12:00:00.123456Z\",\"pid\":" + PID
                + ",\"event\":\"e\",\"thread\":{\"id\":" + ran.threadId + ",\"name\":\"worker-1\"},"
                + "\"args\":[\"a\",null,[],\"42\"]}", ran.result);
    }

    @Test
    void aThreadStartRecord() throws InterruptedException {
        Thread started = new Thread(() -> { }, "pool-1-thread-1");
        Ran<String> ran = inThread("main-ish",
                () -> AuditRecord.line(1, TIME, "_thread.start_new_thread", new Object[] {started, new Object[0], null}));
        // Thread.toString() differs between JDK 17 and 21+, and holds no character JSON escapes
        assertEquals(expected(1, "2026-11-25T12:00:00.123456Z", "\"_thread.start_new_thread\"", ran.threadId,
                "\"main-ish\"", "[\"" + started + "\",[],null]"), ran.result);
    }

    @Test
    void anUnraisableRecord() throws InterruptedException {
        IllegalStateException exc = new IllegalStateException("boom");
        UnraisableHookArgs report = new UnraisableHookArgs(IllegalStateException.class, exc, exc.getStackTrace(),
                "Exception ignored in thread started by", "f");
        Ran<String> ran = inThread("t", () -> AuditRecord.line(3, TIME, "sys.unraisablehook",
                new Object[] {"hook", report}));
        assertEquals(expected(3, "2026-11-25T12:00:00.123456Z", "\"sys.unraisablehook\"", ran.threadId, "\"t\"",
                "[\"hook\",{\"excType\":\"java.lang.IllegalStateException\",\"excMessage\":\"boom\","
                        + "\"errMsg\":\"Exception ignored in thread started by\",\"object\":\"f\"}]"),
                ran.result);
    }

    @Test
    @SuppressWarnings("deprecation")
    void theCurrentThreadIsTheOneThatRaisedTheEvent() {
        Thread current = Thread.currentThread();
        String line = AuditRecord.line(1, TIME, "e", new Object[0]);
        String name = current.getName();
        StringBuilder nameJson = new StringBuilder();
        Json.appendString(nameJson, name);
        assertTrue(line.contains(",\"thread\":{\"id\":" + current.getId() + ",\"name\":" + nameJson + "},"), line);
    }

    @Test
    void eachThreadWritesItsOwnIdAndName() throws InterruptedException {
        Ran<String> first = inThread("first", () -> AuditRecord.line(1, TIME, "e", new Object[0]));
        Ran<String> second = inThread("second", () -> AuditRecord.line(1, TIME, "e", new Object[0]));
        assertNotEquals(first.threadId, second.threadId);
        assertEquals(expected(1, "2026-11-25T12:00:00.123456Z", "\"e\"", first.threadId, "\"first\"", "[]"),
                first.result);
        assertEquals(expected(1, "2026-11-25T12:00:00.123456Z", "\"e\"", second.threadId, "\"second\"", "[]"),
                second.result);
    }

    // ---------------------------------------------------------------- seq, pid

    @ParameterizedTest
    @CsvSource({"0", "1", "42", "9223372036854775807"})
    void seqIsWrittenAsANumber(long seq) {
        assertTrue(AuditRecord.line(seq, TIME, "e", null).startsWith("{\"seq\":" + seq + ",\"time\":"));
    }

    @Test
    void pidIsThisProcess() {
        assertTrue(AuditRecord.line(1, TIME, "e", null).contains(",\"pid\":" + ProcessHandle.current().pid() + ","));
    }

    // ---------------------------------------------------------------- time

    @ParameterizedTest
    @CsvSource({
        "2026-11-25T12:00:00Z,              0,           2026-11-25T12:00:00.000000Z",
        "2026-11-25T12:00:00Z,              1000,        2026-11-25T12:00:00.000001Z",
        "2026-11-25T12:00:00Z,              10000,       2026-11-25T12:00:00.000010Z",
        "2026-11-25T12:00:00Z,              1,           2026-11-25T12:00:00.000000Z",
        "2026-11-25T12:00:00Z,              999,         2026-11-25T12:00:00.000000Z",
        "2026-11-25T12:00:00Z,              1999,        2026-11-25T12:00:00.000001Z",
        "2026-11-25T12:00:00Z,              123456789,   2026-11-25T12:00:00.123456Z",
        "2026-11-25T12:00:00Z,              100000000,   2026-11-25T12:00:00.100000Z",
        "2026-11-25T12:00:00Z,              999999999,   2026-11-25T12:00:00.999999Z",
        "2026-11-25T23:59:59Z,              999999999,   2026-11-25T23:59:59.999999Z",
        "1970-01-01T00:00:00Z,              0,           1970-01-01T00:00:00.000000Z",
        "1969-12-31T23:59:59Z,              1000,        1969-12-31T23:59:59.000001Z",
        "2024-02-29T01:02:03Z,              4000,        2024-02-29T01:02:03.000004Z",
        "0999-01-01T00:00:00Z,              0,           0999-01-01T00:00:00.000000Z",
    })
    void timeIsUtcWithMicrosecondsTruncated(String second, long nanos, String time) {
        Instant instant = Instant.parse(second).plusNanos(nanos);
        String line = AuditRecord.line(1, instant, "e", null);
        assertTrue(line.startsWith("{\"seq\":1,\"time\":\"" + time + "\",\"pid\":"), line);
    }

    /** The date is formatted once per second and reused: going forward, back, and across a day, it stays right. */
    @Test
    void timeIsRightWhenTheSecondChangesEitherWay() {
        String[] times = {"2026-11-25T12:00:00.500000Z", "2026-11-25T12:00:00.600000Z", "2026-11-25T12:00:01.000001Z",
            "2026-11-25T12:00:00.700000Z", "2026-11-25T23:59:59.999999Z", "2026-11-26T00:00:00.000000Z",
            "2026-11-26T00:00:00.000002Z"};
        for (String time : times) {
            String line = AuditRecord.line(1, Instant.parse(time), "e", null);
            assertTrue(line.startsWith("{\"seq\":1,\"time\":\"" + time + "\","), line);
        }
    }

    @Test
    void timeDoesNotDependOnTheDefaultTimeZone() {
        TimeZone saved = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
            assertTrue(AuditRecord.line(1, TIME, "e", null)
                    .startsWith("{\"seq\":1,\"time\":\"2026-11-25T12:00:00.123456Z\","));
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    /**
     * The formatter is built once, when {@code AuditRecord} is loaded: a fresh copy of the class, loaded while the
     * default time zone is not UTC, must still write UTC.
     */
    @Test
    void timeIsUtcWhenTheClassIsLoadedUnderAnotherTimeZone() throws Exception {
        URL agentClasses = AuditRecord.class.getProtectionDomain().getCodeSource().getLocation();
        URL apiClasses = PyThread.class.getProtectionDomain().getCodeSource().getLocation();
        TimeZone saved = TimeZone.getDefault();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {agentClasses, apiClasses},
                ClassLoader.getPlatformClassLoader())) {
            TimeZone.setDefault(TimeZone.getTimeZone("America/St_Johns"));
            Class<?> fresh = Class.forName(AuditRecord.class.getName(), true, loader);
            assertNotEquals(AuditRecord.class, fresh);
            Method line = fresh.getDeclaredMethod("line", long.class, Instant.class, String.class, Object[].class);
            line.setAccessible(true);
            String text = (String) line.invoke(null, 1L, TIME, "e", null);
            assertTrue(text.startsWith("{\"seq\":1,\"time\":\"2026-11-25T12:00:00.123456Z\","), text);
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    // ---------------------------------------------------------------- escaping

    @Test
    void threadNameWithAQuoteIsEscaped() throws InterruptedException {
        Ran<String> ran = inThread("a\"b", () -> AuditRecord.line(5, TIME, "e", new Object[0]));
        assertEquals("{\"seq\":5,\"time\":\"2026-11-25T12:00:00.123456Z\",\"pid\":" + PID
                + ",\"event\":\"e\",\"thread\":{\"id\":" + ran.threadId + ",\"name\":\"a\\\"b\"},\"args\":[]}",
                ran.result);
    }

    @Test
    void threadNameWithControlAndNonAsciiCharactersIsEscaped() throws InterruptedException {
        Ran<String> ran = inThread("C:\\tmp\n\u0001\u00e9\ud83d", () -> AuditRecord.line(5, TIME, "e", null));
        assertEquals(expected(5, "2026-11-25T12:00:00.123456Z", "\"e\"", ran.threadId,
                "\"C:\\\\tmp\\n\\u0001\u00e9\\ud83d\"", "null"), ran.result);
    }

    @Test
    void eventNameIsEscaped() throws InterruptedException {
        Ran<String> ran = inThread("t", () -> AuditRecord.line(2, TIME, "we\"ird\\event\n\t\u001f", new Object[0]));
        assertEquals(expected(2, "2026-11-25T12:00:00.123456Z", "\"we\\\"ird\\\\event\\n\\t\\u001f\"", ran.threadId,
                "\"t\"", "[]"), ran.result);
    }

    @Test
    void aRecordIsOneLineWithoutLineFeed() {
        String line = AuditRecord.line(1, TIME, "a\nb", new Object[] {"c\r\nd", new Object[] {"\n"}});
        assertFalse(line.contains("\n"), line);
        assertFalse(line.contains("\r"), line);
        assertTrue(line.endsWith("}"), line);
    }

    // ---------------------------------------------------------------- args

    @Test
    void nullArgsAreNull() throws InterruptedException {
        Ran<String> ran = inThread("t", () -> AuditRecord.line(1, TIME, "e", null));
        assertEquals(expected(1, "2026-11-25T12:00:00.123456Z", "\"e\"", ran.threadId, "\"t\"", "null"), ran.result);
    }

    @Test
    void argsAreRenderedAsJson() throws InterruptedException {
        Map<String, Object> kwargs = new LinkedHashMap<>();
        kwargs.put("daemon", true);
        kwargs.put("name", null);
        Ran<String> ran = inThread("t", () -> AuditRecord.line(1, TIME, "e",
                new Object[] {"s\"", 1, new Object[] {new Object[0], null}, kwargs}));
        assertEquals(expected(1, "2026-11-25T12:00:00.123456Z", "\"e\"", ran.threadId, "\"t\"",
                "[\"s\\\"\",\"1\",[[],null],{\"daemon\":\"true\",\"name\":null}]"), ran.result);
    }

    @Test
    void selfContainingArgsAreCutOff() throws InterruptedException {
        Object[] args = new Object[1];
        args[0] = args;
        Ran<String> ran = inThread("t", () -> AuditRecord.line(1, TIME, "e", args));
        assertEquals(expected(1, "2026-11-25T12:00:00.123456Z", "\"e\"", ran.threadId, "\"t\"",
                "[[[[[[[[\"...\"]]]]]]]]"), ran.result);
    }
}
