package dev.pythread.junit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link WeakThreadSet}: identity, whatever a {@code Thread} subclass says its hash code and equality are. */
class WeakThreadSetTest {

    /** A thread whose {@code hashCode} and {@code equals} throw. */
    static final class Hostile extends Thread {
        @Override
        public int hashCode() {
            throw new IllegalStateException("hashCode");
        }

        @Override
        public boolean equals(Object other) {
            throw new IllegalStateException("equals");
        }
    }

    @Test
    void holdsThreadsByIdentity() {
        WeakThreadSet set = new WeakThreadSet();
        Thread a = new Thread("same name");
        Thread b = new Thread("same name");

        assertTrue(set.add(a));
        assertFalse(set.add(a), "already there");
        assertTrue(set.contains(a));
        assertFalse(set.contains(b));
        assertTrue(set.add(b));
    }

    @Test
    void neverAsksTheThreadForItsHashCodeOrEquality() {
        WeakThreadSet set = new WeakThreadSet();
        Thread hostile = new Hostile();

        assertTrue(set.add(hostile));
        assertTrue(set.contains(hostile));
        assertFalse(set.contains(new Hostile()));
    }
}
