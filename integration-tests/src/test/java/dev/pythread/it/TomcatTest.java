package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embedded Tomcat 11 in a child JVM, with a web application that carries its own {@code pythread-api.jar} in
 * {@code WEB-INF/lib} and its servlet in {@code WEB-INF/classes} ({@code apps.TomcatApp}, {@code apps.AuditServlet}):
 * Tomcat's web-app class loader looks into the web application before its parent for everything but the JDK and the
 * Servlet API, so without the agent it defines its own copy of the API. The agent promises one copy: under it the
 * servlet's {@code Audit.audit} reaches the agent's sinks.
 *
 * <p>Note on what makes the one copy here: Tomcat's {@code WebappClassLoaderBase.loadClass} first asks the JDK's
 * platform loader whether it has a resource for the class (so that a web application cannot override Java SE), and
 * that lookup also sees the bootstrap class path the agent's {@code Boot-Class-Path} appends. A run without the agent
 * but with {@code -Xbootclasspath/a:pythread-api.jar} answers "Audit loader: null" too. So for Tomcat the bootstrap
 * copy wins before the agent's {@code loadClass} prologue matters; the prologue is what a plain child-first loader
 * needs (AgentDoesNoHarmTest with apps.ChildFirstApp). This test holds the promise, whichever mechanism keeps it.
 */
class TomcatTest {

    private static final String CLASS_PATH = ChildJvm.TEST_CLASSES + File.pathSeparator
            + System.getProperty("pythread.test.lib") + "/*";
    private static final String APP = "dev.pythread.it.apps.TomcatApp";
    private static final String WEBAPP_LOADER = "org.apache.catalina.loader.ParallelWebappClassLoader";
    /** Tomcat names its NIO connector {@code http-nio-ADDRESS-auto-N} when it listens on port 0. */
    private static final String CONNECTOR = "http-nio-127\\.0\\.0\\.1-auto-\\d+";
    private static final String LOCK_WORKS = "lock: acquire=true again=false locked after release=false";
    /**
     * Tomcat logs through java.util.logging, whose default format writes dates in the default locale: every child
     * runs in one fixed locale so that {@link #normalise} can recognise the date.
     */
    private static final List<String> LOCALE = List.of("-Duser.language=en", "-Duser.country=US");
    /** java.util.logging's default date and time in en-US, at the start of a record's header line. */
    private static final String JUL_DATE = "^[A-Z][a-z]{2} \\d{1,2}, \\d{4} \\d{1,2}:\\d{2}:\\d{2} [AP]M ";

    @TempDir
    Path dir;

