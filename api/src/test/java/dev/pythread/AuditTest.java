package dev.pythread;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Audit}: {@code sys.audit} and {@code sys.addaudithook}, after CPython's audit tests.
 *
 * <p>Hooks stay installed for the rest of the JVM, so every hook added here is gated (see {@link TestHooks}) and
 * does nothing once its test is over.
 */
@Timeout(60)
class AuditTest {

    /** One call of a test hook: which hook, the event and its args. */
    private record Call(String hook, String event, Object[] args) {
    }

    @BeforeAll
    static void installRecordingHook() {
        TestHooks.install();
    }

    /** A hook that records the calls it gets for {@code event} into {@code calls}, tagged {@code name}. */
    private static Audit.AuditHook recording(String name, String event, List<Call> calls) {
        return (e, args) -> {
            if (e.equals(event)) {
                calls.add(new Call(name, e, args));
            }
        };
    }

    @Test
    void hooksAreCalledInTheOrderAddedWithTheEventAndItsArgs() {
        String event = "pythread.test.order";
        List<Call> calls = new CopyOnWriteArrayList<>();
        try (TestHooks.Gate gate = new TestHooks.Gate().open()) {
            assertTrue(TestHooks.addGatedHook(gate, recording("first", event, calls)));
            assertTrue(TestHooks.addGatedHook(gate, recording("second", event, calls)));
            assertTrue(TestHooks.addGatedHook(gate, recording("third", event, calls)));

            Audit.audit(event, 1, "two", null);
        }
        assertEquals(3, calls.size(), "each hook is called once");
        assertEquals("first", calls.get(0).hook());
        assertEquals("second", calls.get(1).hook());
        assertEquals("third", calls.get(2).hook());
        for (Call call : calls) {
            assertEquals(event, call.event());
            assertArrayEquals(new Object[] {1, "two", null}, call.args());
        }
        assertSame(calls.get(0).args(), calls.get(1).args(), "the hooks share one args array");
        assertSame(calls.get(1).args(), calls.get(2).args(), "the hooks share one args array");
    }

    @Test
    void everyArityDeliversItsArgs() {
        String event = "pythread.test.arity";
        List<Call> calls = new CopyOnWriteArrayList<>();
        Object a = new Object();
        Object b = "b";
        Object c = 3L;
        Object d = new int[] {4};
        Object e = null;
        try (TestHooks.Gate gate = new TestHooks.Gate().open()) {
            assertTrue(TestHooks.addGatedHook(gate, recording("hook", event, calls)));

            Audit.audit(event);
            Audit.audit(event, a);
            Audit.audit(event, a, b);
            Audit.audit(event, a, b, c);
            Audit.audit(event, a, b, c, d);
            Audit.audit(event, a, b, c, d, e);
            Audit.audit(event, (Object[]) null);
            Audit.audit(event, new Object[] {b, a});
        }
        assertEquals(8, calls.size());
        Object[][] expected = {
            {},
            {a},
            {a, b},
            {a, b, c},
            {a, b, c, d},
            {a, b, c, d, e},
            {},
            {b, a},
        };
        for (int i = 0; i < expected.length; i++) {
            Object[] got = calls.get(i).args();
            assertNotNull(got, "call " + i + ": args is never null");
            assertEquals(expected[i].length, got.length, "call " + i + ": number of args");
            for (int j = 0; j < got.length; j++) {
                assertSame(expected[i][j], got[j], "call " + i + ", arg " + j);
            }
        }
    }

    @Test
    void oneArgThatIsAnArrayIsOneArg() {
        String event = "pythread.test.array-arg";
        List<Call> calls = new CopyOnWriteArrayList<>();
        Object[] array = {"x", "y"};
        try (TestHooks.Gate gate = new TestHooks.Gate().open()) {
            assertTrue(TestHooks.addGatedHook(gate, recording("hook", event, calls)));
            Audit.audit(event, (Object) array);
        }
        assertEquals(1, calls.size());
        assertEquals(1, calls.get(0).args().length);
        assertSame(array, calls.get(0).args()[0]);
    }

