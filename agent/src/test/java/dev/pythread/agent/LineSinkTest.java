package dev.pythread.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link LineSink}'s numbering, ordering and failure handling, against a scripted {@link LineTarget}. */
@Timeout(60)
class LineSinkTest {

    private static final Pattern SEQ_AND_EVENT = Pattern.compile("^\\{\"seq\":(\\d+),.*\"event\":\"([^\"]*)\".*}\n$");

    /** Records what was written; fails while {@link #failing} is set. */
    private static final class ScriptedTarget implements LineTarget {
        final List<String> lines = new ArrayList<>();
        int failing;
        Runnable duringWrite;

        @Override
        public synchronized void write(byte[] line) throws IOException {
            if (duringWrite != null) {
                Runnable nested = duringWrite;
                duringWrite = null;
                nested.run();
            }
            if (failing > 0) {
                failing--;
                throw new IOException("No space left on device");
            }
            lines.add(new String(line, StandardCharsets.UTF_8));
        }

        synchronized List<String> events() {
            List<String> events = new ArrayList<>();
            for (String line : lines) {
                Matcher m = SEQ_AND_EVENT.matcher(line);
                assertTrue(m.matches(), line);
                events.add(m.group(1) + " " + m.group(2));
            }
            return events;
        }
    }

    private static LineSink sink(ScriptedTarget target, AgentOptions.OnFail onFail, Object startDetails) {
        return new LineSink(new SinkSettings("test", EventFilter.ALL, onFail, false), target, startDetails, null);
    }

    @Test
    void recordsAreNumberedFromOneAndTheStartRecordComesFirst() {
        ScriptedTarget target = new ScriptedTarget();
        LineSink sink = sink(target, AgentOptions.OnFail.WARN, Map.of("pid", "42"));
        assertEquals(List.of(), target.events(), "nothing is written before the first event");
        sink.onEvent("a", new Object[0]);
        sink.onEvent("b", new Object[] {"x"});
        assertEquals(List.of("1 pythread.log.start", "2 a", "3 b"), target.events());
        assertTrue(target.lines.get(0).contains("\"args\":[{\"pid\":\"42\"}]"), target.lines.get(0));
    }

    @Test
    void theEventFilterSelectsWhatIsWritten() {
        ScriptedTarget target = new ScriptedTarget();
        LineSink sink = new LineSink(new SinkSettings("test", EventFilter.parse("_thread.*"), AgentOptions.OnFail.WARN,
                false), target, null, null);
        sink.onEvent("sys.addaudithook", new Object[0]);
        sink.onEvent("_thread.start_new_thread", new Object[0]);
        assertEquals(List.of("1 _thread.start_new_thread"), target.events());
    }

    @Test
    void underWarnFailuresAreCountedWarnedOnceAndReportedOnRecovery() {
        ScriptedTarget target = new ScriptedTarget();
        LineSink sink = sink(target, AgentOptions.OnFail.WARN, null);
        sink.onEvent("before", new Object[0]);
        target.failing = 3;
        String warnings = capturingStderr(() -> {
            for (int i = 0; i < 3; i++) {
                sink.onEvent("lost" + i, new Object[0]);
            }
        });
        assertEquals("pythread-agent: audit sink test failed (java.io.IOException: No space left on device); "
                + "dropping and counting records until it works again (onfail=warn)\n", warnings);
        sink.onEvent("after", new Object[0]);
        assertEquals(List.of("1 before", "2 pythread.log.dropped", "3 after"), target.events());
        assertTrue(target.lines.get(1).contains("\"args\":[\"3\"]"), target.lines.get(1));
        assertEquals(3, sink.failures().totalDropped());
        assertEquals(0, sink.failures().dropped());
    }

    /**
     * A hook that recursed until the stack overflowed can leave a failing sink too little stack to print its warning:
     * the record is dropped and counted all the same, and the burst's line is printed later, at its recovery.
     */
    @Test
    void aBurstWhoseLineCouldNotBePrintedGetsItAtItsRecovery() {
        ScriptedTarget target = new ScriptedTarget();
        LineSink sink = sink(target, AgentOptions.OnFail.WARN, null);
        target.failing = 1;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8) {
            private boolean overflowed;

            @Override
            public void print(String text) {
                if (!overflowed) {
                    overflowed = true;
                    throw new StackOverflowError();
                }
                super.print(text);
            }
        });
        try {
            sink.onEvent("lost", new Object[0]);
            assertEquals("", captured.toString(StandardCharsets.UTF_8));
            sink.onEvent("after", new Object[0]);
        } finally {
            System.setErr(original);
        }
        assertEquals("pythread-agent: audit sink test failed (java.io.IOException: No space left on device); "
                + "dropping and counting records until it works again (onfail=warn)\n",
                captured.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("1 pythread.log.dropped", "2 after"), target.events());
        assertEquals(0, sink.failures().dropped());
    }

    @Test
    void underDenyAFailureFailsTheOperation() {
        ScriptedTarget target = new ScriptedTarget();
        LineSink sink = sink(target, AgentOptions.OnFail.DENY, null);
        target.failing = 1;
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> sink.onEvent("_thread.start_new_thread", new Object[0]));
        assertEquals("pythread-agent: audit sink test cannot record _thread.start_new_thread "
                + "(java.io.IOException: No space left on device), so the operation is denied (onfail=deny)",
                e.getMessage());
        sink.onEvent("next", new Object[0]);
        assertEquals(List.of("1 next"), target.events(), "seq counts written records only");
    }

    /** A record raised inside the sink's own write (JDK 21+ carrier compensation) follows the one being written. */
    @Test
    void aRecordRaisedDuringTheSinksOwnWriteFollowsIt() {
        ScriptedTarget target = new ScriptedTarget();
        LineSink sink = sink(target, AgentOptions.OnFail.WARN, null);
        target.duringWrite = () -> sink.onEvent("nested", new Object[0]);
        sink.onEvent("outer", new Object[0]);
        assertEquals(List.of("1 outer", "2 nested"), target.events());
    }

    @Test
    void concurrentRecordsNeverInterleaveAndKeepSeqOrder() throws InterruptedException {
        ScriptedTarget target = new ScriptedTarget();
        LineSink sink = sink(target, AgentOptions.OnFail.WARN, null);
        int threads = 8;
        int perThread = 1000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String event = "t" + t;
            Thread worker = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < perThread; i++) {
                    sink.onEvent(event, new Object[] {i});
                }
            });
            worker.start();
            workers.add(worker);
        }
        go.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        List<String> events = target.events();
        assertEquals(threads * perThread, events.size());
        for (int i = 0; i < events.size(); i++) {
            assertTrue(events.get(i).startsWith((i + 1) + " t"), events.get(i));
        }
    }

    private static String capturingStderr(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
