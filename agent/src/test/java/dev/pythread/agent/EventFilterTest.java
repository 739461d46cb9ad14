package dev.pythread.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link EventFilter}: the {@code events=} globs. {@code *} is any run of characters, {@code ?} one character,
 * everything else literal, and a pattern must match the whole event name.
 */
class EventFilterTest {

    private static void assertAccepts(String globs, String event) {
        assertTrue(EventFilter.parse(globs).accepts(event), "'" + globs + "' must accept '" + event + "'");
    }

    private static void assertRejects(String globs, String event) {
        assertFalse(EventFilter.parse(globs).accepts(event), "'" + globs + "' must reject '" + event + "'");
    }

    // ---------------------------------------------------------------- *, ALL

    @ParameterizedTest
    @ValueSource(strings = {"", "_thread.start_new_thread", "sys.audit", "a", ".", "*", "?", "a\nb", "\u00e9\u4e2d",
        "\ud83d\ude00", "(x)[y]a$b\\Q"})
    void allAcceptsEveryEvent(String event) {
        assertTrue(EventFilter.ALL.accepts(event));
        assertTrue(EventFilter.parse("*").accepts(event));
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "a+*", "*+a", "a+b+*", "_thread.*+*+sys.audit"})
    void aStarAloneIsAll(String globs) {
        assertSame(EventFilter.ALL, EventFilter.parse(globs));
    }

    @Test
    void allRendersAsAStar() {
        assertEquals("*", EventFilter.ALL.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"**", "*?", "?*", "a*"})
    void otherGlobsWithStarsAreNotAll(String globs) {
        assertNotSame(EventFilter.ALL, EventFilter.parse(globs));
        assertEquals(globs, EventFilter.parse(globs).toString());
    }

    @Test
    void doubleStarMatchesEverythingToo() {
        assertAccepts("**", "");
        assertAccepts("**", "a.b.c");
    }

    // ---------------------------------------------------------------- prefix globs

    @ParameterizedTest
    @ValueSource(strings = {"_thread.start_new_thread", "_thread.", "_thread.a.b.c", "_thread.*", "_thread.\n"})
    void prefixGlobAccepts(String event) {
        assertAccepts("_thread.*", event);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sys.audit", "x_thread.y", "_thread", "_threadXstart", "_Thread.start", " _thread.x",
        "_thread_start", ""})
    void prefixGlobRejects(String event) {
        assertRejects("_thread.*", event);
    }

    @Test
    void starMatchesDotsAndTheEmptyRun() {
        assertAccepts("a*z", "az");
        assertAccepts("a*z", "a.b.c.z");
        assertAccepts("a*z", "azzz");
        assertRejects("a*z", "a.b.c.zy");
        assertAccepts("*.audit", "sys.audit");
        assertAccepts("*.audit", ".audit");
        assertRejects("*.audit", "sys.audits");
        assertAccepts("a*b*c", "abc");
        assertAccepts("a*b*c", "a-b-b-c");
        assertRejects("a*b*c", "acb");
    }

    // ---------------------------------------------------------------- ?

    @Test
    void questionMarkMatchesExactlyOneCharacter() {
        assertAccepts("a?c", "abc");
        assertAccepts("a?c", "a.c");
        assertAccepts("a?c", "a?c");
        assertAccepts("a?c", "a\nc");
        assertRejects("a?c", "ac");
        assertRejects("a?c", "abbc");
        assertAccepts("??", "ab");
        assertRejects("??", "a");
        assertRejects("??", "abc");
        assertRejects("?", "");
        assertAccepts("?", "x");
        assertAccepts("sys.?udit", "sys.audit");
        assertRejects("sys.?udit", "sys.udit");
    }

    @Test
    void questionMarkAndStarTogether() {
        assertAccepts("?*", "a");
        assertRejects("?*", "");
        assertAccepts("*?", "abc");
        assertAccepts("_thread.?tart*", "_thread.start_new_thread");
        assertRejects("_thread.?tart*", "_thread.tart");
    }

    // ---------------------------------------------------------------- literal text

    @ParameterizedTest
    @CsvSource({
        "a.b      , a.b      , aXb",
        "(x)      , (x)      , x",
        "[y]      , [y]      , y",
        "a$b      , a$b      , ab",
        "^a       , ^a       , a",
        "a|b      , a|b      , a",
        "x{2}     , x{2}     , xx",
        "a\\Qb    , a\\Qb    , ab",
        "a\\Eb    , a\\Eb    , ab",
        "\\Q.\\E  , \\Q.\\E  , X",
        "a\\b     , a\\b     , ab",
        "a\\.b    , a\\.b    , a.b",
        "\\d      , \\d      , 1",
        "a.c*     , a.c.d    , abc.d",
        "(x)?     , (x)!     , x",
        "\\E*     , \\Etail  , tail",
        "\\Q*\\E  , \\Qmid\\E, mid",
    })
    void regexMetacharactersAreLiteral(String glob, String accepted, String rejected) {
        assertAccepts(glob, accepted);
        assertRejects(glob, rejected);
    }

    @Test
    void matchingIsCaseSensitive() {
        assertRejects("Sys.*", "sys.audit");
        assertRejects("sys.audit", "SYS.AUDIT");
    }

    // ---------------------------------------------------------------- several patterns, whole names

    @Test
    void severalPatternsJoinedWithPlus() {
        String globs = "_thread.*+sys.unraisablehook+pythread.?";
        assertAccepts(globs, "_thread.start_new_thread");
        assertAccepts(globs, "sys.unraisablehook");
        assertAccepts(globs, "pythread.x");
        assertRejects(globs, "sys.audit");
        assertRejects(globs, "pythread.xy");
        assertRejects(globs, "sys.unraisablehook+pythread.x");
        // a star runs over '+' in the name: '+' separates patterns only in the option text
        assertAccepts(globs, "_thread.start_new_thread+sys.unraisablehook");
        assertRejects(globs, "");
    }

    @Test
    void theSamePatternTwiceIsAccepted() {
        assertAccepts("a+a", "a");
        assertRejects("a+a", "b");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "thread         | _thread.start_new_thread",
        "start          | restart",
        "start          | starter",
        "sys.audit      | sys.audit.x",
        "sys.audit      | x.sys.audit",
        "a*             | ba",
        "*a             | ab",
        "_thread        | _thread.start_new_thread",
    })
    void theWholeNameMustMatch(String glob, String event) {
        assertRejects(glob, event);
    }

    @Test
    void anExactNameMatchesItself() {
        assertAccepts("sys.audit", "sys.audit");
        assertAccepts("_thread.start_new_thread", "_thread.start_new_thread");
    }

    @Test
    void spacesAreLiteral() {
        assertAccepts(" a ", " a ");
        assertRejects(" a ", "a");
    }

    @Test
    void nonAsciiNamesAreMatched() {
        assertAccepts("\u00e9v\u00e9nement.*", "\u00e9v\u00e9nement.\u4e2d");
        assertRejects("\u00e9v\u00e9nement.*", "evenement.x");
    }

    // ---------------------------------------------------------------- toString

    @ParameterizedTest
    @ValueSource(strings = {"_thread.*+sys.unraisablehook", "a", "a?c", "(x)+[y]", "a$b", "\\Q.\\E", " a + b ",
        "a+a"})
    void toStringIsTheOriginalText(String globs) {
        assertEquals(globs, EventFilter.parse(globs).toString());
    }

    // ---------------------------------------------------------------- errors

    @ParameterizedTest
    @ValueSource(strings = {"", "+", "a+", "+a", "a++b", "++"})
    void emptyPatternIsRejected(String globs) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventFilter.parse(globs));
        assertEquals("empty pattern in '" + globs + "'", e.getMessage());
    }

    /** The javadoc: "throws IllegalArgumentException if a pattern is empty" — also when a {@code *} comes first. */
    @ParameterizedTest
    @ValueSource(strings = {"*+", "*++b", "a+*+", "*+*+"})
    void emptyPatternIsRejectedAfterAStar(String globs) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventFilter.parse(globs));
        assertEquals("empty pattern in '" + globs + "'", e.getMessage());
    }
}
