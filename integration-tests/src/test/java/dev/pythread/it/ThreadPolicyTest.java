package dev.pythread.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code policy=PATH}: which code may start threads, enforced or reported, in child JVMs. */
class ThreadPolicyTest {

    private static final String APP = "dev.pythread.it.apps.PolicyApp";
    private static final String SCANNER_FRAME = "dev\\.pythread\\.it\\.apps\\.plugin\\.Scanner\\.startThroughHelper\\(Scanner\\.java:\\d+\\)";

    @TempDir
    Path dir;

    @Test
    void pluginCodeIsDeniedEvenThroughTheApplicationsHelper() throws Exception {
        Path policy = policy("# plugins may not start threads", "mode enforce", "default allow",
                "deny from package dev.pythread.it.apps.plugin");
        Path log = dir.resolve("policy.jsonl");
        List<String> modes = new ArrayList<>(List.of("app", "plugin", "commonpool"));
        if (ChildJvm.FEATURE_VERSION >= 21) {
            modes.add("virtual");
        }
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.agent("policy=" + policy + ",audit=jsonl:" + log)),
                APP, modes.toArray(new String[0]));
        assertEquals(0, result.exitCode(), result::toString);
        List<String> out = result.stdoutLines();
        assertEquals("ran app-worker", out.get(0), result::toString);
        assertTrue(out.get(1).matches("denied: thread start denied by policy " + java.util.regex.Pattern.quote(
                policy.toString()) + " line 4 \\(deny from package dev.pythread.it.apps.plugin\\): " + SCANNER_FRAME),
                out.get(1));
        assertEquals("ran scan-common", out.get(2), "common-pool workers are JDK infrastructure");
        if (ChildJvm.FEATURE_VERSION >= 21) {
            assertTrue(out.get(3).startsWith("denied: thread start denied by policy "), "virtual threads are checked");
        }
        List<JsonNode> denials = records(log, "pythread.policy.deny");
        assertEquals(ChildJvm.FEATURE_VERSION >= 21 ? 2 : 1, denials.size(), denials::toString);
        JsonNode args = denials.get(0).get("args");
        assertTrue(args.get(0).asText().contains("scan-worker"), args::toString);
        assertEquals("enforce", args.get(1).asText());
        assertEquals("deny from package dev.pythread.it.apps.plugin", args.get(2).asText());
        assertTrue(args.get(3).asText().matches(SCANNER_FRAME), args::toString);
        assertFalse(records(log, "_thread.start_new_thread").stream()
                .anyMatch(record -> record.get("args").get(0).asText().contains("scan-worker")),
                "a denied start raises no _thread.start_new_thread");
    }

    @Test
    void reportModeRecordsTheDenialAndLetsTheStartGoOn() throws Exception {
        Path policy = policy("mode report", "deny from package dev.pythread.it.apps.plugin");
        Path log = dir.resolve("report.jsonl");
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.agent("policy=" + policy + ",audit=jsonl:" + log)),
                APP, "plugin");
        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(List.of("ran scan-worker"), result.stdoutLines());
        List<JsonNode> denials = records(log, "pythread.policy.deny");
        assertEquals(1, denials.size(), denials::toString);
        assertEquals("report", denials.get(0).get("args").get(1).asText());
        assertTrue(records(log, "_thread.start_new_thread").stream()
                .anyMatch(record -> record.get("args").get(0).asText().contains("scan-worker")));
    }

    @Test
    void defaultDenyNamesTheDefaultLineAndLeavesTheJdksOwnThreadsAlone() throws Exception {
        Path policy = policy("mode enforce", "default deny");
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.agent("policy=" + policy)), APP,
                "app", "commonpool");
        assertEquals(0, result.exitCode(), "the JDK's own lazily started threads were not denied: " + result);
        List<String> out = result.stdoutLines();
        assertTrue(out.get(0).matches("denied: thread start denied by policy .* line 2 \\(default deny\\): "
                + "dev\\.pythread\\.it\\.apps\\.PolicyApp\\.startWorker\\(PolicyApp\\.java:\\d+\\)"), out.get(0));
        assertEquals("ran scan-common", out.get(1));
    }

    @Test
    void aJarRuleMatchesTheCodeSourcePath() throws Exception {
        Path policy = policy("deny from jar **/test-classes");
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.agent("policy=" + policy)), APP, "app");
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.stdout().startsWith("denied: thread start denied by policy " + policy
                + " line 1 (deny from jar **/test-classes): dev.pythread.it.apps.PolicyApp.startWorker(PolicyApp.java:"),
                result::toString);
    }

    /**
     * A real server under {@code default deny}: rules allow Jetty and the application, so every request is answered
     * and nothing is denied; the application's report jobs, in a denied package, get the {@code SecurityException}
     * (the handler answers 403) and the server goes on.
     */
    @Test
    void jettyServesUnderDefaultDenyAndADeniedJobDoesNotStopIt() throws Exception {
        Path policy = policy("mode enforce", "default deny", "deny from package dev.pythread.demo.jobs",
                "allow from package dev.pythread.demo", "allow from package org.eclipse.jetty");
        Path log = dir.resolve("jetty.jsonl");
        try (JettyChild server = JettyChild.start(dir, List.of(ChildJvm.agent("policy=" + policy + ",audit=jsonl:"
                + log)))) {
            assertEquals(200, server.hello(200).size());
            assertTrue(records(log, "pythread.policy.deny").isEmpty(), "Jetty and the application are allowed");
            HttpResponse<String> denied = server.request("/fail");
            assertEquals(403, denied.statusCode(), denied::body);
            assertTrue(denied.body().matches("job 1 denied: thread start denied by policy "
                    + java.util.regex.Pattern.quote(policy.toString()) + " line 3 \\(deny from package "
                    + "dev.pythread.demo.jobs\\): dev\\.pythread\\.demo\\.jobs\\.ReportJobs\\.start\\(ReportJobs\\.java:\\d+\\)"),
                    denied.body());
            assertEquals(50, server.hello(50).size(), "the server goes on");
            JettyChild.Output output = server.shutdown();
            assertFalse(output.stderr().contains("report-job"), output::toString);
        }
        List<JsonNode> denials = records(log, "pythread.policy.deny");
        assertEquals(1, denials.size(), denials::toString);
        assertTrue(denials.get(0).get("args").get(0).asText().contains("report-job-1"), denials::toString);
        assertTrue(records(log, "_thread.start_new_thread").stream()
                .anyMatch(record -> record.get("args").get(0).asText().contains("jetty-pool")));
    }

    @Test
    void aBadPolicyLineStopsTheJvmWithOneLine() throws Exception {
        Path policy = policy("mode enforce", "permit all threads");
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.agent("policy=" + policy)), APP, "app");
        assertEquals(1, result.exitCode(), result::toString);
        assertEquals("", result.stdout());
        assertEquals(List.of("pythread-agent: policy " + policy + " line 2: cannot read 'permit all threads'; "
                + "allowed: 'mode enforce|report', 'default allow|deny', 'allow|deny from jar GLOB', "
                + "'allow|deny from package NAME', 'allow|deny from module NAME', "
                + "'allow|deny from no-code-source', '# comment'"), result.stderrLines());
    }

    @Test
    void anUnreadablePolicyStopsTheJvmWithOneLine() {
        Path missing = dir.resolve("missing.policy");
        ChildJvm.Result result = ChildJvm.run(List.of(ChildJvm.agent("policy=" + missing)), APP, "app");
        assertEquals(1, result.exitCode(), result::toString);
        assertEquals(List.of("pythread-agent: policy " + missing + " cannot be read "
                + "(java.nio.file.NoSuchFileException: " + missing + ")"), result.stderrLines());
    }

    private Path policy(String... lines) throws Exception {
        Path file = dir.resolve("threads.policy");
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return file;
    }

    private static List<JsonNode> records(Path log, String event) throws Exception {
        return AuditLog.read(log).events(event);
    }
}