    /** What one run of Tomcat did: its output and the body of {@code GET /app/audit}. */
    record Run(int exitCode, List<String> stdout, String stderr, List<String> body) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + String.join("\n", stdout) + "\n--- stderr\n" + stderr
                    + "--- body\n" + String.join("\n", body);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void underTheAgentTheWebappSharesTheAgentsApiAndItsEventReachesTheLog() throws Exception {
        Path log = dir.resolve("tomcat.jsonl");
        Run run = serve("agent-jsonl", ChildJvm.agent("audit=jsonl:" + log));

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(6, run.body().size(), run::toString);
        assertEquals("servlet loader: " + WEBAPP_LOADER, run.body().get(0), "Tomcat's web-app loader defined the "
                + "servlet itself (from WEB-INF/classes), not the application class loader");
        assertEquals("Audit loader: null", run.body().get(1), "the agent's bootstrap copy of the API");
        assertEquals("Audit loader is the servlet's: false", run.body().get(2));
        assertEquals("PyThread and Lock from the same loader as Audit: true", run.body().get(3));
        assertEquals(LOCK_WORKS, run.body().get(4));
        String worker = run.body().get(5).substring("thread: ".length());
        assertTrue(worker.matches(CONNECTOR + "-exec-\\d+"), "a Tomcat worker thread served it: " + worker);
        assertFalse(run.stderr().contains("pythread-agent:"), run::toString);

        AuditLog audit = AuditLog.read(log).assertSeqContiguousFromOne();
        List<JsonNode> records = audit.records();
        assertEquals("pythread.log.start", records.get(0).get("event").asText());
        List<JsonNode> events = audit.events("app.event");
        assertEquals(1, events.size(), "one GET, one app.event: " + events);
        JsonNode event = events.get(0);
        assertEquals(AuditLog.parse("[\"from the webapp\"]"), event.get("args"), event::toString);
        assertEquals(worker, event.get("thread").get("name").asText(), "raised in the thread that served the GET");

        Set<String> started = new HashSet<>();
        for (String name : audit.startedThreadNames()) {
            assertTrue(started.add(name), "one start record per thread: " + name);
        }
        String connector = worker.substring(0, worker.indexOf("-exec-"));
        List<String> tomcatThreads = new ArrayList<>(List.of("Catalina-utility-1", "Catalina-utility-2",
                connector + "-Poller", connector + "-Acceptor"));
        for (int i = 1; i <= 10; i++) { // the executor's minSpareThreads, started with the connector
            tomcatThreads.add(connector + "-exec-" + i);
        }
        assertTrue(started.containsAll(tomcatThreads), "every thread Tomcat starts is recorded: " + started);
        assertTrue(started.contains(worker), worker + " in " + started);
        assertEquals(List.of(), audit.events("sys.unraisablehook"), "no thread died");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void withoutTheAgentTheWebappLoaderDefinesItsOwnCopyOfTheApi() throws Exception {
        Run run = serve("plain");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(6, run.body().size(), run::toString);
        assertEquals("servlet loader: " + WEBAPP_LOADER, run.body().get(0));
        assertEquals("Audit loader: " + WEBAPP_LOADER, run.body().get(1),
                "child-first: WEB-INF/lib/pythread-api.jar, although the class path has pythread-api.jar too");
        assertEquals("Audit loader is the servlet's: true", run.body().get(2));
        assertEquals("PyThread and Lock from the same loader as Audit: true", run.body().get(3));
        assertEquals(LOCK_WORKS, run.body().get(4));
        assertTrue(run.body().get(5).matches("thread: " + CONNECTOR + "-exec-\\d+"), run::toString);
        assertEquals(List.of("listening N", "stopped"), normalise(run.stdout()), run::toString);
    }

    /**
     * Do no harm: with the agent and no options Tomcat prints what it prints without it, on stdout and on stderr
     * (where java.util.logging writes), after {@link #normalise}; and the servlet's answer differs only where the one
     * copy of the API is the point: which loader defined {@code Audit}.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void withNoOptionsTomcatPrintsTheSameAsWithoutTheAgent() throws Exception {
        Run plain = serve("plain");
        Run agent = serve("agent", ChildJvm.agent(""));

        assertEquals(0, plain.exitCode(), plain::toString);
        assertEquals(0, agent.exitCode(), agent::toString);
        assertEquals(normalise(plain.stdout()), normalise(agent.stdout()));
        assertEquals(normalise(LoopbackServer.lines(plain.stderr())), normalise(LoopbackServer.lines(agent.stderr())),
                () -> "plain:\n" + plain + "\nagent:\n" + agent);
        assertTrue(plain.stderr().contains("INFO: Starting Servlet engine: [Apache Tomcat/11.0.14]"),
                "the comparison compares Tomcat's real log: " + plain.stderr());

        assertEquals("Audit loader: " + WEBAPP_LOADER, plain.body().get(1));
        assertEquals("Audit loader: null", agent.body().get(1));
        assertEquals("Audit loader is the servlet's: true", plain.body().get(2));
        assertEquals("Audit loader is the servlet's: false", agent.body().get(2));
        List<String> plainRest = new ArrayList<>(plain.body());
        List<String> agentRest = new ArrayList<>(agent.body());
        plainRest.subList(1, 3).clear();
        agentRest.subList(1, 3).clear();
        assertEquals(normalise(plainRest), normalise(agentRest));
    }

    /** Starts Tomcat, sends {@code GET /app/audit} and {@code GET /shutdown}, waits for the JVM to exit. */
    private Run serve(String name, String... agentOptions) throws Exception {
        Path work = Files.createDirectories(dir.resolve(name));
        List<String> jvmOptions = new ArrayList<>(LOCALE);
        jvmOptions.addAll(List.of(agentOptions));
        try (LoopbackServer server = LoopbackServer.start(work, "tomcat", jvmOptions, CLASS_PATH, APP,
                work.resolve("webapp").toString(), ChildJvm.API_JAR.toString(), work.resolve("base").toString())) {
            HttpResponse<String> audit = server.send("/app/audit");
            assertEquals(200, audit.statusCode(), () -> audit.body() + server);
            HttpResponse<String> bye = server.send("/shutdown");
            assertEquals(200, bye.statusCode(), server::toString);
            assertEquals("bye", bye.body());
            int exit = server.awaitExit();
            return new Run(exit, server.stdoutLines(), server.stderrText(), LoopbackServer.lines(audit.body()));
        }
    }

    /**
     * What two runs of the same Tomcat may differ in, removed. java.util.logging's default format writes each record
     * as a header line, {@code DATE TIME SOURCE-CLASS METHOD} (en-US here: {@code Nov 25, 2026 1:02:48 PM
     * org.apache.coyote.AbstractProtocol init}), then {@code LEVEL: message}. Between two runs the date and time
     * change — including the words in them (month, AM/PM), so removing digits is not enough — and so do the port
     * (in the protocol handler's name, {@code "http-nio-127.0.0.1-auto-1-40639"}) and the thread numbers. So: the date
     * and time at the start of a header line become {@code DATE}, then every run of digits in every line becomes
     * {@code N}. Nothing else is touched, and the order of lines is kept: Tomcat logs all of this from the main thread
     * (its start and stop run inline), so any line added, lost or moved is a difference.
     */
    static List<String> normalise(List<String> lines) {
        return lines.stream()
                .map(line -> line.replaceFirst(JUL_DATE, "DATE "))
                .map(line -> line.replaceAll("\\d+", "N"))
                .collect(Collectors.toList());
    }

}
