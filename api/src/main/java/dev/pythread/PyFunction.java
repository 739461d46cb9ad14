package dev.pythread;

import java.util.Map;

/**
 * A Python callable as {@link PyThread#startNewThread(PyFunction, Object[], Map)} calls it:
 * {@code function(*args, **kwargs)}.
 */
@FunctionalInterface
public interface PyFunction {
    /**
     * Calls the function, as Python's {@code function(*args, **kwargs)}.
     *
     * @param args   the positional arguments (Python's args tuple), never {@code null}
     * @param kwargs the keyword arguments (Python's kwargs dict), never {@code null}, empty when none were
     *               given; read-only
     * @throws Exception whatever the function raises; in a thread started by
     *                   {@link PyThread#startNewThread} it is reported through {@link Unraisable}
     */
    void call(Object[] args, Map<String, Object> kwargs) throws Exception;
}
