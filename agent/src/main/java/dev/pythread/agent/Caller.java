package dev.pythread.agent;

/**
 * The frame that started a thread, as a {@code _thread.start_new_thread} record carries it in its {@code caller}
 * field (found by {@link CallerFrame}). As JSON: {@code {"class", "method", "file", "line", "source"}}, with
 * {@code line} a number and {@code file} and {@code source} {@code null} when unknown.
 *
 * @param className the frame's class, binary name ({@code com.example.Pool$Worker})
 * @param method    the method's name
 * @param file      the source file's name, or {@code null} (a class compiled without it)
 * @param line      the line number: positive, or as {@link StackTraceElement#getLineNumber()} says when unknown
 *                  ({@code -1}) or in a native method ({@code -2})
 * @param source    the class's code source: a jar or folder path, {@code jrt:/MODULE}, or {@code null}
 */
record Caller(String className, String method, String file, int line, String source) {

    /** Writes this frame as a JSON object, its fields in the order the class comment gives. */
    void appendJson(StringBuilder out) {
        out.append("{\"class\":");
        Json.appendValue(out, className);
        out.append(",\"method\":");
        Json.appendValue(out, method);
        out.append(",\"file\":");
        Json.appendValue(out, file);
        out.append(",\"line\":").append(line);
        out.append(",\"source\":");
        Json.appendValue(out, source);
        out.append('}');
    }
}
