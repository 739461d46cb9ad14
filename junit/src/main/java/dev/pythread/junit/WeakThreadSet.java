package dev.pythread.junit;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashSet;
import java.util.Set;

/**
 * A set of threads by identity that does not keep them alive: a thread that has ended and is no longer referenced
 * elsewhere is collected, and leaves the set. Not a {@code WeakHashMap}, which calls {@code hashCode} and
 * {@code equals}, both of which a {@code Thread} subclass may override (and make throw, inside an audit hook).
 */
final class WeakThreadSet {

    private final Set<Key> keys = new HashSet<>(); // guarded by this
    private final ReferenceQueue<Thread> collected = new ReferenceQueue<>();

    /** Adds {@code thread}; {@code false} if it was there already. */
    synchronized boolean add(Thread thread) {
        expunge();
        return keys.add(new Key(thread, collected));
    }

    synchronized boolean contains(Thread thread) {
        expunge();
        return keys.contains(new Key(thread, null));
    }

    private void expunge() {
        for (Reference<? extends Thread> key; (key = collected.poll()) != null; ) {
            keys.remove(key); // a cleared key still equals itself
        }
    }

    /** A weak reference with the identity hash of its thread, equal to another one of the same thread. */
    private static final class Key extends WeakReference<Thread> {
        private final int hash;

        Key(Thread thread, ReferenceQueue<Thread> queue) {
            super(thread, queue);
            this.hash = System.identityHashCode(thread);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (other == this) {
                return true;
            }
            Thread thread = get();
            return other instanceof Key && thread != null && ((Key) other).get() == thread;
        }
    }
}