    @Test
    void aThrowingHookAbortsAndLaterHooksAreNotCalled() {
        String event = "pythread.test.abort";
        List<Call> calls = new CopyOnWriteArrayList<>();
        IllegalStateException veto = new IllegalStateException("vetoed by the first hook");
        try (TestHooks.Gate gate = new TestHooks.Gate().open()) {
            assertTrue(TestHooks.addGatedHook(gate, (e, args) -> {
                if (e.equals(event)) {
                    calls.add(new Call("thrower", e, args));
                    throw veto;
                }
            }));
            assertTrue(TestHooks.addGatedHook(gate, recording("later", event, calls)));

            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Audit.audit(event, "x"));
            assertSame(veto, thrown, "the hook's exception propagates as is");
        }
        assertEquals(1, calls.size(), "the hook after the throwing one is not called: " + calls);
        assertEquals("thrower", calls.get(0).hook());
    }

    @Test
    void anErrorFromAHookPropagatesToo() {
        String event = "pythread.test.abort-error";
        AssertionError veto = new AssertionError("an Error, not an Exception");
        try (TestHooks.Gate gate = new TestHooks.Gate().open()) {
            assertTrue(TestHooks.addGatedHook(gate, (e, args) -> {
                if (e.equals(event)) {
                    throw veto;
                }
            }));
            AssertionError thrown = assertThrows(AssertionError.class, () -> Audit.audit(event));
            assertSame(veto, thrown);
        }
    }

    @Test
    void addHookRaisesSysAddaudithookToTheExistingHooksFirst() {
        List<Call> calls = new CopyOnWriteArrayList<>();
        String probe = "pythread.test.added";
        try (TestHooks.Gate gate = new TestHooks.Gate().open()) {
            assertTrue(TestHooks.addGatedHook(gate, recording("existing", "sys.addaudithook", calls)));
            assertTrue(calls.isEmpty(), "a hook does not see its own sys.addaudithook: " + calls);

            Audit.AuditHook newHook = (e, args) -> {
                if (gate.isOpenHere() && (e.equals(probe) || e.equals("sys.addaudithook"))) {
                    calls.add(new Call("new", e, args));
                }
            };
            assertTrue(Audit.addHook(newHook));
            assertEquals(1, calls.size(), "the existing hook saw sys.addaudithook once: " + calls);
            assertEquals("existing", calls.get(0).hook());
            assertEquals("sys.addaudithook", calls.get(0).event());
            assertArrayEquals(new Object[0], calls.get(0).args(), "sys.addaudithook has no arguments");

            Audit.audit(probe);
            assertEquals(2, calls.size(), "the new hook sees later events: " + calls);
            assertEquals("new", calls.get(1).hook());
            assertEquals(probe, calls.get(1).event());
        }
    }

    @Test
    void anExistingHookThrowingThreadErrorSilentlyVetoesTheNewHook() {
        String probe = "pythread.test.vetoed";
        List<Call> calls = new CopyOnWriteArrayList<>();
        try (TestHooks.Gate gate = new TestHooks.Gate().open()) {
            assertTrue(TestHooks.addGatedHook(gate, (e, args) -> {
                if (e.equals("sys.addaudithook")) {
                    calls.add(new Call("vetoer", e, args));
                    throw new ThreadError("no more hooks");
                }
            }));
            Audit.AuditHook newHook = (e, args) -> {
                if (gate.isOpenHere()) {
                    calls.add(new Call("new", e, args));
                }
            };

            assertFalse(Audit.addHook(newHook), "a ThreadError from an existing hook vetoes silently");
            assertEquals(1, calls.size(), calls::toString);
            assertEquals("vetoer", calls.get(0).hook());

            Audit.audit(probe, "after");
        }
        assertEquals(1, calls.size(), "the vetoed hook never sees an event: " + calls);
    }

    @Test
    void anExistingHookThrowingAnythingElsePropagatesAndTheHookIsNotAdded() {
        String probe = "pythread.test.refused";
        List<Call> calls = new CopyOnWriteArrayList<>();
        IllegalStateException failure = new IllegalStateException("not a RuntimeError");
        try (TestHooks.Gate gate = new TestHooks.Gate().open()) {
            assertTrue(TestHooks.addGatedHook(gate, (e, args) -> {
                if (e.equals("sys.addaudithook")) {
                    throw failure;
                }
            }));
            Audit.AuditHook newHook = (e, args) -> {
                if (gate.isOpenHere()) {
                    calls.add(new Call("new", e, args));
                }
            };

            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Audit.addHook(newHook));
            assertSame(failure, thrown);

            Audit.audit(probe, "after");
        }
        assertTrue(calls.isEmpty(), "the refused hook never sees an event: " + calls);
    }

    @Test
    void addHookOfNullThrowsNullPointerException() {
        assertThrows(NullPointerException.class, () -> Audit.addHook(null));
    }

    @Test
    void isActiveOnceAHookIsAdded() {
        try (TestHooks.Gate gate = new TestHooks.Gate()) {
            assertTrue(TestHooks.addGatedHook(gate, (e, args) -> { }));
        }
        assertTrue(Audit.isActive());
    }
}
