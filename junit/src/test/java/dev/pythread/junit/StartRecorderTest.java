package dev.pythread.junit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

/**
 * {@link StartRecorder} never throws, whatever an event carries: a hook's exception would veto someone else's
 * thread start. What it records is checked by {@link ThreadLeakExtensionTest}, under the agent.
 */
class StartRecorderTest {

    @Test
    void ignoresEventsThatAreNotAStartOfAThread() {
        StartRecorder recorder = new StartRecorder(LeakScopes.INSTANCE);
        Thread thread = new Thread("t");

        assertDoesNotThrow(() -> {
            recorder.onEvent(StartRecorder.START_EVENT, null);
            recorder.onEvent(StartRecorder.START_EVENT, new Object[0]);
            recorder.onEvent(StartRecorder.START_EVENT, new Object[] {null});
            recorder.onEvent(StartRecorder.START_EVENT, new Object[] {"a PyThread function", new Object[0], null});
            recorder.onEvent(null, new Object[] {thread});
            recorder.onEvent("sys.addaudithook", new Object[0]);
            recorder.onEvent(StartRecorder.START_EVENT, new Object[] {thread, new Object[0], null});
        });
    }
}
