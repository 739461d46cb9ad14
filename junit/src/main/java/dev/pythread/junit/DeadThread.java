package dev.pythread.junit;

/**
 * One uncaught exception of one thread.
 *
 * @param threadName the thread's name when it died
 * @param exception  what it died of
 */
record DeadThread(String threadName, Throwable exception) {

    /** {@code "worker-1" java.lang.IllegalStateException: boom}: how the JVM's own report of it begins. */
    String describe() {
        return "\"" + threadName + "\" " + exceptionText();
    }

    /** {@code java.lang.IllegalStateException: boom}. */
    String exceptionText() {
        try {
            return exception.toString();
        } catch (RuntimeException brokenToString) {
            return exception.getClass().getName(); // a throwing getMessage() must not lose the report
        }
    }
}
