package dev.pythread.junit;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * How both extensions name a test or a test class in what they print and throw: {@code com.example.FooTest.bar()}
 * and {@code com.example.FooTest}, the way a stack trace names them, so that a reader can search the code for it.
 */
final class TestNames {

    private TestNames() {
    }

    /** The class's binary name ({@code Outer$Nested}), or the display name of a context that has no class. */
    static String testClass(ExtensionContext context) {
        return context.getTestClass().map(Class::getName).orElse(context.getDisplayName());
    }

    /** The class and the test method, e.g. {@code com.example.FooTest.bar()}; the class alone if there is no method. */
    static String test(ExtensionContext context) {
        return testClass(context) + context.getTestMethod().map(method -> "." + method.getName() + "()").orElse("");
    }
}
