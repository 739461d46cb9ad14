package dev.pythread.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ThreadInventory}: live threads grouped by the frame that started them, the JDK's and the unseen ones apart,
 * as text and as JSON.
 */
class ThreadInventoryTest {

    private static final Caller POOL = new Caller("com.example.Pool", "grow", "Pool.java", 42, "/opt/app/pool.jar");
    private static final Caller REPORTER = new Caller("com.example.Reports", "start", null, -1, null);

    private final CountDownLatch end = new CountDownLatch(1);
    private final List<Thread> started = new ArrayList<>();
    private final LiveThreads live = new LiveThreads();

    @AfterEach
    void endThreads() throws InterruptedException {
        end.countDown();
        for (Thread thread : started) {
            thread.join();
        }
    }

    private Thread start(String name, Caller caller) {
        Thread thread = new Thread(() -> {
            try {
                end.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        thread.setDaemon(true);
        live.recordStart(thread, caller);
        thread.start();
        started.add(thread);
        while (thread.getState() != Thread.State.WAITING) {
            Thread.onSpinWait(); // so that each line's state is known
        }
        return thread;
    }

    @Test
    void threadsAreGroupedByTheFrameThatStartedThem() throws InterruptedException {
        start("pool-1", POOL);
        start("pool-2", POOL);
        start("pool-3", POOL);
        start("reporter", REPORTER);
        start("cleaner", null);
        Thread ended = start("ended", POOL);
        ended.interrupt();
        ended.join();

        List<ThreadInventory.Group> groups = ThreadInventory.take(live).groups();

        ThreadInventory.Group pool = group(groups, POOL);
        assertEquals(ThreadInventory.Origin.FRAME, pool.origin());
        assertEquals(POOL, pool.creator());
        assertEquals(List.of("pool-1", "pool-2", "pool-3"), names(pool), "oldest first, the ended thread left out");
        ThreadInventory.Group jdk = group(groups, ThreadInventory.Origin.JDK);
        assertEquals(List.of("cleaner"), names(jdk));
        assertNull(jdk.creator());
        ThreadInventory.Group unseen = group(groups, ThreadInventory.Origin.UNSEEN);
        assertTrue(names(unseen).contains(Thread.currentThread().getName()), "this thread started before the records");
        assertFalse(names(unseen).contains("pool-1"));
        assertEquals("started at com.example.Pool.grow(Pool.java:42) in /opt/app/pool.jar", ThreadInventory.label(pool));
        assertEquals("started at com.example.Reports.start(Unknown Source) in an unknown code source",
                ThreadInventory.label(group(groups, REPORTER)));
        assertEquals("started by the JDK", ThreadInventory.label(jdk));
        for (int i = 1; i < groups.size(); i++) {
            assertTrue(groups.get(i - 1).threads().size() >= groups.get(i).threads().size(), "the biggest first");
        }
    }

    @Test
    void textGivesEachGroupItsCountAndLabelThenItsThreads() {
        start("pool-1", POOL);
        start("pool-2", POOL);
        String text = ThreadInventory.take(live).text(4242);
        String newline = System.lineSeparator();
        assertTrue(text.startsWith("pythread-agent: "), text);
        assertTrue(text.contains(" live threads in process 4242 (Java " + Runtime.version()
                + "), grouped by who started them" + newline), text);
        assertTrue(text.contains(newline + newline + "    2  started at com.example.Pool.grow(Pool.java:42) in "
                + "/opt/app/pool.jar" + newline + "       \"pool-1\" #" + started.get(0).getId() + " WAITING, daemon, "), text);
        assertTrue(text.matches("(?s).*\"pool-2\" #\\d+ WAITING, daemon, \\d+\\.\\d s old" + newline + ".*"), text);
    }

    @Test
    void textListsTheOldestTwentyOfAGroupAndCountsTheRest() {
        for (int i = 0; i < ThreadInventory.TEXT_THREADS_PER_GROUP + 5; i++) {
            start("pool-" + i, POOL);
        }
        String text = ThreadInventory.take(live).text(1);
        assertTrue(text.contains("\"pool-19\""), text);
        assertFalse(text.contains("\"pool-20\""), text);
        assertTrue(text.contains("       … and 5 more" + System.lineSeparator()), text);
    }

    @Test
    void jsonListsEveryThreadOfEveryGroup() throws Exception {
        start("pool-1", POOL);
        start("pool-2", POOL);
        start("cleaner", null);
        JsonNode inventory = new ObjectMapper().readTree(ThreadInventory.take(live).json(4242));

        assertEquals(4242, inventory.get("pid").asLong());
        assertEquals(Runtime.version().toString(), inventory.get("java").asText());
        assertEquals(AgentVersion.VERSION, inventory.get("agent").asText());
        assertEquals(3, inventory.get("records").asInt());
        assertEquals(0, inventory.get("lost").asLong());
        int threads = 0;
        for (JsonNode group : inventory.get("groups")) {
            assertEquals(group.get("count").asInt(), group.get("threads").size());
            threads += group.get("count").asInt();
        }
        assertEquals(inventory.get("threads").asInt(), threads);
        JsonNode pool = null;
        for (JsonNode group : inventory.get("groups")) {
            if (group.get("startedBy").asText().equals("frame")) {
                pool = group;
            }
        }
        assertEquals(2, pool.get("count").asInt());
        assertEquals("{\"class\":\"com.example.Pool\",\"method\":\"grow\",\"file\":\"Pool.java\",\"line\":42,"
                + "\"source\":\"/opt/app/pool.jar\"}", pool.get("creator").toString());
        JsonNode first = pool.get("threads").get(0);
        assertEquals("pool-1", first.get("name").asText());
        assertEquals(started.get(0).getId(), first.get("id").asLong());
        assertEquals("WAITING", first.get("state").asText());
        assertTrue(first.get("daemon").asBoolean());
        assertFalse(first.get("virtual").asBoolean());
        assertTrue(first.get("ageMillis").asLong() >= 0);
        boolean sawUnseen = false;
        for (JsonNode group : inventory.get("groups")) {
            if (group.get("startedBy").asText().equals("unseen")) {
                sawUnseen = true;
                assertTrue(group.get("creator").isNull());
                assertTrue(group.get("threads").get(0).get("ageMillis").isNull());
            }
        }
        assertTrue(sawUnseen);
    }

    private static ThreadInventory.Group group(List<ThreadInventory.Group> groups, Object originOrCreator) {
        for (ThreadInventory.Group group : groups) {
            if (group.origin() == originOrCreator || originOrCreator.equals(group.creator())) {
                return group;
            }
        }
        throw new AssertionError("no group " + originOrCreator + " in " + groups);
    }

    private static List<String> names(ThreadInventory.Group group) {
        List<String> names = new ArrayList<>();
        for (ThreadInventory.Entry entry : group.threads()) {
            names.add(entry.name());
        }
        return names;
    }
}
