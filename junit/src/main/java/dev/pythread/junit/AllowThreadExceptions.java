package dev.pythread.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Lets threads die during a test, or during every test of a class (its {@code @Nested} classes and subclasses
 * included), without failing it: what pytest's
 * {@code @pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")} does for its
 * {@code threadexception} plugin.
 *
 * <p>The exceptions are still handed to the handlers that were installed before {@link ThreadExceptionExtension}
 * (so {@code Exception in thread "…"} is still printed); they are only not held against the test. A thread started
 * by an allowed test that dies after the test ended is not held against the class either.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface AllowThreadExceptions {

    /**
     * Why the threads may die, for the reader; the extension does not use it.
     *
     * @return the reason, empty by default
     */
    String value() default "";
}
