/**
 * JUnit 5 extensions for what other threads do during a test.
 *
 * <p>pytest's {@code threadexception} plugin: {@link dev.pythread.junit.ThreadExceptionExtension} fails a test when
 * another thread dies of an uncaught exception during it (Python's {@code threading.excepthook} and
 * {@code sys.unraisablehook}, which the plugin hooks, are the JVM's default uncaught-exception handler and
 * {@code dev.pythread.Unraisable}).
 *
 * <ul>
 *   <li>{@link dev.pythread.junit.ThreadExceptionExtension} — the extension, and its configuration parameter
 *       {@code pythread.junit.threadExceptions=fail|warn};</li>
 *   <li>{@link dev.pythread.junit.AllowThreadExceptions} — exempts a test or a class;</li>
 *   <li>{@link dev.pythread.junit.ThreadExceptionError} — the failure, with each thread's exception suppressed.</li>
 * </ul>
 *
 * <p>Thread-leak detection: {@link dev.pythread.junit.ThreadLeakExtension} fails a test that leaves threads it created
 * alive after it.
 *
 * <ul>
 *   <li>{@link dev.pythread.junit.DetectThreadLeaks} — turns it on for a test or a class, with its linger and ignore
 *       rules;</li>
 *   <li>{@link dev.pythread.junit.ThreadLeakExtension} — the extension, and its configuration parameters
 *       {@code pythread.junit.threadLeaks=off|fail|warn}, {@code pythread.junit.threadLeaks.linger} and
 *       {@code pythread.junit.threadLeaks.ignore};</li>
 *   <li>{@link dev.pythread.junit.ThreadLeakError} — the failure, with a
 *       {@link dev.pythread.junit.LeakedThread} holding each thread's stack suppressed.</li>
 * </ul>
 */
package dev.pythread.junit;
