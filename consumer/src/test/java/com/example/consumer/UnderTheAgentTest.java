package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pythread.Audit;
import dev.pythread.Lock;
import dev.pythread.PyThread;
import dev.pythread.junit.ThreadExceptionExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a project that takes pythread from a Maven repository sees when its tests run with the agent in Surefire's
 * argLine: the agent jar under its repository file name installs, its copy of the API is the one the tests use, and
 * thread starts reach both the audit hooks and the JSONL log.
 */
@ExtendWith(ThreadExceptionExtension.class)
class UnderTheAgentTest {

    @Test
    void theAgentJarIsTheRepositorysArtifactUnderItsVersionedName() {
        Path jar = Path.of(System.getProperty("consumer.agent.jar"));
        String name = jar.getFileName().toString();
        assertTrue(name.startsWith("pythread-agent-") && name.endsWith(".jar"), name);
        assertTrue(jar.toString().contains("/dev/pythread/pythread-agent/"), jar::toString);
    }

    @Test
    void theApiIsTheAgentsBootstrapCopy() {
        assertNull(Audit.class.getClassLoader(), "pythread-api.jar on the class path is shadowed by the agent's copy");
        Lock lock = PyThread.allocateLock();
        assertTrue(lock.acquire(false, -1));
        assertTrue(lock.locked());
        lock.release();
        assertFalse(lock.locked());
    }

    @Test
    void aThreadStartRaisesTheAuditEventAndLandsInTheLog() throws InterruptedException, IOException {
        List<String> started = new CopyOnWriteArrayList<>();
        Audit.addHook((event, args) -> {
            if (event.equals("_thread.start_new_thread") && args[0] instanceof Thread) {
                started.add(((Thread) args[0]).getName());
            }
        });
        Thread thread = new Thread(() -> { }, "consumer-thread");
        thread.start();
        thread.join();
        assertEquals(List.of("consumer-thread"), started);
        List<String> log = Files.readAllLines(Path.of(System.getProperty("consumer.audit.log")));
        assertTrue(log.get(0).contains("\"event\":\"pythread.log.start\""), log.get(0));
        assertTrue(log.stream().anyMatch(line -> line.contains("\"event\":\"_thread.start_new_thread\"")
                && line.contains("consumer-thread")), () -> String.join("\n", log));
    }
}
