/**
 * pytest's {@code threadexception} plugin for JUnit 5: {@link dev.pythread.junit.ThreadExceptionExtension} fails a
 * test when another thread dies of an uncaught exception during it (Python's {@code threading.excepthook} and
 * {@code sys.unraisablehook}, which the plugin hooks, are the JVM's default uncaught-exception handler and
 * {@code dev.pythread.Unraisable}).
 *
 * <ul>
 *   <li>{@link dev.pythread.junit.ThreadExceptionExtension} — the extension, and its configuration parameter
 *       {@code pythread.junit.threadExceptions=fail|warn};</li>
 *   <li>{@link dev.pythread.junit.AllowThreadExceptions} — exempts a test or a class;</li>
 *   <li>{@link dev.pythread.junit.ThreadExceptionError} — the failure, with each thread's exception suppressed.</li>
 * </ul>
 */
package dev.pythread.junit;
