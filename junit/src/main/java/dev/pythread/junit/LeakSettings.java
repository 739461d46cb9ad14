package dev.pythread.junit;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * What {@link ThreadLeakExtension} does for one test or class, from the configuration parameters and the
 * {@link DetectThreadLeaks} annotations on it and around it. Every value is checked, active or not, so that a typo
 * fails the run instead of silently turning the detection off.
 */
final class LeakSettings {

    /** What a leak does to its test. */
    enum Mode {
        OFF, FAIL, WARN
    }

    /** The linger when neither the annotation nor the parameter says: long enough for a pool told to shut down. */
    static final long DEFAULT_LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);

    static final String ALLOWED_DURATION = "a duration such as 500ms or 2s";

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s)");

    final Mode mode;
    final long lingerNanos;
    final List<IgnoreRule> ignore;

    /**
     * Whether a thread with no start record may be attributed by the tests that ran at the same time. Not when JUnit
     * runs tests in parallel and some of them may not run this extension: those are invisible here, and one of them
     * may have created the thread.
     */
    final boolean everyConcurrentTestSeen;

    private LeakSettings(Mode mode, long lingerNanos, List<IgnoreRule> ignore, boolean everyConcurrentTestSeen) {
        this.mode = mode;
        this.lingerNanos = lingerNanos;
        this.ignore = ignore;
        this.everyConcurrentTestSeen = everyConcurrentTestSeen;
    }

    /**
     * The settings of the test or class of {@code context}.
     *
     * @throws ExtensionConfigurationException for a bad parameter or annotation value, naming it, the value and what
     *                                         is allowed
     */
    static LeakSettings of(ExtensionContext context) {
        Mode configured = mode(context);
        Deque<Found> annotations = annotations(context); // innermost first
        Mode mode = configured == Mode.OFF && !annotations.isEmpty() ? Mode.FAIL : configured;

        long linger = DEFAULT_LINGER_NANOS;
        Optional<String> lingerParameter = context.getConfigurationParameter(ThreadLeakExtension.LINGER_PARAMETER);
        if (lingerParameter.isPresent()) {
            linger = duration(lingerParameter.get(), parameter(ThreadLeakExtension.LINGER_PARAMETER));
        }
        for (Found found : annotations) {
            if (!found.annotation.linger().isEmpty()) {
                linger = duration(found.annotation.linger(), found.attribute("linger"));
                break;
            }
        }

        List<IgnoreRule> ignore = new ArrayList<>();
        context.getConfigurationParameter(ThreadLeakExtension.IGNORE_PARAMETER)
                .ifPresent(text -> ignore.addAll(rules(text, parameter(ThreadLeakExtension.IGNORE_PARAMETER))));
        annotations.descendingIterator().forEachRemaining(found -> {
            for (String text : found.annotation.ignore()) {
                ignore.addAll(rules(text, found.attribute("ignore")));
            }
        });

        boolean parallel = flag(context, "junit.jupiter.execution.parallel.enabled");
        boolean everywhere = configured != Mode.OFF && flag(context, "junit.jupiter.extensions.autodetection.enabled");
        return new LeakSettings(mode, linger, List.copyOf(ignore), !parallel || everywhere);
    }

    private static Mode mode(ExtensionContext context) {
        Optional<String> value = context.getConfigurationParameter(ThreadLeakExtension.MODE_PARAMETER);
        if (value.isEmpty()) {
            return Mode.OFF;
        }
        switch (value.get().trim().toLowerCase(Locale.ROOT)) {
            case "off":
                return Mode.OFF;
            case "fail":
                return Mode.FAIL;
            case "warn":
                return Mode.WARN;
            default:
                throw parameter(ThreadLeakExtension.MODE_PARAMETER).bad(value.get(), "off, fail, warn");
        }
    }

    /** An annotation, and the name of the element it was found on: {@code com.example.FooTest.bar()}. */
    private record Found(DetectThreadLeaks annotation, String element) {
        Source attribute(String name) {
            return () -> "@DetectThreadLeaks(" + name + ") on " + element;
        }
    }

    /**
     * The annotations on the test method, its class and the enclosing classes of a {@code @Nested} class, innermost
     * first; directly present, inherited from a superclass, or on an annotation of the user's own.
     */
    private static Deque<Found> annotations(ExtensionContext context) {
        Deque<Found> found = new ArrayDeque<>();
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            Optional<AnnotatedElement> element = c.getElement();
            String name = TestNames.test(c);
            AnnotationSupport.findAnnotation(element, DetectThreadLeaks.class)
                    .ifPresent(annotation -> found.addLast(new Found(annotation, name)));
        }
        return found;
    }

    private static boolean flag(ExtensionContext context, String key) {
        return context.getConfigurationParameter(key).map(value -> Boolean.parseBoolean(value.trim())).orElse(false);
    }

    /**
     * Parses a linger: a whole number of milliseconds ({@code 500ms}) or seconds ({@code 2s}).
     *
     * @return nanoseconds
     * @throws IllegalArgumentException if {@code text} is not such a duration
     */
    static long duration(String text) {
        Matcher matcher = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException(text);
        }
        long amount = Long.parseLong(matcher.group(1));
        return matcher.group(2).equals("ms") ? TimeUnit.MILLISECONDS.toNanos(amount) : TimeUnit.SECONDS.toNanos(amount);
    }

    private static long duration(String text, Source source) {
        try {
            return duration(text);
        } catch (IllegalArgumentException bad) {
            throw source.bad(text, ALLOWED_DURATION);
        }
    }

    private static List<IgnoreRule> rules(String text, Source source) {
        try {
            return IgnoreRule.parseList(text);
        } catch (IllegalArgumentException bad) {
            throw source.bad(bad.getMessage(), IgnoreRule.ALLOWED);
        }
    }

    /** Where a value came from, as the message of a bad one begins. */
    @FunctionalInterface
    private interface Source {
        String describe();

        default ExtensionConfigurationException bad(String value, String allowed) {
            return new ExtensionConfigurationException(describe() + ": bad value '" + value + "'; allowed: " + allowed);
        }
    }

    private static Source parameter(String key) {
        return () -> "configuration parameter " + key;
    }
}
