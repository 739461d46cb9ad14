package dev.pythread.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PolicyFile}'s grammar and errors, and {@link PolicyRule}'s globs and wording. */
class PolicyFileTest {

    private static final String ALLOWED = "allowed: 'mode enforce|report', 'default allow|deny', "
            + "'allow|deny from jar GLOB', 'allow|deny from package NAME', 'allow|deny from module NAME', "
            + "'allow|deny from no-code-source', '# comment'";

    @TempDir
    Path dir;

    private Path write(String... lines) throws Exception {
        Path file = dir.resolve("threads.policy");
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void commentsBlankLinesAndDefaults() throws Exception {
        ThreadPolicy policy = PolicyFile.load(write("# only comments", "", "   # indented", "allow from package a"
                + "   # trailing comment").toString());
        assertEquals(ThreadPolicy.Mode.ENFORCE, policy.mode(), "mode enforce when absent");
        assertEquals(ThreadPolicy.Mode.REPORT, PolicyFile.load(write("mode report").toString()).mode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"permit all", "mode", "mode strict", "default", "default maybe", "deny from jar",
        "deny from class com.x.Y", "deny package com.x", "allow from package", "allow from package a b",
        "DENY from package a", "deny by package a", "allow from no-code-source x", "allow no-code-source",
        "deny from trusted", "allow from default"})
    void everyBadLineIsNamedWithItsNumber(String line) throws Exception {
        Path file = write("# a policy", line);
        AgentOptions.BadOption e = assertThrows(AgentOptions.BadOption.class,
                () -> PolicyFile.load(file.toString()));
        assertEquals("policy " + file + " line 2: cannot read '" + line + "'; " + ALLOWED, e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"mode enforce, mode report, mode", "default allow, default deny, default"})
    void aSecondModeOrDefaultIsAnError(String first, String second, String directive) throws Exception {
        Path file = write(first, second);
        AgentOptions.BadOption e = assertThrows(AgentOptions.BadOption.class,
                () -> PolicyFile.load(file.toString()));
        assertEquals("policy " + file + " line 2: " + directive + " is given twice", e.getMessage());
    }

    @Test
    void anUnreadableFileIsAnError() {
        Path missing = dir.resolve("nope.policy");
        AgentOptions.BadOption e = assertThrows(AgentOptions.BadOption.class,
                () -> PolicyFile.load(missing.toString()));
        assertEquals("policy " + missing + " cannot be read (java.nio.file.NoSuchFileException: " + missing + ")",
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "**/plugins/**,      /opt/app/plugins/scan.jar,        true",
        "**/plugins/**,      /opt/app/plugins/x/y/scan.jar,    true",
        "**/plugins/**,      /opt/app/lib/scan.jar,            false",
        "/opt/*/plugins/*.jar, /opt/app/plugins/scan.jar,      true",
        "/opt/*/plugins/*.jar, /opt/a/b/plugins/scan.jar,      false",
        "/opt/*/plugins/*.jar, /opt/app/plugins/x/scan.jar,    false",
        "**/scan-?.jar,      /lib/scan-1.jar,                  true",
        "**/scan-?.jar,      /lib/scan-12.jar,                 false",
        "**/a.b.jar,         /lib/aXb.jar,                     false",
    })
    void jarGlobsMatchWholePaths(String glob, String path, boolean matches) {
        assertEquals(matches, PolicyRule.globToRegex(glob).matcher(path).matches(), glob + " ~ " + path);
    }

    /** The one rule of three words: a class with no code source is denied unless such a rule says otherwise. */
    @ParameterizedTest
    @ValueSource(strings = {"allow from no-code-source", "deny from no-code-source"})
    void theNoCodeSourceRuleIsOneLine(String line) throws Exception {
        PolicyFile.load(write("mode report", line).toString());
    }

    /** A denial names its rule as the file wrote it; verdicts no line gave name themselves the same way. */
    @Test
    void rulesAreWrittenAsThePolicyFileWritesThem() {
        assertEquals("deny from jar **/plugins/**", PolicyRule.of(false, PolicyRule.Kind.JAR, "**/plugins/**", 3)
                .toString());
        assertEquals("allow from package com.acme", PolicyRule.of(true, PolicyRule.Kind.PACKAGE, "com.acme", 4)
                .toString());
        assertEquals("allow from no-code-source", PolicyRule.of(true, PolicyRule.Kind.NO_CODE_SOURCE, "", 5)
                .toString());
        assertEquals("deny from no-code-source", PolicyRule.NO_CODE_SOURCE_DENIED.toString());
        assertEquals("default deny", PolicyRule.byDefault(false, 2).toString());
    }

    @Test
    void rulesMatchAClassByPackageModuleOrCodeSource() {
        assertTrue(PolicyRule.of(true, PolicyRule.Kind.PACKAGE, "java", 1).matches(String.class, "jrt:/java.base"));
        assertFalse(PolicyRule.of(true, PolicyRule.Kind.PACKAGE, "java.la", 1).matches(String.class, "jrt:/java.base"),
                "a package rule matches whole package names");
        assertTrue(PolicyRule.of(true, PolicyRule.Kind.MODULE, "java.base", 1).matches(String.class, "jrt:/java.base"));
        assertFalse(PolicyRule.of(true, PolicyRule.Kind.MODULE, "java.base", 1).matches(getClass(), "/tmp/x"),
                "a class of the unnamed module matches no module rule");
        assertTrue(PolicyRule.of(false, PolicyRule.Kind.JAR, "**/plugins/**", 1).matches(getClass(),
                "/opt/app/plugins/scan.jar"));
        assertFalse(PolicyRule.of(false, PolicyRule.Kind.JAR, "**/plugins/**", 1).matches(getClass(), null),
                "a jar rule never matches a class with no code source");
        assertTrue(PolicyRule.NO_CODE_SOURCE_DENIED.matches(getClass(), null));
        assertFalse(PolicyRule.byDefault(true, 0).matches(getClass(), "/tmp/x"), "default matches nothing by itself");
    }
}
