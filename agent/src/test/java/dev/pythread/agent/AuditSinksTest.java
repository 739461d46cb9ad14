package dev.pythread.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link AuditSinks#recordEveryStartCaller}: when {@code Thread.start} finds the caller itself, before any sink asks.
 * Finding it there is cheaper, but a walk no sink asks for would be a cost for nothing.
 */
class AuditSinksTest {

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "''                                                    | false",
        "audit=jsonl:/tmp/threads.jsonl                         | true",
        "audit=stderr                                          | true",
        "audit=logger                                          | true",
        "audit=jfr                                             | false",
        "audit=jfr+stderr                                      | true",
        "audit=jsonl:/tmp/threads.jsonl,caller=off              | false",
        "audit=jsonl:/tmp/threads.jsonl,events=sys.*            | false",
        "audit=jsonl:/tmp/threads.jsonl,events=_thread.*        | true",
        "policy=/tmp/threads.policy                            | false",
    })
    void findsTheCallerFirstOnlyWhenASinkRecordsEveryStartWithIt(String options, boolean expected) throws Exception {
        assertEquals(expected, AuditSinks.recordEveryStartCaller(AgentOptions.parse(options)));
    }
}
