/**
 * CPython's {@code _thread} module on the JVM.
 *
 * <ul>
 *   <li>{@link dev.pythread.PyThread} — the module: {@code start_new_thread}, {@code get_ident},
 *       {@code get_native_id}, {@code stack_size}, {@code interrupt_main}, {@code exit},
 *       {@code allocate_lock}, {@code TIMEOUT_MAX};</li>
 *   <li>{@link dev.pythread.Lock} — {@code _thread.LockType};</li>
 *   <li>{@link dev.pythread.Signals} — the part of {@code signal} that {@code interrupt_main} needs;</li>
 *   <li>{@link dev.pythread.Audit} — {@code sys.audit} and {@code sys.addaudithook};</li>
 *   <li>{@link dev.pythread.Unraisable} — {@code sys.unraisablehook};</li>
 *   <li>{@link dev.pythread.ThreadError}, {@link dev.pythread.SystemExit},
 *       {@link dev.pythread.KeyboardInterrupt} — {@code _thread.error}, {@code SystemExit},
 *       {@code KeyboardInterrupt}.</li>
 * </ul>
 *
 * <p>Python → Java: {@code ValueError} is {@link java.lang.IllegalArgumentException}, {@code OverflowError} is
 * {@link java.lang.ArithmeticException}, a {@code TypeError} for a missing argument is
 * {@link java.lang.NullPointerException}. Messages are CPython's, word for word.
 */
package dev.pythread;
