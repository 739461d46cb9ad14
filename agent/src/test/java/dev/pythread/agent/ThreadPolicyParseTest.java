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

/** {@link ThreadPolicy}'s file grammar, its errors and its globs. */
class ThreadPolicyParseTest {

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
        ThreadPolicy policy = ThreadPolicy.load(write("# only comments", "", "   # indented", "allow from package a"
                + "   # trailing comment").toString());
        assertEquals(ThreadPolicy.Mode.ENFORCE, policy.mode(), "mode enforce when absent");
        assertEquals(ThreadPolicy.Mode.REPORT, ThreadPolicy.load(write("mode report").toString()).mode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"permit all", "mode", "mode strict", "default", "default maybe", "deny from jar",
        "deny from class com.x.Y", "deny package com.x", "allow from package", "allow from package a b",
        "DENY from package a", "deny by package a"})
    void everyBadLineIsNamedWithItsNumber(String line) throws Exception {
        Path file = write("# a policy", line);
        AgentOptions.BadOption e = assertThrows(AgentOptions.BadOption.class,
                () -> ThreadPolicy.load(file.toString()));
        assertEquals("policy " + file + " line 2: cannot read '" + line + "'; " + ALLOWED, e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"mode enforce, mode report, mode", "default allow, default deny, default"})
    void aSecondModeOrDefaultIsAnError(String first, String second, String directive) throws Exception {
        Path file = write(first, second);
        AgentOptions.BadOption e = assertThrows(AgentOptions.BadOption.class,
                () -> ThreadPolicy.load(file.toString()));
        assertEquals("policy " + file + " line 2: " + directive + " is given twice", e.getMessage());
    }

    @Test
    void anUnreadableFileIsAnError() {
        Path missing = dir.resolve("nope.policy");
        AgentOptions.BadOption e = assertThrows(AgentOptions.BadOption.class,
                () -> ThreadPolicy.load(missing.toString()));
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
        assertEquals(matches, ThreadPolicy.globToRegex(glob).matcher(path).matches(), glob + " ~ " + path);
    }

    /** The one rule of three words: a class with no code source is denied unless such a rule says otherwise. */
    @ParameterizedTest
    @ValueSource(strings = {"allow from no-code-source", "deny from no-code-source"})
    void theNoCodeSourceRuleIsOneLine(String line) throws Exception {
        ThreadPolicy.load(write("mode report", line).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"allow from no-code-source x", "allow no-code-source", "allow from jar"})
    void aRuleOfTheWrongLengthIsAnError(String line) throws Exception {
        Path file = write("# a policy", line);
        AgentOptions.BadOption e = assertThrows(AgentOptions.BadOption.class,
                () -> ThreadPolicy.load(file.toString()));
        assertEquals("policy " + file + " line 2: cannot read '" + line + "'; " + ALLOWED, e.getMessage());
    }
}
