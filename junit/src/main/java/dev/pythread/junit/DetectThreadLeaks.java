package dev.pythread.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails a test, or every test of a class (its {@code @Nested} classes and subclasses included), that leaves threads
 * it created alive after it: {@link ThreadLeakExtension} turned on for that test or class.
 *
 * <pre>{@code
 * @DetectThreadLeaks(linger = "2s", ignore = "jar:kafka-clients-*.jar")
 * class ConsumerTest { … }
 * }</pre>
 *
 * <p>On a class it also fails the class when threads created outside its tests (in {@code @BeforeAll} or
 * {@code @AfterAll}) outlive it. Under {@code pythread.junit.threadLeaks=warn} the leaks are printed instead; see
 * {@link ThreadLeakExtension} for what counts as a leak.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(ThreadLeakExtension.class)
public @interface DetectThreadLeaks {

    /**
     * How long to wait, after the test (or class), for its threads to end before they count as leaked: a duration
     * such as {@code "500ms"} or {@code "2s"}. The wait ends as soon as they have all ended. Empty (the default): the
     * configuration parameter {@value ThreadLeakExtension#LINGER_PARAMETER}, or 1 second. An annotation on the method
     * wins over one on the class.
     *
     * @return the linger, or empty for the configured one
     */
    String linger() default "";

    /**
     * Rules for threads that are not leaks, in addition to those of the configuration parameter
     * {@value ThreadLeakExtension#IGNORE_PARAMETER} and of the annotations on enclosing elements:
     * {@code package:NAME}, {@code class:NAME}, {@code jar:GLOB} or {@code name:GLOB}, each as described by
     * {@link ThreadLeakExtension}.
     *
     * @return the rules, none by default
     */
    String[] ignore() default {};
}
