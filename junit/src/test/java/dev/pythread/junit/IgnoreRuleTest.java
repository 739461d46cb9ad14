package dev.pythread.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link IgnoreRule}: parsing, and what each kind matches, on unstarted threads and made-up frames. */
class IgnoreRuleTest {

    private static final StartFrame POOL = new StartFrame("com.example.pool.Pool$Starter", "start", "Pool.java", 42,
            "/repo/com/example/pool-1.2.jar");

    private static final StartFrame IN_FOLDER = new StartFrame("com.example.App", "main", "App.java", 7,
            "/work/app/target/classes/");

    /** A thread of class {@code Custom}, nested in this test. */
    static final class Custom extends Thread {
        Custom(String name) {
            super(name);
        }
    }

    private static IgnoreRule rule(String text) {
        List<IgnoreRule> rules = IgnoreRule.parseList(text);
        assertEquals(1, rules.size(), rules::toString);
        return rules.get(0);
    }

    @Test
    void parsesAListWithBlanksAndEmptyEntries() {
        List<IgnoreRule> rules = IgnoreRule.parseList(" package:com.example ,, NAME:worker-* ,");

        assertEquals("[package:com.example, name:worker-*]", rules.toString());
        assertEquals(List.of(), IgnoreRule.parseList(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"worker-*", "thread:x", "name:", "name: ", "class:a b", ":x"})
    void refusesABadRuleNamingIt(String bad) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> IgnoreRule.parseList("name:ok," + bad));

        assertEquals(bad.trim(), thrown.getMessage());
    }

    @Test
    void packageMatchesTheStartingFramesPackageAndSubpackagesOnly() {
        assertTrue(rule("package:com.example").matches(new Thread("t"), POOL));
        assertTrue(rule("package:com.example.pool").matches(new Thread("t"), POOL));
        assertFalse(rule("package:com.exam").matches(new Thread("t"), POOL));
        assertFalse(rule("package:com.example.pool.Pool").matches(new Thread("t"), POOL));
        assertFalse(rule("package:com.example").matches(new Thread("t"), null), "no frame, no match");
    }

    @Test
    void classMatchesTheStartingFramesClassOrTheThreadsOwnClassAndTheirNestedClasses() {
        assertTrue(rule("class:com.example.pool.Pool").matches(new Thread("t"), POOL));
        assertTrue(rule("class:com.example.pool.Pool$Starter").matches(new Thread("t"), POOL));
        assertFalse(rule("class:com.example.pool.Poo").matches(new Thread("t"), POOL));
        assertTrue(rule("class:dev.pythread.junit.IgnoreRuleTest").matches(new Custom("t"), null));
        assertTrue(rule("class:dev.pythread.junit.IgnoreRuleTest$Custom").matches(new Custom("t"), POOL));
        assertTrue(rule("class:java.lang.Thread").matches(new Thread("t"), null));
        assertFalse(rule("class:java.lang.Thread").matches(new Custom("t"), null));
    }

    @Test
    void jarMatchesTheFileNameOfTheStartingFramesCodeSource() {
        assertTrue(rule("jar:pool-*.jar").matches(new Thread("t"), POOL));
        assertTrue(rule("jar:pool-?.?.jar").matches(new Thread("t"), POOL));
        assertFalse(rule("jar:pool-*").matches(new Thread("t"), IN_FOLDER));
        assertFalse(rule("jar:*example*").matches(new Thread("t"), POOL), "the file name, not the path");
        assertTrue(rule("jar:classes").matches(new Thread("t"), IN_FOLDER), "a folder is named too");
        assertFalse(rule("jar:*").matches(new Thread("t"), null));
        assertFalse(rule("jar:*").matches(new Thread("t"), new StartFrame("A", "m", null, -1, null)));
    }

    @Test
    void nameMatchesTheWholeNameWithStarAndQuestionMarkOnly() {
        assertTrue(rule("name:worker-*").matches(new Thread("worker-12"), null));
        assertTrue(rule("name:worker-?").matches(new Thread("worker-1"), POOL));
        assertFalse(rule("name:worker-?").matches(new Thread("worker-12"), null));
        assertFalse(rule("name:worker").matches(new Thread("worker-1"), null), "the whole name");
        assertFalse(rule("name:a.b").matches(new Thread("axb"), null), "a dot is a dot");
        assertTrue(rule("name:[x]+(y)").matches(new Thread("[x]+(y)"), null));
        assertTrue(rule("name:*").matches(new Thread(""), null));
    }
}
