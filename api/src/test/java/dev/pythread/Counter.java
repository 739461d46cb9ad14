package dev.pythread;

/**
 * A plain, non-volatile counter: only the lock under test makes its increments safe, so a count that ends exact
 * shows mutual exclusion (and the happens-before edges of acquire and release).
 */
final class Counter {
    int value;
}
