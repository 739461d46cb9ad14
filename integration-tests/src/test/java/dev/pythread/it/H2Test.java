package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** H2's TCP server under the agent in a child JVM; a JDBC client in this JVM writes and reads from 4 threads. */
class H2Test {

    @Test
    void aDatabaseServerUnderTheAgentServesFourClientsAndItsThreadsAreRecorded(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("h2.jsonl");
        Path out = dir.resolve("h2.out");
        Path err = dir.resolve("h2.err");
        Path stop = dir.resolve("stop");
        String classPath = ChildJvm.TEST_CLASSES + File.pathSeparator + System.getProperty("pythread.test.lib") + "/*";
        Process server = new ProcessBuilder(ChildJvm.JAVA, ChildJvm.agent("audit=jsonl:" + log), "-cp", classPath,
                "dev.pythread.it.apps.H2App", stop.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            int port = awaitPort(out, server);
            String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:it;DB_CLOSE_DELAY=-1";
            try (Connection setup = DriverManager.getConnection(url, "sa", "")) {
                setup.createStatement().execute("CREATE TABLE item (id INT PRIMARY KEY, writer INT, amount INT)");
            }
            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                writers.add(clients.submit(() -> {
                    try (Connection connection = DriverManager.getConnection(url, "sa", "");
                         PreparedStatement insert = connection.prepareStatement("INSERT INTO item VALUES (?, ?, ?)")) {
                        for (int i = 0; i < 250; i++) {
                            insert.setInt(1, writer * 1000 + i);
                            insert.setInt(2, writer);
                            insert.setInt(3, i);
                            insert.executeUpdate();
                        }
                        try (ResultSet mine = connection.createStatement()
                                .executeQuery("SELECT COUNT(*), SUM(amount) FROM item WHERE writer = " + writer)) {
                            mine.next();
                            assertEquals(250, mine.getInt(1));
                            assertEquals(250 * 249 / 2, mine.getInt(2));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
            clients.shutdown();
            try (Connection check = DriverManager.getConnection(url, "sa", "");
                 Statement statement = check.createStatement();
                 ResultSet all = statement.executeQuery("SELECT COUNT(*), COUNT(DISTINCT writer) FROM item")) {
                all.next();
                assertEquals(1000, all.getInt(1));
                assertEquals(4, all.getInt(2));
            }
            Files.createFile(stop);
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server did not stop");
            assertEquals(0, server.exitValue(), () -> LoopbackServer.read(err));
        } finally {
            server.destroyForcibly();
        }
        List<String> started = AuditLog.read(log).startedThreadNames();
        long h2Threads = started.stream().filter(thread -> thread.contains("H2 TCP")).count();
        assertTrue(h2Threads >= 7, "H2's listener and one thread per connection (6 connections): " + started);
    }

    /** Do no harm: H2 started and stopped prints the same with the agent (no options) as without (ports aside). */
    @Test
    void withNoOptionsH2PrintsTheSameAsWithoutTheAgent(@TempDir Path dir) throws Exception {
        assertEquals(startAndStop(dir.resolve("plain"), List.of()),
                startAndStop(dir.resolve("agent"), List.of(ChildJvm.agent(""))));
    }

    private static List<String> startAndStop(Path dir, List<String> jvmOptions) throws Exception {
        Files.createDirectories(dir);
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        List<String> command = new ArrayList<>(List.of(ChildJvm.JAVA));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", ChildJvm.TEST_CLASSES + File.pathSeparator
                + System.getProperty("pythread.test.lib") + "/*", "dev.pythread.it.apps.H2App",
                dir.resolve("stop").toString()));
        Process server = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            int port = awaitPort(out, server);
            try (Connection connection = DriverManager.getConnection(
                    "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:it", "sa", "")) {
                connection.createStatement().execute("SELECT 1");
            }
            Files.createFile(dir.resolve("stop"));
            assertTrue(server.waitFor(60, TimeUnit.SECONDS));
            return List.of("exit " + server.exitValue(), LoopbackServer.read(out).replaceAll("\\d+", "N"),
                    LoopbackServer.read(err));
        } finally {
            server.destroyForcibly();
        }
    }

    private static int awaitPort(Path out, Process server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && server.isAlive()) {
            String text = LoopbackServer.read(out);
            if (text.startsWith("listening ") && text.contains("\n")) {
                return Integer.parseInt(text.substring("listening ".length(), text.indexOf('\n')).trim());
            }
            Thread.sleep(20);
        }
        throw new AssertionError("H2 never listened: " + LoopbackServer.read(out));
    }
}
