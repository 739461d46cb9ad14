package dev.pythread.bench;

import dev.pythread.Lock;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.util.ObjectUtils;
import org.openjdk.jol.vm.VM;

/**
 * The memory footprint of a {@link Lock} against {@code Semaphore(1)} and {@code ReentrantLock}, measured with JOL
 * in this JVM (so with its compressed-oops setting, which it prints). Target: a {@code Lock} is at most 24 bytes.
 * CPython 3.11's lock object is 56 bytes ({@code sys.getsizeof}) plus its native lock.
 *
 * <p>For each object: the object alone ({@code ClassLayout.instanceSize}), and everything it owns — the graph of
 * objects reachable from it (a {@code Semaphore} is a shell around a separate {@code Sync} object). The graph of a
 * held lock with waiting threads includes the waiter queue, but not the waiting {@code Thread}s themselves nor
 * anything reached only through them: they belong to the program, not to the lock (and a parked thread points back
 * at its lock, through {@code parkBlocker}, which would otherwise pull the whole JVM into the graph).
 *
 * <p>Output, one line per object, machine-readable: {@code size NAME INSTANCE_BYTES GRAPH_BYTES GRAPH_OBJECTS},
 * after one line {@code vm compressedOops=… compressedClassPointers=… java=…}. The suite ({@code benchmarks/run.sh})
 * runs it with {@code -Djdk.attach.allowAttachSelf=true}, so that JOL gets its {@code Instrumentation} without a
 * warning (and, on JDK 21+, {@code -XX:+EnableDynamicAgentLoading}; on JDK 23+,
 * {@code --sun-misc-unsafe-memory-access=allow}, which silence the JDK's warnings about what JOL does).
 */
public final class ObjectSizes {

    /** Threads that wait on the contended locks. */
    private static final int WAITERS = 2;

    private ObjectSizes() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("vm compressedOops=" + vmOption("UseCompressedOops")
                + " compressedClassPointers=" + vmOption("UseCompressedClassPointers")
                + " java=" + System.getProperty("java.version"));

        reportIdle("Lock", new Lock());
        Semaphore semaphore = new Semaphore(1);
        reportIdle("Semaphore(1)", semaphore);
        reportIdle("ReentrantLock", new ReentrantLock());

        Lock lock = new Lock();
        lock.acquire();
        List<Thread> lockWaiters = startWaiters(WAITERS, lock::acquire, lock::release);
        report("Lock+held+" + WAITERS + "waiters", lock);

        semaphore.acquireUninterruptibly();
        List<Thread> semaphoreWaiters = startWaiters(WAITERS, semaphore::acquireUninterruptibly,
                semaphore::release);
        report("Semaphore(1)+held+" + WAITERS + "waiters", semaphore);

        ReentrantLock reentrantLock = new ReentrantLock();
        reentrantLock.lock();
        List<Thread> reentrantWaiters = startWaiters(WAITERS, reentrantLock::lock,
                reentrantLock::unlock);
        report("ReentrantLock+held+" + WAITERS + "waiters", reentrantLock);

        lock.release();
        semaphore.release();
        reentrantLock.unlock();
        for (List<Thread> waiters : List.of(lockWaiters, semaphoreWaiters, reentrantWaiters)) {
            for (Thread waiter : waiters) {
                waiter.join();
            }
        }
    }

    /** Prints {@code size NAME INSTANCE GRAPH OBJECTS} for {@code root}. */
    private static void report(String name, Object root) {
        long instance = ClassLayout.parseInstance(root).instanceSize();
        Footprint owned = Footprint.of(root);
        System.out.println("size " + name + " " + instance + " " + owned.bytes + " " + owned.objects);
    }

    /** Prints the line of an object that no thread waits on, checked against JOL's own graph walk. */
    private static void reportIdle(String name, Object root) {
        long graph = GraphLayout.parseInstance(root).totalSize();
        long owned = Footprint.of(root).bytes;
        if (graph != owned) {
            throw new IllegalStateException(name + ": JOL's graph is " + graph + " bytes, ours " + owned);
        }
        report(name, root);
    }

    /**
     * Starts {@code count} threads that block in {@code acquire} and release once they get the lock, and returns
     * once all of them are parked (waiting, with a park blocker: the lock, or a {@code Semaphore}'s or
     * {@code ReentrantLock}'s {@code Sync}).
     */
    private static List<Thread> startWaiters(int count, Runnable acquire, Runnable release)
            throws InterruptedException {
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Thread waiter = new Thread(() -> {
                acquire.run();
                release.run();
            }, "waiter-" + i);
            waiter.setDaemon(true);
            waiter.start();
            waiters.add(waiter);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Thread waiter : waiters) {
            while (waiter.getState() != Thread.State.WAITING || LockSupport.getBlocker(waiter) == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(waiter.getName() + " did not park");
                }
                Thread.sleep(1);
            }
        }
        return waiters;
    }

    private static String vmOption(String name) {
        try {
            return ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption(name).getValue();
        } catch (RuntimeException notHotSpot) {
            return "unknown";
        }
    }

    /**
     * The objects {@code root} owns: those reachable from it by reference fields and array elements, except
     * {@code Thread}s and what is reachable only through them. Sized by JOL, walked here (JOL's own walk cannot stop
     * at a thread); fields are read through JOL, which needs no {@code --add-opens}.
     */
    private static final class Footprint {
        long bytes;
        long objects;

        static Footprint of(Object root) {
            Footprint footprint = new Footprint();
            Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            Deque<Object> pending = new ArrayDeque<>();
            pending.add(root);
            seen.add(root);
            while (!pending.isEmpty()) {
                Object object = pending.poll();
                footprint.bytes += VM.current().sizeOf(object);
                footprint.objects++;
                for (Object child : references(object)) {
                    if (child != null && !(child instanceof Thread) && seen.add(child)) {
                        pending.add(child);
                    }
                }
            }
            return footprint;
        }

        private static List<Object> references(Object object) {
            List<Object> children = new ArrayList<>();
            Class<?> type = object.getClass();
            if (type.isArray()) {
                if (!type.getComponentType().isPrimitive()) {
                    children.addAll(Arrays.asList((Object[]) object));
                }
                return children;
            }
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers()) && !field.getType().isPrimitive()) {
                        children.add(ObjectUtils.value(object, field));
                    }
                }
            }
            return children;
        }
    }
}
