package dev.pythread.junit;

/**
 * A thread a scope holds itself responsible for, and what is known of its origin.
 *
 * @param thread  the thread
 * @param creator who created it, as a leak report says it: {@code com.example.FooTest.bar()}, or a class
 * @param frame   the code that started it, known only when its start was audited (pythread-agent); else {@code null}
 */
record StartRecord(Thread thread, String creator, StartFrame frame) {
}
